"""The landing page's blocks: the impact panel, the map with its legend, the sensitivity curve, the
analyst's own layer, the detail tables and the downloads. Each draws one block from computed results."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import streamlit as st

from dashboard.model import metrics, population
from dashboard.model.impact import (
    CONTROL_NOTE,
    EVENTS_CAVEAT,
    EVENTS_SOURCE,
    POPULATION_COVERAGE,
    POPULATION_SOURCE,
    Impact,
)
from dashboard.render import charts, maps, report, style
from dashboard.sources import text, uploads
from dashboard.sources.layers import ATTRIBUTION
from dashboard.ui import controls, engine_results, exports, live_view, map_specs, places
from dashboard.ui.guard import friendly_errors
from dashboard.ui.state import KEEP

DETAIL_TABS = (
    "Key towns",
    "Observation posts",
    "Settlements inside",
    "Conflict events",
)  # stable labels: the open tab survives reruns
USER_ROWS_SHOWN = 500  # an upload's features listed under the map; a larger layer's whole table is a download
KM_COLUMN = {"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")}
USER_COLUMNS = {  # the upload's table, headed in words
    **KM_COLUMN,
    "label": st.column_config.TextColumn("feature"),
    "in_syria": st.column_config.CheckboxColumn("in Syria"),
    "in_zone": st.column_config.CheckboxColumn("in the zone"),
    "in_band": st.column_config.CheckboxColumn("in the band"),
    "in_corridor": st.column_config.CheckboxColumn("in the M4 corridor"),
}


def impact_panel(result: Impact, baseline: Impact, user=None, user_base=None) -> None:
    """Every catalogue metric with its change against the 30–40 km default, then who the people are."""
    st.subheader("What this scenario covers")
    st.caption("Δ against the 30–40 km default with the same segment, corridor, radius and date.")
    rows = report.headline_metrics(result, baseline, user, user_base)
    columns = st.columns(2)  # two columns filled in turn: the grid grows with the rows, in three blocks
    by_label = {m.label: m for m in metrics.CATALOGUE}
    for i, (label, value, delta) in enumerate(rows):
        flat = delta is not None and not any(c in "123456789" for c in delta)  # "+0 km²": no change, as shown
        if flat:
            delta = re.sub(r"[+\-−]", "±", delta, count=1)  # "≈+0" → "≈±0"
        arrow = "off" if flat else "auto"  # an arrow says the figure moved
        metric = by_label.get(label)
        if metric is not None and metric.parts:  # "12 of 18" in large type, "9 manned" under it: a tile is narrow
            columns[i % 2].metric(
                label,
                metric.count_text(result),
                delta,
                delta_color="off",
                delta_arrow=arrow,
                delta_description=metric.parts_text(result, short=True),
                help=f"{metric.text(result)}. {metric.note}",
            )
            continue
        columns[i % 2].metric(  # each one's method: Sources & method
            label, value, delta, delta_color="off", delta_arrow=arrow
        )
    impact_notes(result)


def layer_tiles(user, user_base) -> None:
    """The uploaded layer's counts beside the live view's tiles (counted on release: a feature is in the zone
    when any part of it touches it, which no curve over depth gives)."""
    columns = st.columns(2)
    for i, m in enumerate(metrics.LAYER_CATALOGUE):
        columns[i % 2].metric(m.label, m.text(user), m.delta(user, user_base), delta_color="off")


def impact_notes(result: Impact) -> None:
    """Under the figures: the events sentence, the people read aloud, who governs them, and the sources."""
    posts = metrics.BY_KEY["posts_inside"]
    st.markdown(
        f"{report.events_sentence(result)}  \n"
        f"**{posts.label}:** {posts.text(result)}.  \n"
        f"**People inside:** {metrics.BY_KEY['population_inside'].aloud(result)}.  \n"
        f"**In the band:** {metrics.BY_KEY['population_in_band'].aloud(result)}.  \n"
        f"**In need inside** (HNO 2023): {metrics.BY_KEY['people_in_need_inside'].aloud(result)}; "
        f"{report.severity_text(result)}."
    )
    line_falls = metrics.where_the_line_falls(result)  # model sentences: numbers and the layer's town names
    if line_falls:
        st.markdown("**Where the line falls:** " + " ".join(text.markdown_escape(t) for t in line_falls))
    control = report.control_rows(result)
    if control:  # a Markdown table: as an Arrow table it sent ~1.6 kB with every slider step, mostly schema
        st.markdown(
            "| Who governs the people inside | people | share |\n|---|---:|---:|\n"
            + "\n".join(
                f"| {label} | {metrics.people_estimate(people)} | {share:.0%} |"  # labels: the model's constants
                for label, people, share in control
            )
        )
    st.caption(
        f"People: {POPULATION_SOURCE}; {result.notes[0]}; coverage: {POPULATION_COVERAGE}. "
        f"Range: {population.ASSUMPTIONS} Control: {CONTROL_NOTE}. "
        "Boundaries are administrative, not lines of control."
    )


@st.fragment
def map_panel(result: Impact, user=None, user_key: str | None = None) -> None:
    """The camera and layer controls with the map: a toggle or a camera change reruns this alone."""
    with friendly_errors(panel=True):
        camera, show = controls.map_options()
        scenario_map(result, camera, show, user, user_key)


@st.fragment
def live_map(result: Impact, baseline: Impact, user=None, user_key: str | None = None) -> None:
    """The camera and layer controls, the live view (depth, map, figures), the legend and the chosen place's
    card: a camera or layer change, or a click on the map, reruns this alone; a release of a depth thumb
    reruns the page (the scenario changed). Where the view cannot be drawn (no file can be written), today's
    map with its controls."""
    with friendly_errors(panel=True):
        camera, show = controls.map_options()
        drawn = live_view.landing_view(result, baseline, camera, show, user, user_key) is not False
        if live_view.released():
            st.rerun()  # the scenario changed: the whole page follows (link, notes, curve, tables, downloads)
        if drawn:
            map_legend(result, show)
        else:
            scenario_map(result, camera, show, user, user_key)


def scenario_map(result: Impact, camera: str, show: dict, user=None, user_key: str | None = None) -> None:
    """The map, its legend, a text summary of what it shows (also its alt text) and the attribution."""
    summary = maps.alt_text(result)
    spec = map_specs.scenario_map(result, camera, show, user, user_key, view=places.view(), height=maps.MAP_HEIGHT)
    event = st.pydeck_chart(
        spec, key="map", height=maps.MAP_HEIGHT, alt=summary, on_select="rerun", selection_mode="single-object"
    )
    places.picked(event)
    map_legend(result, show)


def map_legend(result: Impact, show: dict) -> None:
    """Under the map: its legend, a one-sentence summary, the attribution, then the chosen place's card."""
    keys = [k for k in style.ON_SCREEN_LEGEND if show.get("events") or not k.startswith("event:")]  # when drawn
    swatch = "<b style=color:{}>■</b> {}"  # short: the legend is sent with every step
    parts, headed = [], False
    for label, paint in style.legend(keys):  # the posts' statuses under one heading: "Post: " eight times was long
        if label.startswith("Post: ") and not headed:
            parts.append("Posts:")
            headed = True
        parts.append(swatch.format(paint.hex, label.removeprefix("Post: ")))
    legend = " ".join(parts)  # each ■ separates
    st.caption(  # one element, not three: each element is sent again with every slider step; the full
        # summary is the map's alt text, and its figures are the panel's
        f"{legend}<br><br>Map summary: {html.escape(maps.short_summary(result))}<br><br>{html.escape(ATTRIBUTION)}",
        unsafe_allow_html=True,  # the legend's swatches; the summary and attribution are escaped
    )
    places.card_panel(result)


