"""Turn failures into messages a briefer can act on; a traceback never reaches the page."""

from __future__ import annotations

import functools
import logging
from contextlib import contextmanager

import streamlit as st

from dashboard.sources.layers import GeodataError

log = logging.getLogger("dashboard")
CONTROL_FLOW = ("StopException", "RerunException")  # st.stop() and st.rerun() raise these: let them pass


CALLBACK_ERROR = "_callback_error"


def guarded(callback):
    """A widget callback that never shows a traceback: a failure is logged and said on the next run."""

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - callbacks run outside the page's own guard
            if type(exc).__name__ in CONTROL_FLOW:
                raise
            log.exception("callback %s failed", callback.__name__)
            st.session_state[CALLBACK_ERROR] = (
                "That action did not complete; nothing was changed. The details are in the server log."
            )

    return run


@contextmanager
def friendly_errors(panel: bool = False):
    """A failure becomes a message. For the page it also stops the run; for a ``panel`` (a fragment) the
    message stands in for that panel alone and the rest of the page is still drawn (``st.stop()`` in a
    fragment would stop the whole page's run)."""
    if not panel and CALLBACK_ERROR in st.session_state:
        st.error(st.session_state.pop(CALLBACK_ERROR))
    try:
        yield
    except GeodataError as exc:
        st.error(f"The map data could not be loaded. {exc}")
        if not panel:
            st.stop()
    except Exception as exc:  # noqa: BLE001 - last line of defence for the page
        if type(exc).__name__ in CONTROL_FLOW:
            raise
        log.exception("page failed")
        where = "this panel" if panel else "this page"
        st.error(
            f"Something went wrong while drawing {where}; the details are in the server log. "
            "Try the default scenario (open the page without parameters).",
        )
        if not panel:
            st.stop()
