"""The landing page's live view: the depth control, the map and the headline figures in one browser component.

A round trip through Streamlit per slider step cannot keep up with a drag on a machine without a GPU, so the
browser draws the drag (docs/live-scenario.md). The server prepares, once per segment, the zone cut into
0.5 km annuli with each depth's edge and, once per segment and events window, every headline figure as a
curve over depth (:mod:`dashboard.model.depth_curves`); both are served as files the browser caches. The
component (``live_view.js``, deck.gl from ``dashboard/static/vendor/``) filters the annuli and reads the
figures off the curves on every frame; on release it commits the depth pair, and the page reruns with it
as if the sidebar's slider had moved: link, tables, curve and downloads follow.

The map's other layers are the ones ``render/maps.py`` writes for today's map (names, tooltips, posts,
events, scale bar, uploads), read by the component from pydeck's JSON: a layer added there (a time layer)
is drawn here too. If deck.gl cannot load, the component says so and the page falls back to today's map.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import streamlit as st

from dashboard.model import depth_curves, metrics, population
from dashboard.model.impact import Impact
from dashboard.model.scenario import DEPTH_MAX_KM, Scenario
from dashboard.render import maps
from dashboard.render.style import MAP
from dashboard.sources import layers
from dashboard.ui import engine_results, form, map_specs, places, served_files

KEY = "live"  # the component's key: its state (the committed depth pair, the last pick) lives under it
UNAVAILABLE = "live_unavailable"  # session key: why the live view could not run (the page then falls back)
RELEASED = "live_released"  # session key: a thumb let go, or the view unavailable: the whole page must follow
DECKGL_VERSION = "9.2.6"  # the Makefile's `make vendor` pins the same
VENDOR_FILE = f"vendor/deck.gl-{DECKGL_VERSION}.min.js"
SCENARIO_LAYERS = ("zone", "band", "edge_edge_inner", "edge_edge_outer")  # drawn live from the annuli instead
# the total a count is out of, by metric (metrics.Metric.of, as a figure the curves carry)
OF = {"posts_inside": "posts_total", "towns_inside": "towns_total", "events_inside": "events_north_west"}
SAID = ("population_inside", "population_in_band", "people_in_need_inside", "deaths_inside")  # read aloud

_HERE = Path(__file__).resolve().parent
# The component's script is a served file (live_view.js, named by its content, cached by the browser), loaded
# by this few-line module: Streamlit sends a component's inline script with every run of the page, and the
# whole view (25 kB) went with every step of the sidebar's slider. If the file cannot load, the page falls
# back as it does when deck.gl cannot.
_LOADER = """
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let cleanup = null;
  let gone = false;
  import(new URL(data.module, document.baseURI).href).then(
    (m) => { if (!gone) cleanup = m.default(component); },
    (err) => {
      if (gone) return;
      const root = parentElement.querySelector(".nws-root") || parentElement;
      root.textContent = `The live map's script could not load (${err.message}): the server's map is shown instead.`;
      setStateValue("unavailable", String(err.message));
    },
  );
  return () => { gone = true; if (typeof cleanup === "function") cleanup(); };
}
"""
_COMPONENT = st.components.v2.component(
    "nwsyria_live_view",
    html='<div class="nws-root"></div>',
    css=(_HERE / "live_view.css").read_text(encoding="utf-8"),
    js=_LOADER,
    isolate_styles=False,
)


@st.cache_resource(show_spinner=False)
def _module(mtime: float) -> str | None:
    """The view's script as a served file (its URL), written once per version of live_view.js."""
    return served_files.static_bytes("live-view", (_HERE / "live_view.js").read_bytes(), ".js")


@st.cache_resource(max_entries=16, show_spinner="Preparing the live figures…")
def _curves(mtime: float, segment: str, events_from, events_to) -> str | None:
    record = depth_curves.curves(engine_results.geography(), segment, events_from, events_to)
    return served_files.static_file(f"curves-{segment}", record)


@st.cache_resource(show_spinner="Cutting the zone into annuli…")
def _drawing(mtime: float, segment: str) -> str | None:
    return served_files.static_file(f"annuli-{segment}", depth_curves.drawing(engine_results.geography(), segment))


