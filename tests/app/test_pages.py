"""AppTest: every page renders on its own, and every page with a map says which geodata file is broken."""

from __future__ import annotations

import shutil

import pytest

from tests.app.apptest import app

PAGES = [
    "views/scenario.py",
    "views/figures.py",
    "views/compare.py",
    "views/briefing.py",
    "views/sources.py",
    "views/returns.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page):
    at = app()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title


def test_a_corrupt_geodata_file_gives_an_error_page_naming_it(tmp_path, monkeypatch):
    from dashboard.sources import layers

    for name in layers.LAYERS:
        shutil.copy2(layers.layer_path(name), tmp_path / f"{name}.geojson")
    (tmp_path / "posts.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setattr(layers, "GEODATA_DIR", tmp_path)
    for page in PAGES[:1] + PAGES[2:4] + PAGES[5:]:
        at = app()
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception
        message = at.error[0].value
        assert "posts.geojson" in message and "make geodata" in message
    (tmp_path / "districts.geojson").unlink()
    at = app()
    assert "districts.geojson is missing" in at.error[0].value
