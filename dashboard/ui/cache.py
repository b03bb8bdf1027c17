"""Caching at the UI edge: the precomputed geography is shared, scenario results are memoised."""

from __future__ import annotations

import contextlib
import copy
import ctypes
import gc
import hashlib
import json
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

import streamlit as st

from dashboard.exchange import decks
from dashboard.model import incidents, metrics, places
from dashboard.model.geography import Geography, load_geography
from dashboard.model.impact import DEFAULT_POPULATION_METHOD, Impact, assess, deaths_by_depth, sensitivity
from dashboard.model.scenario import Scenario
from dashboard.render import charts, map_names, maps
from dashboard.sources import layers, seeds, uploads
from dashboard.ui.guard import CONTROL_FLOW, log

# A scenario in a cache key by its repr (every field, floats exactly): with Streamlit's own hashing of the
# frozen dataclass a cache hit took 0.37 ms instead of 0.28, and a slider step makes about five such calls.
SCENARIO_KEY = {Scenario: repr}


@st.cache_resource(show_spinner="Loading the map layers…")
def _geography(mtime: float) -> Geography:
    return load_geography()


def geography() -> Geography:
    """The shared, read-only geography; rebuilt when a layer file changes (its mtime is in the key)."""
    return _geography(layers.layers_mtime())


# Streamlit serves the folder ``static`` beside the main script at ``app/static/`` when
# ``server.enableStaticServing`` is on (.streamlit/config.toml); the app writes there only the map's layers
# and names' tiles, the charts' data and uploads' drawings, as JSON.
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
STATIC_URL = "app/static/"  # relative: resolved against the page's own address, base URL path included


def _static_file(stem: str, data, private: bool = False) -> str | None:
    """``data`` as a JSON file, written once; its URL, or None if it cannot be written (a read-only
    install: the caller then sends the data inline, slower but the same).

    The name is a hash of the content, so rebuilt data gets a new name and a stale copy is never shown;
    a ``private`` file (an analyst's upload) gets a random name instead, which no one can derive from the
    file they hold. The browser fetches it from this server (same origin, nothing off the machine) and
    keeps it in its cache."""
    body = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("utf-8")
    tag = secrets.token_hex(16) if private else hashlib.sha256(body).hexdigest()[:16]
    path = STATIC_DIR / f"{stem}-{tag}.json"
    return STATIC_URL + path.name if _written(path, body) else None


def _written(path: Path, body: bytes) -> bool:
    """Whether ``path`` holds ``body``: written now, whole or not at all, unless it is there already."""
    if os.access(path, os.R_OK):
        return True
    tmp = None
    try:
        STATIC_DIR.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=STATIC_DIR, suffix=".part", delete=False) as tmp:
            tmp.write(body)
        os.chmod(tmp.name, 0o644)  # readable by the server whoever runs it next (mkstemp makes it 0600)
        os.replace(tmp.name, path)  # whole or not at all, even with two servers starting at once
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp.name)
        return False
    return True


def _tile_url(url: str, z: int = 0, x: int = 0, y: int = 0) -> str:
    """A tiled layer's tile (by default level 0's, which holds the whole map) for a URL template; any other
    URL as it is."""
    return url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def _files(url: str) -> list[str]:
    """The served files behind a URL: a URL template's every tile (the places' names), else the one file."""
    if "{z}" not in url:
        return [url]
    if url not in _TILE_FILES:
        _TILE_FILES[url] = [_tile_url(url, *key) for key in map_names.tile_keys(maps.names_extent(geography()))]
    return _TILE_FILES[url]


_TILE_FILES: dict[str, list[str]] = {}  # a names template's tiles (each rerun checks they are all still there)


def _present(urls) -> bool:
    """Whether every served file behind ``urls`` is still there (``make clean`` under a running server)."""
    return all(os.access(STATIC_DIR / f.removeprefix(STATIC_URL), os.R_OK) for url in urls for f in _files(url))


def _forget_old_uploads(older_than_s: float = 86_400) -> None:
    """Remove drawings of uploads written more than a day ago: an analyst's layer is not kept on the
    server's disk for longer than a briefing day (one server start's worth of cleaning)."""
    with contextlib.suppress(OSError):
        for path in STATIC_DIR.glob("user-*.json"):
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > older_than_s:
                    path.unlink()