@st.fragment
def sensitivity(result: Impact) -> None:
    """A chosen metric as the zone deepens from 0 to 100 km, with the current band shaded; choosing
    another metric reruns this alone."""
    with friendly_errors(panel=True):
        _sensitivity(result)


def _sensitivity(result: Impact) -> None:
    s = result.scenario
    metric = st.selectbox(
        "Sensitivity",
        [m.key for m in metrics.WITH_CURVE],
        format_func=lambda k: metrics.BY_KEY[k].curve,
        key="sens_metric",
        persist_state=KEEP,
    )
    st.vega_lite_chart(map_specs.sensitivity_spec(s, metric), width="stretch")


def user_layer(result: Impact, user, upload, outlined: bool = True) -> None:
    """What the scenario covers of the analyst's own layer, as a sentence and a table."""
    st.subheader("Your layer")
    sentence = uploads.coverage_sentence(user, upload, corridor_on=bool(result.scenario.corridor_km))
    if not outlined:
        sentence += (
            f" Its shapes are drawn filled, without outlines: over {maps.USER_OUTLINE_VERTICES:,} vertices, "
            "outlining them slowed every redraw of the map on a machine without a graphics card."
        )
    st.markdown(text.markdown_escape(sentence))
    table = user.drop(columns="geometry")
    if len(table) > USER_ROWS_SHOWN:
        # the whole table went out again with every slider step (5,000 features: 124 kB of a 162 kB step);
        # the features the scenario reaches come first, and the whole table is a download built on the click
        table = table.sort_values(
            ["in_band", "in_zone", "distance_to_border_km"], ascending=[False, False, True], kind="stable"
        )
        st.caption(
            f"The {USER_ROWS_SHOWN:,} of {len(table):,} features nearest the scenario: those in the band, then in "
            "the zone, then the nearest to the border. The whole table:"
        )
        st.download_button(
            "Your layer, every feature (CSV)",
            lambda whole=table: text.spreadsheet_safe_frame(whole).to_csv(index=False).encode("utf-8"),
            file_name="your_layer.csv",
            mime="text/csv",
            key="dl_user_layer",
            on_click="ignore",  # built on the click: a rerun would drop the builder the click asks for
        )
        table = table.head(USER_ROWS_SHOWN)
    st.dataframe(
        text.spreadsheet_safe_frame(table),  # its CSV download runs no formula
        hide_index=True,
        column_config=USER_COLUMNS,
    )


