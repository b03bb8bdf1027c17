"""The floor page of `make bench`: the cheapest Streamlit page with what the landing page's first screen
needs (the same range slider, one metric and a one-point map without a basemap service). The dashboard
is measured against it in the same run, so the figures are ratios, not this machine's absolute speed."""

import pydeck as pdk
import streamlit as st

inner, outer = st.sidebar.slider("Zone depth, km from the border", 0, 100, (30, 40))
st.metric("Zone area", f"{outer * 190:,} km²")
point = pdk.Layer("ScatterplotLayer", [{"position": [36.6, 36.2]}], get_position="position", get_radius=5000)
view = pdk.ViewState(longitude=36.6, latitude=36.2, zoom=7)
st.pydeck_chart(pdk.Deck(layers=[point], initial_view_state=view, map_provider=None))