def _there(url: str | None) -> bool:
    return url is not None and os.access(served_files.path_of(url), os.R_OK)


def served(scenario: Scenario) -> tuple[str | None, str | None, str | None]:
    """The URLs of the view's script, the curves (segment and events window) and the annuli (segment) files,
    written if missing."""
    mtime = layers.layers_mtime()
    script_mtime = (_HERE / "live_view.js").stat().st_mtime
    key = (mtime, scenario.segment, scenario.events_from, scenario.events_to)
    urls = _module(script_mtime), _curves(*key), _drawing(mtime, scenario.segment)
    if not all(_there(url) for url in urls):  # removed under a running server (`make clean`): write again
        for cached in (_module, _curves, _drawing):
            cached.clear()
        urls = _module(script_mtime), _curves(*key), _drawing(mtime, scenario.segment)
    return urls


def warm(scenario: Scenario) -> None:
    """Prepare the default segment's files (a new viewer's first map then waits for none of it)."""
    served(scenario)


def _committed() -> None:
    """The landing view's release: its depth pair becomes the scenario's, as a link's fractional depths do (the
    sidebar's whole-km slider shows the band's whole-km hull, see ``controls._exact_depths``)."""
    chosen = _released_scenario(KEY, "")
    if chosen is None:
        return
    st.session_state["_exact"] = chosen
    form.set_values("", chosen)
    st.session_state[RELEASED] = True


def _released_scenario(key: str, prefix: str) -> Scenario | None:
    """The scenario of the form under ``prefix`` with the depth pair the view under ``key`` was let go at."""
    pair = (st.session_state.get(key) or {}).get("depth")
    current = form.scenario_in_state(prefix)
    if not pair or current is None:
        return None
    try:
        return replace(current, inner_km=float(pair[0]), outer_km=float(pair[1]))
    except (TypeError, ValueError, IndexError):
        return None  # not a pair of depths the scenario accepts: nothing changes


def form_commit(key: str, prefix: str):
    """A release that moves the depth slider of the form under ``prefix`` (Compare's columns: whole
    kilometres, the view's step there, so the slider holds exactly what was let go)."""

    def commit() -> None:
        chosen = _released_scenario(key, prefix)
        if chosen is not None:
            form.set_values(prefix, chosen)

    return commit


def released() -> bool:
    """Whether a thumb was let go, or the view found it cannot run, since the last run (the view's fragment
    then reruns the page), once."""
    return bool(st.session_state.pop(RELEASED, False))


def _picked() -> None:
    picked = (st.session_state.get(KEY) or {}).get("picked") or {}
    layer, row = picked.get("layer"), picked.get("row")
    if isinstance(layer, str) and isinstance(row, int):
        places.open_row(layer, row)


def _unavailable(key: str):
    def unavailable() -> None:
        why = (st.session_state.get(key) or {}).get("unavailable")
        if why:
            st.session_state[UNAVAILABLE] = str(why)
            if key == KEY:
                st.session_state[RELEASED] = True  # the landing page draws its fallback: today's map and slider

    return unavailable


def why() -> str:
    return st.session_state.get(UNAVAILABLE, "")


def available() -> bool:
    """Whether the live view can be drawn in this session (its script loaded last time it was tried)."""
    return UNAVAILABLE not in st.session_state


def rows(result: Impact, baseline: Impact) -> list[dict]:
    """The panel's tiles: every zone metric the scenario has, with what the browser needs to paint it, and
    the engine's own text for the committed scenario (shown until the curves arrive)."""
    out = []
    for m in metrics.shown(result):
        if m.group != "zone":
            continue
        out.append(
            {
                "key": m.key,
                "label": m.label,
                "unit": m.unit.name,
                "of": OF.get(m.key) if m.of is not None else None,
                "parts": [name for name, _ in m.parts(result)] if m.parts else [],
                "compared": m.compared,
                "ranged": m.ranged,
                "text": m.text(result),
                "delta": m.delta(result, baseline),
            }
        )
    return out


def said(result: Impact) -> list[dict]:
    return [
        {"key": m.key, "label": m.label, "unit": m.unit.name, "ranged": m.ranged}
        for m in (metrics.BY_KEY[key] for key in SAID)
    ]


