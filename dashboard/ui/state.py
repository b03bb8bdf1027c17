"""Widget values that survive page changes.

Streamlit forgets a widget's value at the end of any run in which the widget was not drawn, so leaving
a page and coming back would reset (or, for a range slider seeded once from the URL, break) its
controls. Each run, before the page is drawn, the values of the widgets below are copied to keys of our
own, and copied back when their widget has been forgotten: every page keeps its controls as the user
left them, however the pages are visited.
"""

from __future__ import annotations

import streamlit as st

# Widgets whose values are the user's work. Buttons, uploaders and data editors cannot be set this way
# (their state lives elsewhere: see views/briefing.py for the editor).
KEPT = (
    "depth",
    "segment",
    "corridor",
    "radius",
    "as_of",
    "camera",
    "sens_metric",
    "presenter",
    "deck_name",
    "deck_open",
    "deck_open_version",
    *(f"{side}_{field}" for side in ("a", "b") for field in ("depth", "segment", "corridor", "asof")),
)
KEPT_PREFIXES = ("layer_",)
SHADOW = "_kept::"


def _kept(key: object) -> bool:
    return isinstance(key, str) and (key in KEPT or key.startswith(KEPT_PREFIXES))


def keep_widget_values() -> None:
    """Call once per run before the page: remember every kept value, restore the ones Streamlit dropped."""
    state = st.session_state
    for key in [k for k in state if _kept(k)]:
        state[SHADOW + key] = state[key]
    for shadow in [k for k in state if isinstance(k, str) and k.startswith(SHADOW)]:
        key = shadow[len(SHADOW) :]
        if key not in state:
            state[key] = state[shadow]


def forget(key: str) -> None:
    """Drop a kept value for good (a widget whose options changed, e.g. the versions of another deck)."""
    st.session_state.pop(key, None)
    st.session_state.pop(SHADOW + key, None)
