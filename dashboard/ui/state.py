"""Widget values that survive page changes.

Streamlit forgets a widget's value once its page is not drawn, so leaving a page and coming back would
reset its controls (and broke the landing page's range slider, which is seeded once from the link).
Every widget that holds the user's work is created with ``persist_state=KEEP``: Streamlit then keeps
its value for the whole session and gives it back when the page is drawn again, in the browser as on
the server. (Copying the values to keys of our own and back kept the server right but left the
browser's slider at its defaults after a move, so a keyboard move did nothing: tests/e2e checks this.)
"""

from __future__ import annotations

import streamlit as st

KEEP = "session"


def forget(key: str) -> None:
    """Drop a kept value for good (a widget whose options changed, e.g. the versions of another deck)."""
    st.session_state.pop(key, None)
