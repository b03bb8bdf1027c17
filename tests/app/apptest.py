"""Shared AppTest helpers: the app started (with query parameters), and a metric read by its label."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui.live_view import UNAVAILABLE

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def app(**params) -> AppTest:
    """The app as a session whose browser cannot run the live view (AppTest has no browser): the landing page
    draws the server's map, panel and slider, its fallback. The live view is tested in Chromium
    (tests/e2e/test_live_view.py) and its figures against the engine (tests/unit/test_depth_curves.py)."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[UNAVAILABLE] = "no browser"
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def opened(page: str, **params) -> AppTest:
    """The app opened on ``page`` ("views/compare.py") from a link with ``params``, as a recipient opens it."""
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def linked(at) -> dict:
    """The page's address parameters as it wrote them, one value each."""
    return {key: (value[-1] if isinstance(value, list) else value) for key, value in at.query_params.items()}


def metric(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)
