"""Compare: two scenarios side by side, with a table of differences."""

import pandas as pd
import streamlit as st

from dashboard.model import metrics
from dashboard.model.geography import CONTROL_AREAS
from dashboard.model.scenario import AS_OF_MAX, AS_OF_MIN, CORRIDOR_MAX_KM, DEFAULT, SEGMENTS, Scenario
from dashboard.render import maps
from dashboard.ui import cache
from dashboard.ui.guard import friendly_errors
from dashboard.ui.state import KEEP


def side(label: str, prefix: str, depth: tuple[int, int], corridor: float) -> Scenario:
    st.subheader(label)
    # Starting values go through session state (never as a widget default), so values kept across page
    # changes by ui.state are never contradicted by a default.
    st.session_state.setdefault(f"{prefix}_depth", depth)
    st.session_state.setdefault(f"{prefix}_corridor", corridor)
    st.session_state.setdefault(f"{prefix}_asof", DEFAULT.as_of)
    inner, outer = st.slider("Zone depth, km", 0, 100, key=f"{prefix}_depth", persist_state=KEEP)
    if inner >= outer:
        inner, outer = min(inner, 99), min(inner, 99) + 1
    segment = st.selectbox(
        "Segment", list(SEGMENTS), format_func=SEGMENTS.get, key=f"{prefix}_segment", persist_state=KEEP
    )
    corridor = st.number_input(
        "M4 corridor, km either side", 0.0, CORRIDOR_MAX_KM, key=f"{prefix}_corridor", persist_state=KEEP
    )
    as_of = st.date_input(
        "Posts as of", min_value=AS_OF_MIN, max_value=AS_OF_MAX, key=f"{prefix}_asof", persist_state=KEEP
    )
    return Scenario(inner_km=inner, outer_km=outer, segment=segment, corridor_km=corridor, as_of=as_of)


with friendly_errors():
    st.title("Compare two scenarios")
    geo = cache.geography()
    cols = st.columns(2, gap="large")
    results = []
    for col, (label, prefix, depth, corridor) in zip(
        cols, [("Scenario A", "a", (0, 30), 0.0), ("Scenario B", "b", (30, 40), 6.0)], strict=True
    ):
        with col:
            scenario = side(label, prefix, depth, corridor)
            result = cache.impact(scenario)
            results.append(result)
            summary = maps.alt_text(result)
            deck = maps.scenario_deck(geo, result, "NW Syria", {}, base=cache.basemap())
            st.pydeck_chart(deck, key=f"{prefix}_map", height=420, alt=summary)
            st.caption(summary)

    a, b = results
    shown = [m for m in metrics.CATALOGUE if m.shown(a) or m.shown(b)]
    rows = [
        (label, va, vb) for m in shown for (label, va), (_, vb) in zip(m.table_rows(a), m.table_rows(b), strict=True)
    ]
    rows += [
        (f"People inside: {label}", a.people_by_control[label], b.people_by_control[label])
        for label in CONTROL_AREAS.values()
    ]
    diff = pd.DataFrame(rows, columns=["metric", "A", "B"])
    diff["B − A"] = diff["B"] - diff["A"]
    st.subheader("Differences")
    st.dataframe(diff.round(1), hide_index=True, key="compare_table")
    st.caption(
        "People: OCHA 2023 HNO sub-district totals placed where people live (central estimate, with the low "
        "and high of its range); areas of control are OCHA's early-2023 planning shares, not a line of contact."
    )
