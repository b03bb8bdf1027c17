"""Sources & method: every dataset with its licence and vintage; how zones are measured; known limits."""

import streamlit as st

from dashboard import layers, report
from dashboard.impact import POPULATION_COVERAGE, POPULATION_METHODS, POPULATION_SOURCE

st.title("Sources & method")
st.subheader("Datasets")
st.table({"layer": list(layers.LAYERS), "source, licence and vintage": list(layers.LAYERS.values())})
st.caption(layers.ATTRIBUTION)
st.markdown(
    "Seed figures: `seeds/figures.csv` (exact quotes from the source texts); external figures: "
    "`seeds/external.csv` and `seeds/timeline.csv` (source title, URL, date and status on every row). "
    "Full provenance of the layers: `geodata/SOURCES.md`."
)
st.subheader("How zones are measured")
st.write(report.METHOD_NOTE)
st.subheader("People inside a zone")
st.write(f"{POPULATION_SOURCE}; coverage: {POPULATION_COVERAGE}.")
for name, text in POPULATION_METHODS.items():
    st.write(f"- **{name}**: {text}")
st.subheader("Known limits")
st.markdown(
    "- Boundaries are administrative (Natural Earth, OCHA COD-AB 2017), not lines of control.\n"
    "- People inside a zone are sub-district estimates apportioned by a stated method, not a count.\n"
    "- Settlement populations are old census figures from GeoNames, with no year per place.\n"
    "- M4/M5 are schematic lines through sourced waypoints (~0.5–3 km off the road).\n"
    "- Observation-post positions carry a stated uncertainty (0.5–4 km); four were geocoded.\n"
    "- The Natural Earth border is generalised (0.9 km mean offset from OpenStreetMap's line).\n"
    "- Rivers are GSHHG WDBII lines (a few hundred metres to ~1 km); only pieces with a cited town on them "
    "are named.\n"
    "- Your own layer is counted as inside when any part of a feature touches the zone, band or corridor; "
    "its positions are taken as WGS 84 longitude/latitude and are not checked against any other source."
)
st.subheader("Offline")
st.write(
    "Once installed, the dashboard needs no network: the basemap is drawn from the committed layers, "
    "charts and the briefing pack are rendered on this machine, and usage statistics are off."
)
