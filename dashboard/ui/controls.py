"""Scenario widgets in the sidebar, synced with the URL query string."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.exchange import links
from dashboard.model.scenario import DEFAULT, Scenario
from dashboard.render.maps import CAMERAS, LAYER_LABELS, OFF_AT_FIRST
from dashboard.sources.text import markdown_escape
from dashboard.sources.uploads import UploadError, UserLayer
from dashboard.ui import form, places, uploaded_layers
from dashboard.ui.state import KEEP


def _seed_from_url() -> None:
    """Once per session: read the URL into the form, warning about anything it had to ignore.

    Later runs take the widgets' own values (kept across page changes by :mod:`dashboard.ui.state`).
    """
    if st.session_state.get("_seeded"):
        return
    scenario, warnings = links.decode(st.query_params.to_dict())
    st.session_state["_url_warnings"] = warnings
    form.set_values("", scenario)
    st.session_state["_linked"] = scenario  # what the link asked for, as far as it could be used
    st.session_state["_exact"] = scenario  # keeps fractional depths from a link until a slider moves
    st.session_state["_seeded"] = True


SHOWN = "_sidebar_shown"  # (page, scenario) the sidebar last gave, for another page that draws it


def _page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


def carry_scenario() -> None:
    """Start the sidebar's form from the scenario another page's sidebar last showed. A widget's kept value
    belongs to its page, so a second page drawing the sidebar (the Returns page) started at the widgets'
    defaults (a 0–100 km zone) instead of the scenario the briefer had just set."""
    shown = st.session_state.get(SHOWN)
    if shown is not None and shown[0] != _page():
        form.set_values("", shown[1])


def scenario_sidebar() -> Scenario:
    """The scenario form in the sidebar, synced with the URL: rewritten after the widgets so a link
    reproduces the view."""
    _seed_from_url()
    with st.sidebar:
        st.header("Scenario")
        scenario, notes = form.scenario_form()
    form.say(notes)
    exact = _exact_depths(scenario)
    if exact is None:
        st.session_state["_exact"] = None
    else:
        scenario = exact
    if scenario != st.session_state.get("_linked"):
        st.session_state["_url_warnings"] = []  # the scenario has moved on from the link: its warnings are done
    for warning in st.session_state.get("_url_warnings", []):
        st.warning(markdown_escape(f"In the link, {warning}."))  # its text, not markup
    # the time control's month stays in the link: the one it shows (dashboard.ui.timeline keeps it in the session),
    # or on a first run the link's own, which the time control reads after this
    month = st.session_state.get("time_month", st.query_params.get(links.MONTH_PARAM))
    keep_in_link(scenario, **links.month_params(month))
    st.session_state[SHOWN] = (_page(), scenario)
    return scenario


def _exact_depths(scenario: Scenario) -> Scenario | None:
    """The scenario with the link's fractional depths, while the sliders still show them (None once moved)."""
    exact = st.session_state.get("_exact")
    if exact is not None and form.slider_depth(exact) == (int(scenario.inner_km), int(scenario.outer_km)):
        return replace(scenario, inner_km=exact.inner_km, outer_km=exact.outer_km)
    return None


def likely_scenario() -> Scenario | None:
    """The scenario the sidebar's form is about to give, from its widgets' state (a link's on a first run),
    or None where the form would refuse it. The landing page computes its figures before drawing the form:
    the form's messages and the panel's then reach the browser together, and it draws the page once for both
    instead of twice (one React pass of ~20 ms on a machine without a GPU). The form's own scenario is still
    the one shown."""
    _seed_from_url()
    scenario = form.scenario_in_state()
    if scenario is None:
        return None
    exact = _exact_depths(scenario)
    return scenario if exact is None else exact


def page_scenario() -> Scenario:
    """The briefer's scenario on a page without the sidebar's form: the form's, kept across pages, or on a
    page opened first from a link, the link's (read once per session, as the landing page reads it)."""
    return likely_scenario() or st.session_state.get("_linked") or DEFAULT


def keep_in_link(scenario: Scenario, **extra: str) -> None:
    """The page's address carries the scenario (and the page's own ``extra`` parameters): copied and sent,
    it opens the same view for the recipient."""
    st.query_params.from_dict(links.encode(scenario) | extra)


def map_options() -> tuple[str, dict[str, bool]]:
    """Camera preset and layer toggles, in a row above the map: they live in the map's fragment, so a
    change redraws the map alone (a fragment cannot write to the sidebar)."""
    camera_cell, layers_cell = st.columns([2, 1], vertical_alignment="bottom")
    camera = camera_cell.selectbox(
        "Camera",
        list(CAMERAS),
        key=places.CAMERA,
        persist_state=KEEP,
        on_change=places.forget_centre,
        placeholder="On the place found (choose a camera to go back)",
    )
    with layers_cell.popover("Layers", width="stretch"):
        # one widget for all layers: ten checkboxes were 2 kB of every slider step's messages
        shown = st.pills(
            "Layers shown",
            list(LAYER_LABELS),
            selection_mode="multi",
            default=[key for key in LAYER_LABELS if key not in OFF_AT_FIRST],
            format_func=LAYER_LABELS.get,
            key="layers",
            persist_state=KEEP,
        )
    # no camera while the map is centred on a place found (any preset is then a change): the default's view
    # is the fallback should that place be gone
    return camera or next(iter(CAMERAS)), {key: key in (shown or ()) for key in LAYER_LABELS}


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
            layer = uploaded_layers.user_layer(upload, limit_mb * 1_000_000)
        except UploadError as exc:
            problems = "\n".join(f"- {markdown_escape(p)}" for p in exc.problems)
            st.error(f"Your file was not used:\n\n{problems}")
            return None
        (st.warning if layer.dropped else st.success)(markdown_escape(layer.summary() + "."))
        if layer.dropped:
            with st.expander(f"{len(layer.dropped)} dropped", expanded=True):
                st.text("\n".join(layer.dropped))
        for note in layer.notes:
            st.info(markdown_escape(note))
    return layer
