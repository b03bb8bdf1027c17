"""Shared AppTest helpers: the app started (with query parameters), and a metric read by its label."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metric(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)
