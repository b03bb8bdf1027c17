"""The shaped floor of `make bench`: a page shaped like the landing page, with nothing of the dashboard in it.

The same Streamlit elements (their kinds, number and layout: the sidebar form, the panel's eleven metrics, its
sentences and table, the map with its controls, a chart, the detail tabs and the downloads, the time panel with its
component frame and its print expander) hold trivial content: no data, no computation. What the dashboard changes
with a slider step changes here too (the metrics, the sentences, the map's zone, the chart's band, the table). The
map, as high as the dashboard's, draws a zone and a named point with the four kinds of set-up the dashboard's map
has (areas, lines, points, and text with its font settings), pickable as its layers are. Measured beside the
dashboard and the plain floor (``bench/floor.py``), it says how much of the dashboard's time is what a page of this
shape costs in Streamlit and the browser, and how much is the dashboard's own work. Not mirrored: the navigation's
five links and the dashboard's connection watch (one script, sent once per session)."""

import datetime as dt
from pathlib import Path

import pydeck as pdk
import streamlit as st
import streamlit.components.v1 as components

# the time panel's component frame: a page of its own that says it is ready, as the dashboard's time control does
time_control = components.declare_component(
    "floor_time_control", path=str(Path(__file__).with_name("floor_time_control"))
)

st.set_page_config(page_title="Shaped floor", layout="wide")  # as the dashboard's app.py
with st.sidebar:
    st.header("Scenario")
    inner, outer = st.slider("Zone depth, km from the border", 0, 100, (30, 40))
    st.selectbox("Border segment", ["whole border", "west", "east"])
    st.number_input("Corridor half-width, km", 0.0, 50.0, 0.0)
    st.number_input("Post radius, km", 0.0, 50.0, 5.0)
    st.date_input("Posts as of", dt.date(2024, 1, 1))
    st.date_input("Events from", dt.date(2020, 1, 1))
    st.date_input("Events to", dt.date(2020, 12, 31))
    st.header("Your layer")
    st.file_uploader("GeoJSON or CSV", type=["geojson", "json", "csv"])

st.title("Floor, shaped like the landing page")
st.caption(f"{inner}–{outer} km")
left, right = st.columns([3, 2], gap="medium")
with right:
    st.subheader("What this scenario covers")
    st.caption("Δ against the default.")
    cells = st.columns(2)
    for i, label in enumerate(["Zone area"] + [f"Figure {k}" for k in range(1, 11)]):
        cells[i % 2].metric(label, f"{outer * (190 + i):,} km²", f"{outer - 40:+d}", delta_color="off")
    st.markdown(f"Sentence one: {outer}.  \nSentence two: {inner}.  \nSentence three.  \nSentence four.")
    st.markdown(f"Where the line falls: a town {outer - 0.1} km out.")  # the landing page's large towns on a line
    st.markdown(
        "| who | people | share |\n|---|---:|---:|\n" + "\n".join(f"| row {k} | {outer * k} | 1% |" for k in range(4))
    )
    st.caption("Sources of the figures.")
with left:
    st.text_input("Find a place")

    @st.fragment
    def map_panel():
        camera, layers = st.columns([2, 1], vertical_alignment="bottom")
        camera.selectbox("Camera", ["Whole area", "Idlib"])
        with layers.popover("Layers", width="stretch"):
            st.pills("Layers shown", ["a", "b", "c"], selection_mode="multi", default=["a"])
        north = 36.0 + outer / 100  # the zone grows with the outer depth, as the dashboard's does
        area = [[36.4, 36.0], [36.9, 36.0], [36.9, north], [36.4, north], [36.4, 36.0]]
        features = [
            {"type": "Feature", "properties": {"name": ""}, "geometry": {"type": "Polygon", "coordinates": [area]}},
            {
                "type": "Feature",
                "properties": {"name": "Idlib"},
                "geometry": {"type": "Point", "coordinates": [36.6, 36.2]},
            },
        ]
        shapes = pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            point_type="'circle+text'",  # areas, lines, points and text: the dashboard map's four set-ups
            get_text="properties.name",
            get_text_size=12,
            text_font_family="'DejaVu Sans, sans-serif'",  # the dashboard's text settings (map_names.TEXT_SETUP)
            text_character_set="'auto'",
            text_font_settings={"sdf": True, "cutoff": 0.15},
            text_outline_width=6,
            text_outline_color=[255, 255, 255, 220],
            get_fill_color=[200, 80, 40, 90],
            get_line_color=[60, 60, 60],
            get_point_radius=3000,
            line_width_min_pixels=1,
            pickable=True,
        )
        view = pdk.ViewState(longitude=36.6, latitude=36.2, zoom=7)
        st.pydeck_chart(
            pdk.Deck(layers=[shapes], initial_view_state=view, map_provider=None),
            key="map",
            height=620,  # the dashboard's maps.MAP_HEIGHT
            on_select="rerun",
            selection_mode="single-object",
        )
        st.caption("<b style=color:#c00>■</b> legend", unsafe_allow_html=True)

    map_panel()
with right:

    @st.fragment
    def chart():
        st.selectbox("Sensitivity", ["area", "people"])
        curve = {"x": list(range(0, 101, 5)), "y": [k * k for k in range(0, 101, 5)]}
        line = {
            "mark": "line",
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
        }
        band = {
            "mark": {"type": "rect", "opacity": 0.2, "color": "grey"},
            "encoding": {"x": {"datum": inner}, "x2": {"datum": outer}},
        }
        st.vega_lite_chart(curve, {"layer": [band, line]}, width="stretch")  # the current band, as the dashboard's

    chart()


@st.fragment
def details():
    st.subheader("Details")
    tabs = st.tabs(
        ["Key towns", "Observation posts", "Settlements inside", "Conflict events"], key="details", on_change="rerun"
    )
    with tabs[0]:  # the open tab alone is drawn, as on the landing page
        st.markdown("| town | km |\n|---|---:|\n" + "\n".join(f"| town {k} | {outer - k * 3} |" for k in range(11)))
    for cell, label in zip(st.columns(4), ["CSV", "GeoJSON", "PNG", "SVG"], strict=True):
        cell.download_button(label, b"x", file_name=f"x.{label.lower()}")


details()


@st.fragment
def time_panel():  # the time panel under the details, as on the landing page (timeline.time_panel)
    st.subheader("Through time")
    st.caption("Months of events.")
    time_control(month="2019-05", key="time_control", default=None)
    with st.expander("Small multiples", expanded=False):
        st.select_slider("Months", options=["2019-04", "2019-05", "2019-06"], value=("2019-04", "2019-06"))
        st.radio("A panel per", ["month", "quarter"], horizontal=True)
        st.caption("3 panels.")
        left, right = st.columns(2)
        left.button("Draw the PNG")
        right.button("Add to the briefing")


time_panel()
