"""Map & scenario (landing page)."""

import streamlit as st

st.title("NW Syria safe-zone scenarios")
st.write("The scenario map is being built; see Sources & method for the data.")