_forget_old_uploads()


def _served(layer, private: bool = False):
    """The map layer with its data in a file (see :func:`_static_file`), loaded by URL."""
    url = _static_file(layer.id, layer.data, private)
    if url is None:
        return layer
    served = copy.copy(layer)
    served.data = url
    return served


def _served_datasets(spec: dict, stem: str, inline=lambda view: False) -> dict:
    """A Vega-Lite spec whose named datasets are files loaded by URL (see :func:`_static_file`), for the
    spec itself and each of its layers: Streamlit converts a dataset sent inline to an Arrow table on every
    call (the Figures page's four charts: ~40 ms of each visit's server time), and sends it again. A view for which
    ``inline(view)`` is true keeps its data inline (the sensitivity chart's band, swapped per step, see
    ``charts.with_band``); so does every view if a file cannot be written."""
    datasets = spec.get("datasets", {})

    def served(view: dict) -> dict:
        name = view.get("data", {}).get("name")
        if name not in datasets or inline(view):
            return view
        url = _static_file(stem, datasets[name])
        return view if url is None else {**view, "data": {"url": url, "format": {"type": "json"}}}

    out = served(spec)
    if "layer" in out:
        out = {**out, "layer": [served(layer) for layer in out["layer"]]}
    # a dataset is dropped only if nothing left names it (a nested view or a lookup may, though no chart does)
    named = json.dumps({k: v for k, v in out.items() if k != "datasets"})
    return {**out, "datasets": {k: v for k, v in datasets.items() if json.dumps(k) in named}}


@st.cache_resource(show_spinner=False)
def _basemap(mtime: float, segment: str, as_files: bool) -> list:
    built = maps.basemap_layers(geography(), segment)
    return [_served(layer) for layer in built] if as_files else built


def basemap(segment: str) -> list:
    """The layers no scenario number changes, for one border segment: built once per layer version and
    shared (read-only), served as files when the server serves static files, so a slider step sends
    only what the scenario changed (~260 kB less per step)."""
    return _basemap(layers.layers_mtime(), segment, bool(st.get_option("server.enableStaticServing")))


@st.cache_resource(max_entries=128, show_spinner=False, hash_funcs=SCENARIO_KEY)
def _scenario_map(
    mtime: float,
    scenario: Scenario,
    camera: str,
    shown: tuple,
    as_files: bool,
    user_key: str | None,
    view: tuple | None,
    height: int,
    _user,
) -> maps.CompactDeck:
    drawn = None
    if _user is not None and len(_user):
        if maps.drawn_per_scenario(_user):
            drawn = maps.user_layer(_user)
        else:
            drawn = _user_drawing(mtime, user_key, scenario.segment, as_files, _user)
    result = impact(scenario)
    posts = _posts(mtime, scenario.segment, scenario.as_of, as_files, result)
    events = _events(mtime, scenario.events_from, scenario.events_to, scenario.segment, as_files)
    shown_view = tuple(sorted((dict(view) if view else maps.CAMERAS[camera]).items()))
    view_layers = _view_layers(mtime, shown_view, height, as_files)
    deck = maps.scenario_map(
        geography(),
        result,
        camera,
        dict(shown),
        drawn,
        base=basemap(scenario.segment),
        posts=posts,
        events=events,
        view=dict(view) if view else None,
        view_layers=view_layers,
        names=_names(mtime, as_files),
        height=height,
    )
    return deck.freeze()


@st.cache_resource(show_spinner=False)
def _names(mtime: float, as_files: bool):
    """The places' names for every zoom as tiles served by this server (see ``render/map_names.py``), or None
    where no file can be written (the map then sends its view's names with it).

    The tiles are named by a digest of what the placement reads, so a server started again on the same data
    finds them all written and places nothing (~0.5 s saved on its first map); if any is missing, the missing
    ones are written (the others, named by the same digest, hold the same names)."""
    if not as_files:
        return None
    geo = geography()
    extent = maps.names_extent(geo)
    template = f"{STATIC_URL}names-{maps.names_digest(geo)}-{{z}}-{{x}}-{{y}}.json"
    if not _present([template]):  # a tile missing (a first start, or files removed): the missing ones written
        for (z, x, y), features in map_names.tiles(maps.name_levels(geo), extent).items():
            body = json.dumps(features, separators=(",", ":"), allow_nan=False).encode("utf-8")
            if not _written(STATIC_DIR / _tile_url(template, z, x, y).removeprefix(STATIC_URL), body):
                return None
    return map_names.tiled_layer(template, extent)