@st.fragment
def detail_panel(result: Impact) -> None:
    """The detail tables and the downloads: opening a tab reruns this alone."""
    with friendly_errors(panel=True):
        details(result)
        downloads(result)


def key_towns_table(result: Impact) -> str:
    """The key towns with their names in three languages, as a Markdown table: an Arrow table of eleven rows
    sent ~2 kB with every slider step, mostly schema. Names come from data: escaped, never markup."""
    by_key = engine_results.gazetteer().by_key
    towns = result.columns["towns"]  # its columns: a DataFrame of eleven rows cost ~1.5 ms a step
    rows = []
    for town_id, km, inside, band in zip(
        towns["id"], towns["distance_to_border_km"], towns["inside"], towns["in_band"], strict=True
    ):
        place = by_key[f"town:{town_id}"]
        names = [text.markdown_escape(n or "—") for n in (place.name, place.name_ar, place.name_tr)]
        rows.append(f"| {' | '.join(names)} | {km:.1f} | {'yes' if inside else 'no'} | {'yes' if band else 'no'} |")
    head = "| Key town | Arabic | Turkish | km to border | in the zone | in the band |\n|---|---|---|---:|---|---|\n"
    return head + "\n".join(rows)


def _with_names(table: pd.DataFrame, layer: str, columns: list[str]) -> pd.DataFrame:
    """A scenario table's ``columns`` after each place's three names (the Arabic and Turkish from its geodata
    layer, by id)."""
    names = engine_results.geography().layers_lonlat[layer].set_index("id")[["name_ar", "name_tr"]]
    return table.join(names, on="id")[["name", "name_ar", "name_tr", *columns]]


def settlements_inside(result: Impact) -> pd.DataFrame:
    """The settlements inside the zone with their three names: made when its tab is open or its CSV is asked
    for (made on every rerun, it was ~10 ms of a slider step)."""
    columns = ["population", "population_vintage", "subdistrict", "distance_to_border_km", "in_band"]
    return _with_names(result.settlements.loc[result.settlements["inside"]], "settlements", columns)


