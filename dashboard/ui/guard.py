"""Turn failures into messages a briefer can act on; a traceback never reaches the page."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from dashboard.layers import GeodataError

log = logging.getLogger("dashboard")
CONTROL_FLOW = ("StopException", "RerunException")  # st.stop() and st.rerun() raise these: let them pass


@contextmanager
def friendly_errors():
    try:
        yield
    except GeodataError as exc:
        st.error(f"The map data could not be loaded. {exc}", icon="🗺️")
        st.stop()
    except Exception as exc:  # noqa: BLE001 - last line of defence for the page
        if type(exc).__name__ in CONTROL_FLOW:
            raise
        log.exception("page failed")
        st.error(
            "Something went wrong while drawing this page; the details are in the server log. "
            "Try the default scenario (open the page without parameters).",
            icon="⚠️",
        )
        st.stop()
