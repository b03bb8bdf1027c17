"""Compare: two scenarios side by side, with a table of differences; its address carries both."""

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.exchange import links
from dashboard.model import metrics
from dashboard.model.geography import CONTROL_AREAS
from dashboard.model.scenario import DEFAULT
from dashboard.render import maps
from dashboard.sources import text
from dashboard.ui import controls, engine_results, exports, form, live_view, map_specs
from dashboard.ui.guard import friendly_errors

MAP_HEIGHT = 420  # pixels: the scale bar is placed in its lower left
B_START = replace(DEFAULT, corridor_km=6.0)  # the Moscow protocol's corridor beside the briefer's scenario
B_PARAMS = "b_"  # the second column's link parameters: b_inner, b_corridor…


def starting_values() -> None:
    """Scenario A starts from the briefer's scenario (the link's, or the one chosen on the other pages) and
    starts again whenever that one changes; B from the link's ``b_`` parameters, else the M4 corridor of 6 km."""
    scenario = controls.page_scenario()
    if st.session_state.get("_compare_from") != scenario:
        form.set_values("a_", scenario)
        st.session_state["_compare_from"] = scenario
    if "b_depth" not in st.session_state:
        b, _ = links.decode(links.prefixed(st.query_params.to_dict(), B_PARAMS), base=B_START)
        form.set_values("b_", b)


with friendly_errors():
    st.title("Compare two scenarios")
    geo = engine_results.geography()
    starting_values()
    cols = st.columns(2, gap="large")
    results = []
    for col, (label, prefix) in zip(cols, (("Scenario A (yours)", "a_"), ("Scenario B", "b_")), strict=True):
        with col:
            st.subheader(label)
            scenario, notes = form.scenario_form(prefix)
            form.say(notes)
            result = engine_results.impact(scenario)
            baseline = engine_results.impact(replace(scenario, inner_km=30.0, outer_km=40.0))
            results.append(result)
            summary = maps.alt_text(result)
            deck = map_specs.scenario_map(result, "NW Syria", {}, height=MAP_HEIGHT)
            # the landing page's live view: a drag of its thumbs moves the zone and the figures at once and, let
            # go, this column's depth slider (whole km, as the slider holds); pydeck where it cannot run
            drawn = live_view.live_view(
                result,
                baseline,
                json.loads(deck.to_json()),
                key=f"{prefix}live",
                parts=live_view.COLUMN,
                step_km=1.0,
                on_commit=live_view.form_commit(f"{prefix}live", prefix),
                height=MAP_HEIGHT,
            )
            if drawn is False:
                st.pydeck_chart(deck, key=f"{prefix}map", height=MAP_HEIGHT, alt=summary)
            st.caption(summary)
            line_falls = metrics.where_the_line_falls(result)
            if line_falls:
                st.caption("Where the line falls: " + text.markdown_escape(" ".join(line_falls)))
            exports.map_image_downloads(result, key=prefix)

    a, b = results
    st.query_params.from_dict(links.encode(a.scenario) | links.encode(b.scenario, B_START, B_PARAMS))
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
