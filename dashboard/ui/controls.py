"""Scenario widgets in the sidebar, synced with the URL query string."""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

from dashboard.exchange import links
from dashboard.model.scenario import (
    AS_OF_MAX,
    AS_OF_MIN,
    CORRIDOR_MAX_KM,
    DEFAULT,
    DEPTH_MAX_KM,
    POST_RADIUS_MAX_KM,
    SEGMENTS,
    Scenario,
    ScenarioError,
)
from dashboard.render.maps import CAMERAS, LAYER_LABELS
from dashboard.sources.text import markdown_escape
from dashboard.sources.uploads import UploadError, UserLayer
from dashboard.ui import cache
from dashboard.ui.state import KEEP

KEYS = {"depth": "depth", "segment": "segment", "corridor": "corridor", "radius": "radius", "as_of": "as_of"}


def _seed_from_url() -> None:
    """Once per session: read the URL into widget state, warning about anything it had to ignore.

    Later runs take the widgets' own values (kept across page changes by :mod:`dashboard.ui.state`).
    """
    if st.session_state.get("_seeded"):
        return
    scenario, warnings = links.decode(st.query_params.to_dict())
    st.session_state["_url_warnings"] = warnings
    st.session_state[KEYS["depth"]] = slider_depth(scenario)
    st.session_state[KEYS["segment"]] = scenario.segment
    st.session_state[KEYS["corridor"]] = float(scenario.corridor_km)
    st.session_state[KEYS["radius"]] = float(scenario.post_radius_km)
    st.session_state[KEYS["as_of"]] = scenario.as_of
    st.session_state["_exact"] = scenario  # keeps fractional depths from a link until a slider moves
    st.session_state["_seeded"] = True


def slider_depth(scenario: Scenario) -> tuple[int, int]:
    """Whole-km slider thumbs that contain the scenario's band (29.6–29.9 km shows as 29–30, not 30–30)."""
    inner = min(math.floor(scenario.inner_km), int(DEPTH_MAX_KM) - 1)
    return inner, max(math.ceil(scenario.outer_km), inner + 1)


def scenario_sidebar() -> Scenario:
    """Widgets -> Scenario; the URL is rewritten after the widgets so a link reproduces the view."""
    _seed_from_url()
    for warning in st.session_state.get("_url_warnings", []):
        st.warning(markdown_escape(f"Link parameter {warning}."), icon="⚠️")  # the link's text, never markup
    with st.sidebar:
        st.header("Scenario")
        inner, outer = st.slider(
            "Zone depth, km from the border",
            0,
            100,
            key=KEYS["depth"],
            step=1,
            persist_state=KEEP,
            help="Measured on the ground from the Syria–Türkiye border into Syria.",
        )
        segment = st.selectbox(
            "Border segment", list(SEGMENTS), format_func=SEGMENTS.get, key=KEYS["segment"], persist_state=KEEP
        )
        corridor = st.number_input(
            "M4 corridor, km either side (0 = off)",
            0.0,
            CORRIDOR_MAX_KM,
            step=1.0,
            key=KEYS["corridor"],
            persist_state=KEEP,
            help="The 5 March 2020 Moscow protocol set 6 km.",
        )
        radius = st.number_input(
            "Radius around each manned post, km (0 = off)",
            0.0,
            POST_RADIUS_MAX_KM,
            step=1.0,
            key=KEYS["radius"],
            persist_state=KEEP,
        )
        as_of = st.date_input(
            "Post status as of",
            min_value=AS_OF_MIN,
            max_value=AS_OF_MAX,
            key=KEYS["as_of"],
            persist_state=KEEP,
        )
    if inner >= outer:
        outer = min(inner + 1, 100)
        inner = outer - 1
        st.info(f"The band needs inner < outer: using {inner}–{outer} km.")
    exact = st.session_state.get("_exact")
    try:
        scenario = Scenario(
            inner_km=float(inner),
            outer_km=float(outer),
            segment=segment,
            corridor_km=corridor,
            post_radius_km=radius,
            as_of=as_of,
        )
    except ScenarioError as exc:
        st.warning(f"{exc}; using the default scenario.")
        scenario = DEFAULT
    if exact is not None and slider_depth(exact) == (inner, outer):
        scenario = replace(scenario, inner_km=exact.inner_km, outer_km=exact.outer_km)
    else:
        st.session_state["_exact"] = None
    st.query_params.from_dict(links.encode(scenario))
    return scenario


def map_options() -> tuple[str, dict[str, bool]]:
    """Camera preset and layer toggles."""
    with st.sidebar:
        st.header("Map")
        camera = st.selectbox("Camera", list(CAMERAS), key="camera", persist_state=KEEP)
        with st.expander("Layers", expanded=False):
            show = {
                key: st.checkbox(label, value=True, key=f"layer_{key}", persist_state=KEEP)
                for key, label in LAYER_LABELS.items()
            }
    return camera, show


def user_layer_upload() -> UserLayer | None:
    """Sidebar upload of the analyst's own points or shapes; problems are listed, nothing is accepted silently."""
    limit_mb = int(st.get_option("server.maxUploadSize"))
    with st.sidebar:
        st.header("Your layer")
        upload = st.file_uploader(
            "GeoJSON, or CSV with latitude and longitude columns",
            type=["geojson", "json", "csv"],
            key="user_upload",
            help=f"Up to {limit_mb} MB and 5,000 features, WGS 84 longitude/latitude. Read as data only.",
        )
        if upload is None:
            return None
        try:
            layer = cache.user_layer(upload, limit_mb * 1_000_000)
        except UploadError as exc:
            problems = "\n".join(f"- {markdown_escape(p)}" for p in exc.problems)
            st.error(f"Your file was not used:\n\n{problems}", icon="🚫")
            return None
        (st.warning if layer.dropped else st.success)(markdown_escape(layer.summary() + "."), icon="📍")
        if layer.dropped:
            with st.expander(f"{len(layer.dropped)} dropped", expanded=True):
                st.text("\n".join(layer.dropped))
        for note in layer.notes:
            st.info(markdown_escape(note))
    return layer
