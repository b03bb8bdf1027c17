"""Sources & method: every dataset with its licence, vintage and attribution."""

import streamlit as st

from dashboard import layers

st.title("Sources & method")
st.caption(layers.ATTRIBUTION)
st.table({"layer": list(layers.LAYERS), "source and vintage": list(layers.LAYERS.values())})
