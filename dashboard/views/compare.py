"""Compare: two scenarios side by side, with a table of differences."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.model import metrics
from dashboard.model.geography import CONTROL_AREAS
from dashboard.model.scenario import DEFAULT
from dashboard.render import maps
from dashboard.sources import text
from dashboard.ui import engine_results, exports, form, map_specs
from dashboard.ui.guard import friendly_errors

MAP_HEIGHT = 420  # pixels: the scale bar is placed in its lower left
COLUMNS = [  # the two readings of the source texts' "30-40 kilometers", the second with the Moscow corridor
    ("Scenario A", "a_", replace(DEFAULT, inner_km=0.0, outer_km=30.0)),
    ("Scenario B", "b_", replace(DEFAULT, corridor_km=6.0)),
]

with friendly_errors():
    st.title("Compare two scenarios")
    geo = engine_results.geography()
    cols = st.columns(2, gap="large")
    results = []
    for col, (label, prefix, start) in zip(cols, COLUMNS, strict=True):
        with col:
            st.subheader(label)
            form.set_values(prefix, start, only_missing=True)
            scenario, notes = form.scenario_form(prefix)
            form.say(notes)
            result = engine_results.impact(scenario)
            results.append(result)
            summary = maps.alt_text(result)
            deck = map_specs.scenario_map(result, "NW Syria", {}, height=MAP_HEIGHT)
            st.pydeck_chart(deck, key=f"{prefix}map", height=MAP_HEIGHT, alt=summary)
            st.caption(summary)
            line_falls = metrics.where_the_line_falls(result)
            if line_falls:
                st.caption("Where the line falls: " + text.markdown_escape(" ".join(line_falls)))
            exports.map_image_downloads(result, key=prefix)

    a, b = results
    shown = [m for m in metrics.CATALOGUE if m.shown(a) or m.shown(b)]
    rows = [
        (label, va, vb) for m in shown for (label, va), (_, vb) in zip(m.table_rows(a), m.table_rows(b), strict=True)
    ]
    rows += [
        (f"People inside: {label}", *(round(r.people_by_control[label], metrics.PEOPLE.table_digits) for r in (a, b)))
        for label in CONTROL_AREAS.values()
    ]
    diff = pd.DataFrame(rows, columns=["metric", "A", "B"])
    diff["B − A"] = diff["B"] - diff["A"]
    st.subheader("Differences")
    number = st.column_config.NumberColumn(format="localized")  # thousands separated, as the other pages write them
    st.dataframe(
        diff.round(1), hide_index=True, key="compare_table", column_config={c: number for c in ("A", "B", "B − A")}
    )
    st.caption(
        "People: OCHA 2023 HNO sub-district totals placed where people live (central estimate, with the low "
        "and high of its range); areas of control are OCHA's early-2023 planning shares, not a line of contact."
    )
