"""An analyst's uploaded layer, read once and shared: the parsed file, where it lies on the ground, and what a
scenario covers of it. The upload's file id keys every entry (not a hash of its bytes on each rerun)."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
import time

import streamlit as st

from dashboard.model.scenario import Scenario
from dashboard.render import maps
from dashboard.sources import layers, uploads
from dashboard.ui import served_files
from dashboard.ui.engine_results import SCENARIO_KEY, geography, impact

_ONE_UPLOAD_AT_A_TIME = threading.Lock()


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


@st.cache_resource(show_spinner=False)
def forget_old_uploads() -> int:
    """Once a server process (``app.py`` asks on every run; the cache answers after the first): remove
    drawings of uploads older than a day (see ``served_files.forget_old_uploads``)."""
    return served_files.forget_old_uploads()


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
