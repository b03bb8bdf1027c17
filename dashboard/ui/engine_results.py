"""The engine's results, computed once and shared by every session: the geography, a scenario's figures, the
sensitivity curve, the seed tables, the incidents' matches and the gazetteer. Each is keyed by the version
(mtime) of the files it reads, so a rebuilt layer or an edited seed table is picked up without a restart."""

from __future__ import annotations

import streamlit as st

from dashboard.model import incidents, places
from dashboard.model.geography import Geography, load_geography
from dashboard.model.impact import DEFAULT_POPULATION_METHOD, Impact, assess, sensitivity
from dashboard.model.scenario import Scenario
from dashboard.sources import layers, seeds
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


@st.cache_data(show_spinner=False)
def figure_tables(mtime: float):
    return (
        seeds.load_registry(),
        seeds.load_table(seeds.EXTERNAL),
        seeds.load_table(seeds.TIMELINE),
        seeds.unreviewed(),
    )


def seeds_mtime() -> float:
    return max(p.stat().st_mtime for p in seeds.SEEDS_DIR.iterdir())


def seed_tables() -> tuple:
    """Registry, external figures, timeline and unreviewed mentions (reloaded when seeds change)."""
    return figure_tables(seeds_mtime())


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
    return _incident_matches(seeds_mtime(), layers.layers_mtime())


@st.cache_resource(show_spinner=False)
def _gazetteer(mtime: float) -> places.Gazetteer:
    return places.Gazetteer(places.build_gazetteer(geography().layers_lonlat))


def gazetteer() -> places.Gazetteer:
    """Every place with the keys of its names, made once per version of the layers (~0.1 s) and shared."""
    return _gazetteer(layers.layers_mtime())