def details(result: Impact) -> None:
    """Key towns, posts and settlements inside, one tab drawn at a time."""
    s = result.scenario
    st.subheader("Details")
    # Only the open tab is drawn (on_change="rerun"): three tables at once slowed the first paint of the map.
    towns_tab, posts_tab, settle_tab, events_tab = st.tabs(list(DETAIL_TABS), key="details", on_change="rerun")
    if towns_tab.open:
        with towns_tab:
            st.markdown(key_towns_table(result))
    if posts_tab.open:
        with posts_tab:
            st.caption(
                f"Status on {s.as_of:%d %b %Y}, from the dates its reports give; where a report gives only "
                "a 'by' or 'after' date the status in between is shown as uncertain. Sarjila (Nov 2022) is not "
                "plotted: no source gives its position. Each post's reports are in the last column."
            )
            columns = ["kind", "status", "status_dates", "distance_to_border_km", "inside", "in_band"]
            st.dataframe(
                _with_names(result.posts, "posts", [*columns, "coord_uncertainty_km", "sources"]),
                hide_index=True,
                column_config={
                    **KM_COLUMN,
                    "status_dates": st.column_config.TextColumn("dates behind the status", width="large"),
                    "sources": st.column_config.ListColumn("sources"),
                },
            )
    if settle_tab.open:
        with settle_tab:
            inside = settlements_inside(result)
            zone = f"the 0–{s.outer_km:g} km zone"
            st.caption(f"{len(inside):,} settlements (GeoNames and the towns it lacks) inside {zone}.")
            st.dataframe(inside, hide_index=True, column_config=KM_COLUMN)
    if events_tab.open:
        with events_tab:
            conflict_events(result)


def conflict_events(result: Impact) -> None:
    """Deaths per month inside the zone against the rest of the north-west, the window shaded, and the
    window's deaths inside by type of violence."""
    s = result.scenario
    timeline = engine_results.seed_tables()[2]
    st.vega_lite_chart(charts.deaths_by_month_chart(result, timeline).to_dict(), width="stretch")
    by_kind = pd.DataFrame(
        {
            "type of violence": list(result.deaths_inside_by_violence),
            "deaths inside (UCDP best)": list(result.deaths_inside_by_violence.values()),
        }
    )
    st.caption(
        f"Deaths inside the zone, {s.events_from:%d %b %Y} – {s.events_to:%d %b %Y} (both days included), by "
        f"UCDP's type of violence. {EVENTS_SOURCE} (CC BY 4.0); lower bounds: {EVENTS_CAVEAT}."
    )
    st.dataframe(by_kind, hide_index=True)


def downloads(result: Impact) -> None:
    """The settlements inside as CSV (formulas neutralised) and the zones as GeoJSON, each built on the
    click (building the CSV on every rerun was a tenth of a slider step's server time), then the map as PNG
    and SVG: one row of four (two rows sent three more blocks with every slider step).

    A click runs no script (``on_click="ignore"``): Streamlit's click both reruns the page and asks the server
    for the file by the builder's id, and the rerun, once finished, forgets that id (it registers a new one),
    so on a loaded machine the file's request came after it and no download ever came."""
    c1, c2, *images = st.columns(4)
    c1.download_button(
        "Settlements inside (CSV)",
        lambda: text.spreadsheet_safe_frame(settlements_inside(result)).to_csv(index=False).encode("utf-8"),
        file_name="settlements_inside.csv",
        mime="text/csv",
        key="dl_csv",
        on_click="ignore",
    )
    c2.download_button(
        "Zones (GeoJSON)",
        lambda: json.dumps(report.zones_geojson(engine_results.geography(), result)).encode("utf-8"),
        file_name="zones.geojson",
        mime="application/geo+json",
        key="dl_geojson",
        on_click="ignore",
    )
    exports.map_image_downloads(result, key="landing", columns=images)
