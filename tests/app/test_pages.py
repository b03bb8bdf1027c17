"""Streamlit AppTest: every page renders; sliders change metrics; URLs reproduce scenarios."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.app.apptest import app, metric

PAGES = ["views/scenario.py", "views/figures.py", "views/compare.py", "views/briefing.py", "views/sources.py"]


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
    assert metric(at, "Zone area (0–outer)") == "12,190 km²"  # west of the Euphrates only (Ain al-Arab is east)
    assert metric(at, "Afrin district inside") == "100%"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"countries", "border", "zone", "band", "posts", "settlements"} <= ids
    assert "http" not in json.dumps(deck.get("mapStyle")) and not deck.get("mapProvider")  # no online basemap
    assert any("Map summary" in c.value for c in at.caption)
    alt = at.get("deck_gl_json_chart")[0].proto.alt  # read by screen readers
    assert alt.startswith("Map of northwest Syria showing 30–40 km band") and "12,190 km²" in alt


def test_detail_tables_draw_only_the_open_tab():
    at = app()
    assert [t.label for t in at.tabs] == ["Key towns", "Observation posts", "Settlements inside"]
    assert len(at.dataframe) == 1 and "Idlib" in list(at.dataframe[0].value["name"])
    at.session_state["details"] = "Observation posts"
    at.run()
    posts = at.dataframe[0].value
    assert len(at.dataframe) == 1 and "status" in posts.columns
    assert all(len(s) >= 1 and all(str(u).startswith("http") for u in s) for s in posts["sources"])
    at.session_state["details"] = "Settlements inside"
    at.run()
    assert len(at.dataframe) == 1 and "population_vintage" in at.dataframe[0].value.columns
    at.slider(key="depth").set_value((0, 60)).run()  # the open tab survives a slider move
    table = at.dataframe[0].value
    assert "population_vintage" in table.columns and (table["distance_to_border_km"] <= 60.5).all()


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


def test_extreme_slider_values_work():
    at = app()
    areas = []
    for inner, outer in ((0, 1), (0, 100), (99, 100), (50, 50)):
        at.slider(key="depth").set_value((inner, outer)).run()
        assert not at.exception and not at.error
        areas.append(int(metric(at, "Zone area (0–outer)").split()[0].replace(",", "")))
    assert all(a > 0 for a in areas) and areas[1] > areas[0]
    assert any("inner < outer" in i.value for i in at.info)  # equal thumbs: the page says what it used


CAMPS = b"name,latitude,longitude\nAtmeh,36.31,36.68\nAriha,35.81,36.61\nReyhanli,36.27,36.57\n"


def test_an_uploaded_csv_is_drawn_and_counted_in_the_impact_panel():
    at = app()
    at.file_uploader(key="user_upload").set_value(("camps.csv", CAMPS, "text/csv")).run()
    assert not at.exception and not at.error
    assert metric(at, "Your layer in the band") == "1 of 3"
    assert metric(at, "Your layer in the zone") == "2 of 3"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert "user" in {layer["id"] for layer in deck["layers"]}
    at.slider(key="depth").set_value((0, 5)).run()
    assert metric(at, "Your layer in the band") == "1 of 3"  # Atmeh, 2.7 km from the border


def test_a_bad_upload_is_refused_with_the_reason_and_loses_nothing():
    at = app(outer="45")
    at.file_uploader(key="user_upload").set_value(("camps.csv", b"name,north,east\nx,1,2\n", "text/csv")).run()
    assert not at.exception
    assert any("needs a latitude column" in e.value for e in at.error)
    assert metric(at, "Zone area (0–outer)") and at.slider(key="depth").value == (30, 45)


def test_uploaded_names_are_shown_as_text_not_html():
    hostile = b'name,lat,lon\n"<img src=x onerror=alert(1)>",36.31,36.68\n2,north,36\n'
    at = app()
    at.file_uploader(key="user_upload").set_value(("<b>x</b>.csv", hostile, "text/csv")).run()
    assert not at.exception
    shown = [m.value for m in (*at.markdown, *at.warning, *at.caption, *at.text)]
    assert not any("<img" in text for text in shown)  # only in the table, which escapes
    assert "<img src=x onerror=alert(1)>" in list(at.dataframe[0].value["label"])


def test_decks_save_reopen_and_import_with_validation(tmp_path, monkeypatch):
    monkeypatch.setenv("NWSYRIA_DECKS_DB", str(tmp_path / "decks.sqlite3"))
    from dashboard.ui import cache

    cache.deck_store.clear()
    at = app()
    at.switch_page("views/briefing.py").run()
    at.text_input(key="deck_name").set_value("Morning brief").run()
    at.button(key="deck_save").click().run()
    assert any("version 1" in s.value for s in at.success)
    at.button(key="deck_save").click().run()
    assert any("version 2" in s.value for s in at.success)
    at.selectbox(key="deck_open").set_value("Morning brief").run()
    at.selectbox(key="deck_open_version").set_value(1).run()
    at.button(key="deck_load").click().run()
    assert any("Opened Morning brief, version 1" in s.value for s in at.success)
    at.file_uploader(key="deck_import").set_value(("deck.json", b'{"format": "x"}', "application/json")).run()
    assert any("not a briefing deck" in e.value for e in at.error)
    assert at.title[0].value == "Proposed 30 km" and not at.exception
    cache.deck_store.clear()


def test_a_corrupt_geodata_file_gives_an_error_page_naming_it(tmp_path, monkeypatch):
    from dashboard.sources import layers

    for name in layers.LAYERS:
        shutil.copy2(layers.layer_path(name), tmp_path / f"{name}.geojson")
    (tmp_path / "posts.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setattr(layers, "GEODATA_DIR", tmp_path)
    for page in PAGES[:1] + PAGES[2:4]:
        at = app()
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception
        message = at.error[0].value
        assert "posts.geojson" in message and "make geodata" in message
    (tmp_path / "districts.geojson").unlink()
    at = app()
    assert "districts.geojson is missing" in at.error[0].value