def sentences(result: Impact) -> str:
    """The read-aloud figures as the browser writes them (the engine's words for the committed scenario)."""
    return "  ·  ".join(f"{metrics.BY_KEY[key].label}: {metrics.BY_KEY[key].aloud(result)}" for key in SAID)


def map_layers(spec: dict) -> list[dict]:
    """Today's map's layers as pydeck writes them (``spec``: its JSON, read), less the scenario's zone, band and
    edges (drawn live)."""
    return [layer for layer in spec["layers"] if layer["id"] not in SCENARIO_LAYERS]


# What a page shows of the view: the landing page all of it; Compare's narrow columns the figures under the map;
# the presenter the map alone (the step's figures are the page's, in large type).
LANDING = {"depth": True, "figures": True, "stacked": False}
COLUMN = {"depth": True, "figures": True, "stacked": True}
MAP_ALONE = {"depth": False, "figures": False, "stacked": False}


def landing_view(result: Impact, baseline: Impact, camera: str, show: dict, user=None, user_key: str | None = None):
    """The landing page's view (camera and layers as chosen, the searched place's view), or False where it
    cannot run here (the page then draws today's map and panel)."""
    if not available():
        return False
    deck = map_specs.scenario_map(result, camera, show, user, user_key, view=places.view(), height=maps.MAP_HEIGHT)
    return live_view(
        result, baseline, json.loads(deck.to_json()), show_zone=bool(show.get("zone", True)), on_commit=_committed
    )


def live_view(
    result: Impact,
    baseline: Impact,
    spec: dict,
    *,
    key: str = KEY,
    parts: dict = LANDING,
    step_km: float = depth_curves.GRID_KM,
    show_zone: bool = True,
    on_commit=None,
    height: int = maps.MAP_HEIGHT,
):
    """The component drawing ``spec`` (a map's pydeck JSON, read) with the zone and band live, or False where
    it cannot run here (the caller then draws ``spec`` with pydeck). Clicks open cards on the landing page
    (``key`` KEY) alone; ``on_commit`` is called when a thumb is let go."""
    if not available():
        return False
    module, curves, drawing = served(result.scenario)
    if module is None or curves is None or drawing is None:  # no file can be written (a read-only install)
        return False
    s = result.scenario
    data = {
        "module": module,
        "vendor": served_files.STATIC_URL + VENDOR_FILE,
        "curves": curves,
        "drawing": drawing,
        "constant": depth_curves.constants(result),
        "scenario": {"inner_km": s.inner_km, "outer_km": s.outer_km, "segment": s.segment},
        "baseline": [30.0, 40.0],
        "grid_km": depth_curves.GRID_KM,
        "step_km": step_km,
        "parts": parts,
        "max_km": DEPTH_MAX_KM,
        "rows": rows(result, baseline),
        "said": said(result),
        "sentences": sentences(result),
        "low_confidence_spread": population.LOW_CONFIDENCE_SPREAD,
        "caption": "Δ against the 30–40 km default with the same segment, corridor, radius and date.",
        "layers": map_layers(spec),
        "show_zone": show_zone,
        "looks": {
            "zone": MAP["zone"].fill.rgba,  # the whole zone, with the band over it: stacked, the band's
            "band": MAP["band"].fill.rgba,  # colour is today's map's (band_alone)
            "edge_inner": {"colour": MAP["edge_inner"].line.rgba, "width": MAP["edge_inner"].width},
            "edge_outer": {"colour": MAP["edge_outer"].line.rgba, "width": MAP["edge_outer"].width},
        },
        "clickable": list(places.CLICKABLE) if key == KEY else [],
        "view": spec["initialViewState"],
        "height": height,
        "alt": maps.alt_text(result),
    }
    callbacks = {"on_depth_change": on_commit or (lambda: None), "on_unavailable_change": _unavailable(key)}
    if key == KEY:
        callbacks["on_picked_change"] = _picked
    return _COMPONENT(key=key, data=data, default={"depth": [s.inner_km, s.outer_km]}, height="content", **callbacks)