@st.cache_resource(max_entries=64, show_spinner=False)
def _view_layers(mtime: float, view: tuple, height: int, as_files: bool) -> list:
    """The scale bar for one view (a camera preset or a searched place), served as files: a slider step sends
    none of it."""
    built = maps.view_layers_for(dict(view), height)
    return [_served(layer) for layer in built] if as_files else built


@st.cache_resource(max_entries=64, show_spinner=False)
def _posts(mtime: float, segment: str, as_of, as_files: bool, _result: Impact):
    """The posts drawn once per (segment, date): a depth, corridor or radius never changes them, and as a
    file (named by its content, so dates with the same statuses share one) a step sends none of it. The
    scenario's posts table is read only to draw them (built for each new depth, it was ~1 ms a step)."""
    drawn = maps.posts_layer(geography(), _result.posts)
    return _served(drawn) if as_files else drawn


@st.cache_resource(max_entries=32, show_spinner=False)
def _events(mtime: float, events_from, events_to, segment: str, as_files: bool):
    """The window's conflict events drawn once per (window, segment), and served as a file: no depth changes
    them, so a slider step sends none of them."""
    drawn = maps.events_layer(geography(), events_from, events_to, segment)
    return _served(drawn) if as_files else drawn


def scenario_map(
    result: Impact,
    camera: str,
    show: dict,
    user=None,
    user_key: str | None = None,
    view: dict | None = None,
    height: int = maps.MAP_HEIGHT,
) -> maps.CompactDeck:
    """The map of a scenario, written once per (scenario, camera or place in view, layers shown, uploaded file,
    height of the map on the page) and shared read-only: going back to a depth seen before costs no deck.
    ``user`` is the upload's coverage for this scenario, named by ``user_key`` (the upload's file id)."""
    if user is not None and user_key is None:
        raise ValueError("an uploaded layer needs its key: the map is shared by everyone with that key")
    as_files = bool(st.get_option("server.enableStaticServing"))
    view_key = tuple(sorted(view.items())) if view else None
    key = (
        layers.layers_mtime(),
        result.scenario,
        camera,
        tuple(sorted(show.items())),
        as_files,
        user_key,
        view_key,
        height,
    )
    deck = _scenario_map(*key, user)
    if not _present(layer.data for layer in deck.layers if isinstance(layer.data, str)):
        # its files were removed under a running server: write them again
        for cached in (_basemap, _posts, _events, _view_layers, _names, _user_drawing, _scenario_map):
            cached.clear()
        deck = _scenario_map(*key, user)
    return deck


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=SCENARIO_KEY)
def _impact(mtime: float, scenario: Scenario, method: str) -> Impact:
    return assess(geography(), scenario, population_method=method)


def impact(scenario: Scenario, method: str = DEFAULT_POPULATION_METHOD) -> Impact:
    return _impact(layers.layers_mtime(), scenario, method)


def impact_ahead(scenario: Scenario | None) -> None:
    """A scenario's figures computed early, best effort (see ``controls.likely_scenario``). A failure is left
    for the page's own call to report, after the form is drawn, so the user can still move off the scenario."""
    if scenario is None:
        return
    try:
        impact(scenario)
    except Exception as exc:  # noqa: BLE001 - a guess must never stop the page
        if type(exc).__name__ in CONTROL_FLOW:
            raise
        log.debug("figures ahead of the form failed; the page's own call reports it", exc_info=True)


@st.cache_data(show_spinner="Computing the sensitivity curve…")
def curve(mtime: float, segment: str):
    return sensitivity(geography(), segment)


def sensitivity_curve(segment: str):
    return curve(layers.layers_mtime(), segment)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sensitivity_spec(mtime: float, segment: str, metric: str, as_files: bool, window) -> dict:
    if window is None:
        chart = charts.sensitivity_chart(sensitivity_curve(segment), 0.0, 0.0, metric)
    else:  # an events metric: its curve is of the window's events (~1 ms), the zone's columns are not needed
        chart = charts.sensitivity_chart(deaths_by_depth(geography(), segment, *window), 0.0, 0.0, metric, window)
    spec = chart.to_dict()
    return (
        _served_datasets(spec, "curve", inline=lambda view: view.get("name") == charts.BAND_LAYER) if as_files else spec
    )


