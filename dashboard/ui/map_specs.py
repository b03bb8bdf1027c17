"""The map decks and chart specs the pages send, built once and shared read-only, their data served as files
(``served_files.py``) where the server serves static files: the basemap per border segment, the posts per
date, the events per window, the names' tiles, a scenario's whole map, the sensitivity curve and the Figures
page's charts. A slider step then builds no deck and sends only what the scenario changed.

If a served file is removed under a running server (``make clean``), the spec that names it is built again,
which writes its files again."""

from __future__ import annotations

import json

import streamlit as st

from dashboard.model import metrics
from dashboard.model.impact import Impact, deaths_by_depth
from dashboard.model.scenario import Scenario
from dashboard.render import charts, map_names, maps
from dashboard.sources import layers
from dashboard.ui import served_files
from dashboard.ui.engine_results import (
    SCENARIO_KEY,
    figure_tables,
    geography,
    impact,
    seeds_mtime,
    sensitivity_curve,
)
from dashboard.ui.served_files import STATIC_URL, served, tile_url


def _as_files() -> bool:
    return bool(st.get_option("server.enableStaticServing"))


_TILE_FILES: dict[str, list[str]] = {}  # a names template's tiles (each rerun checks they are all still there)


def _tiles(template: str) -> list[str]:
    """Every tile of the places' names behind their URL template."""
    if template not in _TILE_FILES:
        extent = maps.names_extent(geography())
        _TILE_FILES[template] = [tile_url(template, *key) for key in map_names.tile_keys(extent)]
    return _TILE_FILES[template]


def _present(urls) -> bool:
    return served_files.present(urls, _tiles)


@st.cache_resource(show_spinner=False)
def _basemap(mtime: float, segment: str, as_files: bool) -> list:
    built = maps.basemap_layers(geography(), segment)
    return [served(layer) for layer in built] if as_files else built


def basemap(segment: str) -> list:
    """The layers no scenario number changes, for one border segment: built once per layer version and
    shared (read-only), served as files when the server serves static files, so a slider step sends
    only what the scenario changed (~260 kB less per step)."""
    return _basemap(layers.layers_mtime(), segment, _as_files())


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
            if not served_files.written(served_files.path_of(tile_url(template, z, x, y)), body):
                return None
    return map_names.tiled_layer(template, extent)


@st.cache_resource(max_entries=64, show_spinner=False)
def _view_layers(mtime: float, view: tuple, height: int, as_files: bool) -> list:
    """The scale bar for one view (a camera preset or a searched place), served as files: a slider step sends
    none of it."""
    built = maps.view_layers_for(dict(view), height)
    return [served(layer) for layer in built] if as_files else built


@st.cache_resource(max_entries=64, show_spinner=False)
def _posts(mtime: float, segment: str, as_of, as_files: bool, _result: Impact):
    """The posts drawn once per (segment, date): a depth, corridor or radius never changes them, and as a
    file (named by its content, so dates with the same statuses share one) a step sends none of it. The
    scenario's posts table is read only to draw them (built for each new depth, it was ~1 ms a step)."""
    drawn = maps.posts_layer(geography(), _result.posts)
    return served(drawn) if as_files else drawn


@st.cache_resource(max_entries=32, show_spinner=False)
def _events(mtime: float, events_from, events_to, segment: str, as_files: bool):
    """The window's conflict events drawn once per (window, segment), and served as a file: no depth changes
    them, so a slider step sends none of them."""
    drawn = maps.events_layer(geography(), events_from, events_to, segment)
    return served(drawn) if as_files else drawn


@st.cache_resource(max_entries=8, show_spinner=False)
def _user_drawing(mtime: float, file_id: str, segment: str, as_files: bool, _table):
    """A large upload drawn once per border segment (tooltips without the scenario) and, where the server
    serves files, sent as one (privately named): a slider step then sends none of it."""
    drawn = maps.user_layer(_table, per_scenario=False)
    return served(drawn, private=True) if as_files else drawn


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
    view_key = tuple(sorted(view.items())) if view else None
    key = (
        layers.layers_mtime(),
        result.scenario,
        camera,
        tuple(sorted(show.items())),
        _as_files(),
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


def _with_its_files(cached, *args):
    """``cached(*args)``, a chart spec or a tuple of them whose data are served files, built again if a file
    was removed under a running server (``make clean``)."""
    specs = cached(*args)
    urls = (url for spec in (specs if isinstance(specs, tuple) else (specs,)) for url in served_files.served_urls(spec))
    if not _present(urls):
        cached.clear()
        specs = cached(*args)
    return specs


@st.cache_resource(max_entries=64, show_spinner=False)
def _sensitivity_spec(mtime: float, segment: str, metric: str, as_files: bool, window) -> dict:
    if window is None:
        chart = charts.sensitivity_chart(sensitivity_curve(segment), 0.0, 0.0, metric)
    else:  # an events metric: its curve is of the window's events (~1 ms), the zone's columns are not needed
        chart = charts.sensitivity_chart(deaths_by_depth(geography(), segment, *window), 0.0, 0.0, metric, window)
    spec = chart.to_dict()
    if not as_files:
        return spec
    return served_files.served_datasets(spec, "curve", inline=lambda view: view.get("name") == charts.BAND_LAYER)


def sensitivity_spec(scenario: Scenario, metric: str) -> dict:
    """The sensitivity chart's Vega-Lite spec: the curve built once per (segment, metric, and the events'
    window for an events metric) and shared read-only (its data served as a file), the current band swapped
    in per call: a slider step builds no chart and sends no curve."""
    s = scenario
    window = (s.events_from, s.events_to) if metrics.BY_KEY[metric].group == "events" else None
    spec = _with_its_files(_sensitivity_spec, layers.layers_mtime(), s.segment, metric, _as_files(), window)
    return charts.with_band(spec, s.inner_km, s.outer_km)


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
    return tuple(served_files.served_datasets(spec, "figures") for spec in specs) if as_files else specs


def figure_specs() -> tuple[dict, ...]:
    """The Figures page's four charts as Vega-Lite specs, built once per version of the seeds and shared
    read-only (building them with Altair took ~250 ms of every visit), their data served as files."""
    return _with_its_files(_figure_specs, seeds_mtime(), _as_files())
