"""Caching at the UI edge: the precomputed geography is shared, scenario results are memoised."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading

import streamlit as st

from dashboard.exchange import decks
from dashboard.model.geography import Geography, load_geography
from dashboard.model.impact import DEFAULT_POPULATION_METHOD, Impact, assess, sensitivity
from dashboard.model.scenario import Scenario
from dashboard.render import maps
from dashboard.sources import layers, seeds, uploads


@st.cache_resource(show_spinner="Loading the map layers…")
def _geography(mtime: float) -> Geography:
    return load_geography()


def geography() -> Geography:
    """The shared, read-only geography; rebuilt when a layer file changes (its mtime is in the key)."""
    return _geography(layers.layers_mtime())


@st.cache_resource(show_spinner=False)
def _basemap(mtime: float) -> list:
    return maps.basemap_layers(geography())


def basemap() -> list:
    """The scenario-independent basemap layers, built once per layer version and shared (read-only)."""
    return _basemap(layers.layers_mtime())


@st.cache_resource(max_entries=256, show_spinner=False)
def _impact(mtime: float, scenario: Scenario, method: str) -> Impact:
    return assess(geography(), scenario, population_method=method)


def impact(scenario: Scenario, method: str = DEFAULT_POPULATION_METHOD) -> Impact:
    return _impact(layers.layers_mtime(), scenario, method)


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


def seed_tables() -> tuple:
    """Registry, external figures, timeline and unreviewed mentions (reloaded when seeds change)."""
    mtime = max(p.stat().st_mtime for p in seeds.SEEDS_DIR.iterdir())
    return figure_tables(mtime)


_ONE_UPLOAD_AT_A_TIME = threading.Lock()


def _release_freed_memory() -> None:
    """Hand memory freed by a large parse back to the system (glibc keeps it otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@st.cache_resource(max_entries=32, show_spinner="Checking your file…")
def _user_layer(file_id: str, filename: str, size: int, max_bytes: int, _data: bytes) -> uploads.UserLayer:
    # One parse at a time across sessions: a 20 MB upload briefly needs a few hundred MB, and four at once
    # must not need four times that. A parsed layer is small (heavy features are simplified on read), so
    # 32 are kept, enough that a room of analysts with a file each never re-parses on a slider move; the
    # least recently used is dropped first.
    with _ONE_UPLOAD_AT_A_TIME:
        try:
            return uploads.read_user_layer(filename, _data, max_bytes)
        finally:
            _release_freed_memory()


def user_layer(upload, max_bytes: int) -> uploads.UserLayer:
    """Parsed upload, shared and read once per uploaded file (keyed by the upload's id, not by hashing its
    bytes on every rerun); UploadError is raised each time and never cached."""
    return _user_layer(upload.file_id, upload.name, upload.size, max_bytes, upload.getvalue())


@st.cache_resource(max_entries=64, show_spinner=False)
def _coverage(mtime: float, file_id: str, scenario: Scenario, _layer: uploads.UserLayer):
    return uploads.coverage(geography(), impact(scenario), _layer)


def user_coverage(upload, layer: uploads.UserLayer, scenario: Scenario):
    """What a scenario covers of an uploaded layer, once per (file, scenario) and shared read-only: a large
    layer's coverage took seconds and was computed twice on every rerun (the scenario and its baseline)."""
    return _coverage(layers.layers_mtime(), upload.file_id, scenario, layer)


@st.cache_resource
def deck_store() -> decks.DeckStore:
    """The one deck database of this server (``NWSYRIA_DECKS_DB`` moves it); safe to share across sessions."""
    return decks.DeckStore()
