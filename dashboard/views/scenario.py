"""Map & scenario (the landing page): controls -> core -> map, impact panel, downloads."""

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.model import metrics, population
from dashboard.model.impact import CONTROL_NOTE, POPULATION_COVERAGE, POPULATION_SOURCE
from dashboard.render import charts, maps, report, style
from dashboard.sources import text, uploads
from dashboard.sources.layers import ATTRIBUTION
from dashboard.ui import cache, controls
from dashboard.ui.guard import friendly_errors
from dashboard.ui.state import KEEP

DETAIL_TABS = ("Key towns", "Observation posts", "Settlements inside")  # stable labels: the open tab survives reruns

with friendly_errors():
    scenario = controls.scenario_sidebar()
    camera, show = controls.map_options()
    upload = controls.user_layer_upload()
    geo = cache.geography()
    result = cache.impact(scenario)
    baseline = cache.impact(replace(scenario, inner_km=30.0, outer_km=40.0))
    user = user_base = None
    if upload is not None:
        user = uploads.coverage(geo, result, upload)
        user_base = uploads.coverage(geo, baseline, upload)

    st.title("NW Syria safe-zone scenarios")
    st.caption(scenario.label())
    left, right = st.columns([3, 2], gap="medium")
    # The numbers are sent before the map: they reach the screen first and the map follows.
    with right:
        st.subheader("What this scenario covers")
        st.caption("Δ against the 30–40 km default with the same segment, corridor, radius and date.")
        rows = report.headline_metrics(result, baseline, user, user_base)
        cells = [cell for _ in range(0, len(rows), 2) for cell in st.columns(2)]  # the grid grows with the rows
        for cell, (label, value, delta) in zip(cells, rows, strict=False):
            cell.metric(label, value, delta, delta_color="off")
        st.markdown(
            f"**People inside:** {metrics.BY_KEY['population_inside'].aloud(result)}.  \n"
            f"**In the band:** {metrics.BY_KEY['population_in_band'].aloud(result)}.  \n"
            f"**In need inside** (HNO 2023): {metrics.BY_KEY['people_in_need_inside'].aloud(result)}; "
            f"{report.severity_text(result)}."
        )
        control = report.control_rows(result)
        if control:
            st.table(
                pd.DataFrame(
                    [(label, metrics.people_estimate(people), f"{share:.0%}") for label, people, share in control],
                    columns=["Who governs the people inside", "people", "share"],
                ).set_index("Who governs the people inside")
            )
        st.caption(
            f"People: {POPULATION_SOURCE}; {result.notes[0]}; coverage: {POPULATION_COVERAGE}. "
            f"Range: {population.ASSUMPTIONS} Control: {CONTROL_NOTE}. "
            "Boundaries are administrative, not lines of control."
        )
    summary = maps.alt_text(result)
    with left:
        deck = maps.scenario_map(geo, result, camera, show, user, base=cache.basemap())
        st.pydeck_chart(deck, key="map", height=620, alt=summary)
        st.caption(
            " · ".join(f"<span style='color:{paint.hex}'>■</span> {label}" for label, paint in style.legend()),
            unsafe_allow_html=True,
        )
        st.caption(f"Map summary: {summary}")
        st.caption(ATTRIBUTION)
    with right:
        metric = st.selectbox(
            "Sensitivity",
            [m.key for m in metrics.WITH_CURVE],
            format_func=lambda k: metrics.BY_KEY[k].curve,
            key="sens_metric",
            persist_state=KEEP,
        )
        curve = cache.sensitivity_curve(scenario.segment)
        st.altair_chart(charts.sensitivity_chart(curve, scenario.inner_km, scenario.outer_km, metric), width="stretch")

    if user is not None:
        st.subheader("Your layer")
        sentence = uploads.coverage_sentence(user, upload, corridor_on=bool(scenario.corridor_km))
        st.markdown(text.markdown_escape(sentence))
        st.dataframe(
            text.spreadsheet_safe_frame(user.drop(columns="geometry")),  # its CSV download runs no formula
            hide_index=True,
            column_config={"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")},
        )
    km = {"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")}
    inside = result.settlements.loc[
        result.settlements["inside"],
        ["name", "population", "population_vintage", "subdistrict", "distance_to_border_km", "in_band"],
    ]
    st.subheader("Details")
    # Only the open tab is drawn (on_change="rerun"): three tables at once slowed the first paint of the map.
    towns_tab, posts_tab, settle_tab = st.tabs(
        list(DETAIL_TABS),
        key="details",
        on_change="rerun",
    )
    if towns_tab.open:
        with towns_tab:
            st.dataframe(
                result.towns[["name", "distance_to_border_km", "inside", "in_band"]], hide_index=True, column_config=km
            )
    if posts_tab.open:
        with posts_tab:
            st.caption(
                f"Status on {scenario.as_of:%d %b %Y}, from the dates its reports give; where a report gives only "
                "a 'by' or 'after' date the status in between is shown as uncertain. Sarjila (Nov 2022) is not "
                "plotted: no source gives its position. Each post's reports are in the last column."
            )
            columns = ["name", "kind", "status", "status_dates", "distance_to_border_km", "inside", "in_band"]
            st.dataframe(
                result.posts[[*columns, "coord_uncertainty_km", "sources"]],
                hide_index=True,
                column_config={
                    **km,
                    "status_dates": st.column_config.TextColumn("dates behind the status", width="large"),
                    "sources": st.column_config.ListColumn("sources"),
                },
            )
    if settle_tab.open:
        with settle_tab:
            st.caption(f"{len(inside):,} GeoNames settlements inside the 0–{scenario.outer_km:g} km zone.")
            st.dataframe(inside, hide_index=True, column_config=km)
    c1, c2 = st.columns(2)
    c1.download_button(
        "Settlements inside (CSV)",
        text.spreadsheet_safe_frame(inside).to_csv(index=False).encode("utf-8"),
        file_name="settlements_inside.csv",
        mime="text/csv",
        key="dl_csv",
    )
    c2.download_button(
        "Zones (GeoJSON)",
        lambda: json.dumps(report.zones_geojson(geo, result)).encode("utf-8"),  # built on click, not every rerun
        file_name="zones.geojson",
        mime="application/geo+json",
        key="dl_geojson",
    )