def sensitivity_spec(scenario: Scenario, metric: str) -> dict:
    """The sensitivity chart's Vega-Lite spec: the curve built once per (segment, metric, and the events'
    window for an events metric) and shared read-only (its data served as a file), the current band swapped
    in per call: a slider step builds no chart and sends no curve."""
    s = scenario
    as_files = bool(st.get_option("server.enableStaticServing"))
    window = (s.events_from, s.events_to) if metrics.BY_KEY[metric].group == "events" else None
    spec = _with_its_files(_sensitivity_spec, layers.layers_mtime(), s.segment, metric, as_files, window)
    return charts.with_band(spec, s.inner_km, s.outer_km)


@st.cache_data(show_spinner=False)
def figure_tables(mtime: float):
    return (
        seeds.load_registry(),
        seeds.load_table(seeds.EXTERNAL),
        seeds.load_table(seeds.TIMELINE),
        seeds.unreviewed(),
    )


def _served_urls(spec: dict) -> list[str]:
    """The files a chart spec from :func:`_served_datasets` loads."""
    return [view["data"]["url"] for view in (spec, *spec.get("layer", [])) if "url" in view.get("data", {})]


def _with_its_files(cached, *args):
    """``cached(*args)``, a chart spec or a tuple of them whose data are served files, built again if a file
    was removed under a running server (``make clean``)."""
    specs = cached(*args)
    if not _present(url for spec in (specs if isinstance(specs, tuple) else (specs,)) for url in _served_urls(spec)):
        cached.clear()
        specs = cached(*args)
    return specs


@st.cache_resource(show_spinner=False)
def _figure_specs(mtime: float, as_files: bool) -> tuple[dict, ...]:
    registry, external, timeline, _ = figure_tables(mtime)
    built = (
        charts.syrians_in_turkiye(external, registry),
        charts.escalation_timeline(timeline, registry),
        charts.nw_displacement(external),
        charts.turkish_deaths(external, registry),
    )
    specs = tuple(chart.to_dict() for chart in built)
    return tuple(_served_datasets(spec, "figures") for spec in specs) if as_files else specs


def figure_specs() -> tuple[dict, ...]:
    """The Figures page's four charts as Vega-Lite specs, built once per version of the seeds and shared
    read-only (building them with Altair took ~250 ms of every visit), their data served as files."""
    return _with_its_files(_figure_specs, _seeds_mtime(), bool(st.get_option("server.enableStaticServing")))


@st.cache_resource(show_spinner=False)
def _incident_matches(seeds_mtime: float, layers_mtime: float) -> list:
    registry, external, _, _ = figure_tables(seeds_mtime)
    geo = geography()
    return incidents.match_incidents(
        seeds.load_table(seeds.INCIDENTS),
        incidents.claims(registry, external),
        incidents.places(geo.layers_lonlat),
        geo.layers_lonlat["events"],
    )


def incident_matches() -> list:
    """The texts' incidents with the UCDP events found there and then, once per version of seeds and layers."""
    return _incident_matches(_seeds_mtime(), layers.layers_mtime())


@st.cache_resource(show_spinner=False)
def _gazetteer(mtime: float) -> places.Gazetteer:
    return places.Gazetteer(places.build_gazetteer(geography().layers_lonlat))


def gazetteer() -> places.Gazetteer:
    """Every place with the keys of its names, made once per version of the layers (~0.1 s) and shared."""
    return _gazetteer(layers.layers_mtime())


def _seeds_mtime() -> float:
    return max(p.stat().st_mtime for p in seeds.SEEDS_DIR.iterdir())


def seed_tables() -> tuple:
    """Registry, external figures, timeline and unreviewed mentions (reloaded when seeds change)."""
    return figure_tables(_seeds_mtime())


_ONE_UPLOAD_AT_A_TIME = threading.Lock()


