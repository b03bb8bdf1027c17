"""The shaped floor of `make bench` (bench/floor_shaped.py) keeps the landing page's shape: the benchmark's
comparison with it means something only while both pages draw the same elements."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.apptest import app

SHAPED_FLOOR = str(Path(__file__).resolve().parents[2] / "bench" / "floor_shaped.py")
# not compared: plain containers (fragments, error guards) and the connection watch's script, which draw nothing
UNSEEN = {"flex_container", "html"}


def kinds(node, out: Counter | None = None) -> Counter:
    """How many elements of each kind are under ``node``, all levels."""
    out = Counter() if out is None else out
    for child in getattr(node, "children", {}).values():
        if child.type not in UNSEEN:
            out[child.type] += 1
        kinds(child, out)
    return out


def test_the_shaped_floor_draws_the_landing_pages_elements():
    landing = app()
    floor = AppTest.from_file(SHAPED_FLOOR, default_timeout=120).run()
    assert not floor.exception
    for part in ("main", "sidebar"):
        drawn = kinds(getattr(landing, part))
        if part == "main":  # AppTest has no browser: the page says in one line that the live view could not start
            drawn["caption"] -= 1  # and draws the server's map and panel, the shape the floor mirrors
        assert kinds(getattr(floor, part)) == drawn, part
    assert kinds(landing.main)["metric"] == 11  # the comparison is not of two empty pages
