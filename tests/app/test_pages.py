"""Streamlit AppTest: every page renders; sliders change metrics; URLs reproduce scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["views/scenario.py", "views/figures.py", "views/compare.py", "views/briefing.py", "views/sources.py"]


def app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metric(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page):
    at = app()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title


def test_landing_page_shows_the_default_scenario_with_a_map():
    at = app()
    assert metric(at, "Zone area (0–outer)") == "13,237 km²"
    assert metric(at, "Afrin district inside") == "100%"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"countries", "border", "zone", "band", "posts", "settlements"} <= ids
    assert "http" not in json.dumps(deck.get("mapStyle")) and not deck.get("mapProvider")  # no online basemap
    assert any("Map summary" in c.value for c in at.caption)


def test_moving_the_depth_slider_changes_the_area_and_the_url():
    at = app()
    before = metric(at, "Zone area (0–outer)")
    at.slider(key="depth").set_value((30, 60)).run()
    after = metric(at, "Zone area (0–outer)")
    assert after != before
    assert int(after.split()[0].replace(",", "")) > int(before.split()[0].replace(",", ""))
    assert at.query_params["outer"] in ("60", ["60"])


def test_a_url_reproduces_its_scenario():
    at = app(inner="10", outer="25", seg="all", corridor="6", asof="2019-09-01")
    assert at.slider(key="depth").value == (10, 25)
    assert at.selectbox(key="segment").value == "all"
    assert at.number_input(key="corridor").value == 6.0
    assert "10–25 km band along the whole border" in at.caption[0].value
    assert not at.warning


@pytest.mark.parametrize(
    "params",
    [
        {"outer": "abc"},
        {"inner": "80", "outer": "20"},
        {"seg": "<script>alert(1)</script>"},
        {"asof": "1999-01-01"},
        {"corridor": "1e309"},
    ],
)
def test_invalid_parameters_warn_and_fall_back(params):
    at = app(**params)
    assert not at.exception and not at.error
    assert at.warning, "an invalid parameter must be reported"
    assert metric(at, "Zone area (0–outer)")


def test_figures_page_draws_four_charts_and_the_registry():
    at = app()
    at.switch_page("views/figures.py").run()
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [s["title"]["text"] for s in specs]
    assert titles == [
        "Syrians in Türkiye by year",
        "Escalation timeline, 2011–2023",
        "NW Syria displacement, December 2019 – March 2020",
        "Turkish military deaths in Idlib, February 2020",
    ]
    assert at.success  # every mention curated


def test_briefing_steps_forward_and_back():
    at = app()
    at.switch_page("views/briefing.py").run()
    assert at.title[0].value == "Proposed 30 km"
    at.button(key="brief_next").click().run()
    assert at.title[0].value == "Proposed 40 km"
    at.button(key="brief_back").click().run()
    assert at.title[0].value == "Proposed 30 km"


def test_compare_shows_a_table_of_differences():
    at = app()
    at.switch_page("views/compare.py").run()
    table = at.dataframe[0].value
    assert "B − A" in table.columns
    zone = table.set_index("metric").loc["Zone area (km²)"]
    assert zone["B"] > zone["A"]