def _release_freed_memory() -> None:
    """Hand memory freed by a large parse back to the system (glibc keeps it otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# An upload's bytes stay with its session until Streamlit drops the session (server.disconnectedSessionTTL
# after its browser closes); freed then, they stay in the allocator's heap unless handed back. Streamlit has no
# hook for a session's end, so after an upload a thread hands freed memory back every so often, for as long
# as an upload's session may still be open (make bench-load measures memory after the sessions close).
RELEASE_EVERY_S = 20
RELEASE_FOR_S = 4 * 3600  # after the last upload; collecting cycles too on every fourth round (~0.2 s)
_releasing = {"until": 0.0, "thread": None}


def _keep_releasing_memory() -> None:
    _releasing["until"] = time.monotonic() + RELEASE_FOR_S
    thread = _releasing["thread"]
    if thread is not None and thread.is_alive():
        return

    def run() -> None:
        rounds = 0
        while time.monotonic() < _releasing["until"]:
            time.sleep(RELEASE_EVERY_S)
            rounds += 1
            if rounds % 4 == 0:
                gc.collect()
            with contextlib.suppress(OSError, AttributeError):
                ctypes.CDLL("libc.so.6").malloc_trim(0)

    _releasing["thread"] = threading.Thread(target=run, name="release-upload-memory", daemon=True)
    _releasing["thread"].start()


@st.cache_resource(max_entries=32, show_spinner="Checking your file…")
def _user_layer(file_id: str, filename: str, size: int, max_bytes: int, _data: bytes) -> uploads.UserLayer:
    # One parse at a time across sessions: a 20 MB upload briefly needs a few hundred MB, and four at once
    # must not need four times that. A parsed layer is small (heavy features are simplified on read), so
    # 32 are kept, enough that a room of analysts with a file each never re-parses on a slider move; the
    # least recently used is dropped first.
    _keep_releasing_memory()
    with _ONE_UPLOAD_AT_A_TIME:
        try:
            return uploads.read_user_layer(filename, _data, max_bytes)
        finally:
            _release_freed_memory()


def user_layer(upload, max_bytes: int) -> uploads.UserLayer:
    """Parsed upload, shared and read once per uploaded file (keyed by the upload's id, not by hashing its
    bytes on every rerun); UploadError is raised each time and never cached."""
    return _user_layer(upload.file_id, upload.name, upload.size, max_bytes, upload.getvalue())


@st.cache_resource(max_entries=8, show_spinner="Placing your layer on the ground…")
def _placed(mtime: float, file_id: str, segment: str, _layer: uploads.UserLayer) -> uploads.Placed:
    return uploads.place(geography(), _layer, segment)


@st.cache_resource(max_entries=8, show_spinner=False)
def _user_drawing(mtime: float, file_id: str, segment: str, as_files: bool, _table):
    """A large upload drawn once per border segment (tooltips without the scenario) and, where the server
    serves files, sent as one: a slider step then sends none of it."""
    drawn = maps.user_layer(_table, per_scenario=False)
    return _served(drawn, private=True) if as_files else drawn


@st.cache_resource(max_entries=16, show_spinner=False)
def _user_outlined(mtime: float, file_id: str, _table) -> bool:
    return maps.user_outlined(_table)


def user_outlined(file_id: str, table) -> bool:
    """Whether the upload's shapes are drawn outlined (see ``maps.user_outlined``), asked once per file."""
    return _user_outlined(layers.layers_mtime(), file_id, table)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=SCENARIO_KEY)
def _coverage(mtime: float, file_id: str, scenario: Scenario, _layer: uploads.UserLayer):
    placed = _placed(mtime, file_id, scenario.segment, _layer)
    return uploads.coverage(geography(), impact(scenario), _layer, placed)


def user_coverage(file_id: str, layer: uploads.UserLayer, scenario: Scenario):
    """What a scenario covers of an uploaded layer, once per (file, scenario) and shared read-only: a large
    layer's coverage took seconds and was computed twice on every rerun (the scenario and its baseline)."""
    return _coverage(layers.layers_mtime(), file_id, scenario, layer)


@st.cache_resource
def deck_store():
    """The one deck store of this server, shared by its sessions: the team's PostgreSQL database when
    ``NWSYRIA_DECKS_URL`` is set (environment or secrets.toml), else SQLite (``NWSYRIA_DECKS_DB`` moves it)."""
    return decks.open_store()
