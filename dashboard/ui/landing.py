"""The landing page's blocks: the impact panel, the map with its legend, the sensitivity curve, the
analyst's own layer, the detail tables and the downloads. Each draws one block from computed results."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard.model import metrics, population
from dashboard.model.impact import CONTROL_NOTE, POPULATION_COVERAGE, POPULATION_SOURCE, Impact
from dashboard.render import charts, maps, report, style
from dashboard.sources import text, uploads
from dashboard.sources.layers import ATTRIBUTION
from dashboard.ui import cache
from dashboard.ui.state import KEEP

DETAIL_TABS = ("Key towns", "Observation posts", "Settlements inside")  # stable labels: the open tab survives reruns
KM_COLUMN = {"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")}


def impact_panel(result: Impact, baseline: Impact, user=None, user_base=None) -> None:
    """Every catalogue metric with its change against the 30–40 km default, then who the people are."""
    st.subheader("What this scenario covers")
    st.caption("Δ against the 30–40 km default with the same segment, corridor, radius and date.")
    rows = report.headline_metrics(result, baseline, user, user_base)
    cells = [cell for _ in range(0, len(rows), 2) for cell in st.columns(2)]  # the grid grows with the rows
    for cell, (label, value, delta) in zip(cells, rows, strict=False):
        cell.metric(label, value, delta, delta_color="off")  # each one's method: Sources & method, the pack
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


def scenario_map(result: Impact, camera: str, show: dict, user=None) -> None:
    """The map, its legend, a text summary of what it shows (also its alt text) and the attribution."""
    summary = maps.alt_text(result)
    spec = maps.scenario_map(cache.geography(), result, camera, show, user, base=cache.basemap())
    st.pydeck_chart(spec, key="map", height=620, alt=summary)
    st.caption(
        " · ".join(f"<span style='color:{paint.hex}'>■</span> {label}" for label, paint in style.legend()),
        unsafe_allow_html=True,
    )
    st.caption(f"Map summary: {summary}")
    st.caption(ATTRIBUTION)


def sensitivity(result: Impact) -> None:
    """A chosen metric as the zone deepens from 0 to 100 km, with the current band shaded."""
    s = result.scenario
    metric = st.selectbox(
        "Sensitivity",
        [m.key for m in metrics.WITH_CURVE],
        format_func=lambda k: metrics.BY_KEY[k].curve,
        key="sens_metric",
        persist_state=KEEP,
    )
    curve = cache.sensitivity_curve(s.segment)
    st.altair_chart(charts.sensitivity_chart(curve, s.inner_km, s.outer_km, metric), width="stretch")


def user_layer(result: Impact, user, upload) -> None:
    """What the scenario covers of the analyst's own layer, as a sentence and a table."""
    st.subheader("Your layer")
    sentence = uploads.coverage_sentence(user, upload, corridor_on=bool(result.scenario.corridor_km))
    st.markdown(text.markdown_escape(sentence))
    st.dataframe(
        text.spreadsheet_safe_frame(user.drop(columns="geometry")),  # its CSV download runs no formula
        hide_index=True,
        column_config=KM_COLUMN,
    )


def details(result: Impact) -> pd.DataFrame:
    """Key towns, posts and settlements inside, one tab drawn at a time; returns the settlements inside."""
    s = result.scenario
    inside = result.settlements.loc[
        result.settlements["inside"],
        ["name", "population", "population_vintage", "subdistrict", "distance_to_border_km", "in_band"],
    ]
    st.subheader("Details")
    # Only the open tab is drawn (on_change="rerun"): three tables at once slowed the first paint of the map.
    towns_tab, posts_tab, settle_tab = st.tabs(list(DETAIL_TABS), key="details", on_change="rerun")
    if towns_tab.open:
        with towns_tab:
            towns = result.towns[["name", "distance_to_border_km", "inside", "in_band"]]
            st.dataframe(towns, hide_index=True, column_config=KM_COLUMN)
    if posts_tab.open:
        with posts_tab:
            st.caption(
                f"Status on {s.as_of:%d %b %Y}, from the dates its reports give; where a report gives only "
                "a 'by' or 'after' date the status in between is shown as uncertain. Sarjila (Nov 2022) is not "
                "plotted: no source gives its position. Each post's reports are in the last column."
            )
            columns = ["name", "kind", "status", "status_dates", "distance_to_border_km", "inside", "in_band"]
            st.dataframe(
                result.posts[[*columns, "coord_uncertainty_km", "sources"]],
                hide_index=True,
                column_config={
                    **KM_COLUMN,
                    "status_dates": st.column_config.TextColumn("dates behind the status", width="large"),
                    "sources": st.column_config.ListColumn("sources"),
                },
            )
    if settle_tab.open:
        with settle_tab:
            st.caption(f"{len(inside):,} GeoNames settlements inside the 0–{s.outer_km:g} km zone.")
            st.dataframe(inside, hide_index=True, column_config=KM_COLUMN)
    return inside


def downloads(result: Impact, settlements_inside: pd.DataFrame) -> None:
    """The settlements inside as CSV (formulas neutralised) and the zones as GeoJSON (built on the click)."""
    c1, c2 = st.columns(2)
    c1.download_button(
        "Settlements inside (CSV)",
        text.spreadsheet_safe_frame(settlements_inside).to_csv(index=False).encode("utf-8"),
        file_name="settlements_inside.csv",
        mime="text/csv",
        key="dl_csv",
    )
    c2.download_button(
        "Zones (GeoJSON)",
        lambda: json.dumps(report.zones_geojson(cache.geography(), result)).encode("utf-8"),
        file_name="zones.geojson",
        mime="application/geo+json",
        key="dl_geojson",
    )
