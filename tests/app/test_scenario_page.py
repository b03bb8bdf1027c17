"""AppTest of the landing page (Map & scenario): the default scenario, the slider, links, uploads, errors."""

from __future__ import annotations

import hashlib
import json

import pytest

from dashboard.model.scenario import Scenario
from dashboard.ui import engine_results, map_specs, served_files, uploaded_layers
from tests.app.apptest import app, metric


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
    assert [t.label for t in at.tabs] == ["Key towns", "Observation posts", "Settlements inside", "Conflict events"]
    towns = next(m.value for m in at.markdown if m.value.startswith("| Key town | Arabic | Turkish |"))
    assert len(at.dataframe) == 0 and "| Idlib | إدلب | İdlib | 25.9 | yes | no |" in towns  # the names in three
    assert towns.count("\n") == 12  # languages; a header, its rule and the eleven towns
    at.session_state["details"] = "Observation posts"
    at.run()
    posts = at.dataframe[0].value
    assert len(at.dataframe) == 1 and "status" in posts.columns
    assert posts.set_index("name").loc["Morek", ["name_ar", "name_tr"]].tolist() == ["مورك", "Morik"]
    assert all(len(s) >= 1 and all(str(u).startswith("http") for u in s) for s in posts["sources"])
    at.session_state["details"] = "Settlements inside"
    at.run()
    assert len(at.dataframe) == 1 and "population_vintage" in at.dataframe[0].value.columns
    at.slider(key="depth").set_value((0, 60)).run()  # the open tab survives a slider move
    table = at.dataframe[0].value
    assert "population_vintage" in table.columns and (table["distance_to_border_km"] <= 60.5).all()


def test_a_step_builds_the_settlements_towns_and_posts_tables_only_to_show_them():
    """The panel's counts built the settlements' DataFrame for every new depth (~12 ms a step), the details
    built the settlements-inside table whichever tab was open (~10 ms), and the map built the posts' table
    though their layer was drawn once per date (~1 ms). A depth no other test asks for: the
    scenario's results are shared by every session (and every test) in this process."""
    app()  # the posts' layer drawn for this date and segment (once per date: no test knows which depth did it)
    at = app(inner="17", outer="43")
    shown = engine_results.impact(Scenario(inner_km=17, outer_km=43))
    assert metric(at, "Zone area (0–outer)") and not at.exception
    assert not {"settlements", "towns", "posts"} & set(vars(shown))
    at.session_state["details"] = "Settlements inside"
    at.run()
    assert "settlements" in vars(shown) and len(at.dataframe) == 1


def test_the_four_downloads_share_one_row():
    """Two rows of two sent three more blocks (a row and its two columns) with every slider step."""
    at = app()
    rows = {}

    def walk(node, row=None):  # a button's node is its column; the column's parent is the row
        for child in getattr(node, "children", {}).values():
            if child.type == "download_button":
                rows.setdefault(id(row), []).append(child.label)
            walk(child, node)

    walk(at._tree)
    labels = ["Settlements inside (CSV)", "Zones (GeoJSON)", "Map image (PNG)", "Map image (SVG)"]
    assert list(rows.values()) == [labels]


def test_no_download_reruns_the_page():
    """Each file is built on the click; a click that also reran the page made the server forget the builder
    the click asked for once the run finished, and on a loaded machine no CSV ever came (a browser test waited
    ten minutes). A download changes nothing on the page, so it runs no script."""
    from bench.harness import many_polygons_geojson

    at = app()
    at.file_uploader(key="user_upload").set_value(
        ("sites.geojson", many_polygons_geojson(count=600, vertices=8), "application/geo+json")
    ).run()
    buttons = {b.proto.label: b.proto.ignore_rerun for b in at.get("download_button")}
    assert {"Settlements inside (CSV)", "Zones (GeoJSON)", "Your layer, every feature (CSV)"} <= set(buttons)
    assert all(buttons.values()), buttons


def test_the_conflict_events_tab_charts_deaths_per_month_and_the_window_changes_the_count():
    import datetime as dt

    at = app()
    said = next(m.value for m in at.markdown if m.value.startswith("Conflict events, 01 May 2019 – 31 Mar 2020"))
    assert "Conflict events inside: 629 of 1,387" in said and "Deaths inside: 2,994 (2,877–3,188)" in said
    charts_before = len(at.get("vega_lite_chart"))
    at.session_state["details"] = "Conflict events"
    at.run()
    assert len(at.get("vega_lite_chart")) == charts_before + 1 and not at.exception
    spec = json.loads(at.get("vega_lite_chart")[-1].proto.spec)
    assert spec["title"]["text"].startswith("Deaths per month inside the zone (0–40 km)")
    table = at.dataframe[0].value
    assert set(table["type of violence"]) == {"state-based", "non-state", "one-sided"}
    at.date_input(key="events_from").set_value(dt.date(2020, 2, 1)).run()
    at.date_input(key="events_to").set_value(dt.date(2020, 3, 5)).run()
    assert any("Conflict events inside: 140 of 163" in m.value for m in at.markdown)
    assert at.query_params["evfrom"] == "2020-02-01" and at.query_params["evto"] == "2020-03-05"


def test_moving_the_depth_slider_changes_the_area_and_the_url():
    at = app()
    before = metric(at, "Zone area (0–outer)")
    at.slider(key="depth").set_value((30, 60)).run()
    after = metric(at, "Zone area (0–outer)")
    assert after != before
    assert int(after.split()[0].replace(",", "")) > int(before.split()[0].replace(",", ""))
    assert at.query_params["outer"] in ("60", ["60"])


def test_a_steps_figures_are_computed_before_the_form_is_drawn_and_only_once(monkeypatch):
    """A new depth's figures are computed before the sidebar's form is drawn, from its widgets' state: the
    form's messages and the panel's then reach the browser together, and it draws the page once for both.
    The form's own scenario is the one computed, so the engine runs once for it."""
    from dashboard.ui import form

    engine_results._impact.clear()
    events = []
    real_assess, real_widget = engine_results.assess, form._widget

    def assess(geography, scenario, **kw):
        events.append(("figures", scenario.inner_km, scenario.outer_km))
        return real_assess(geography, scenario, **kw)

    monkeypatch.setattr(engine_results, "assess", assess)
    monkeypatch.setattr(form, "_widget", lambda spec, key: events.append(("widget", key)) or real_widget(spec, key))
    at = app(inner="7", outer="53")
    assert events[0] == ("figures", 7.0, 53.0)  # a link's first run too
    events.clear()
    at.slider(key="depth").set_value((7, 54)).run()
    assert events[0] == ("figures", 7.0, 54.0)
    assert events.count(("figures", 7.0, 54.0)) == 1
    assert metric(at, "Zone area (0–outer)") == metric(app(inner="7", outer="54"), "Zone area (0–outer)")
    assert not at.exception
    events.clear()
    app(inner="7.5", outer="53.25")  # a link's fractional depths, kept while the sliders show them
    assert events[0] == ("figures", 7.5, 53.25)
    assert events.index(("figures", 7.5, 53.25)) < events.index(("widget", "depth"))
    assert events.count(("figures", 7.5, 53.25)) == 1


def test_figures_that_fail_ahead_of_the_form_leave_the_form_to_move_off_them(monkeypatch):
    """Computing the figures before the form is drawn is a guess: if it fails, the form is still drawn, so
    the user can move off the scenario, and the page says that something went wrong."""
    engine_results._impact.clear()
    real = engine_results.assess

    def assess(geography, scenario, **kw):
        if scenario.outer_km == 61.0:
            raise RuntimeError("an engine failure for this scenario alone")
        return real(geography, scenario, **kw)

    monkeypatch.setattr(engine_results, "assess", assess)
    at = app(inner="9", outer="61")
    assert at.slider(key="depth").value == (9, 61)
    assert any("Something went wrong" in e.value for e in at.error)
    at.slider(key="depth").set_value((9, 50)).run()
    assert not at.error
    assert metric(at, "Zone area (0–outer)").endswith("km²")


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


def test_the_forms_notes_are_on_the_page_and_shared_inputs_get_no_delta():
    at = app(corridor="6", radius="5")
    at.slider(key="depth").set_value((50, 50)).run()
    assert any("inner < outer" in i.value for i in at.main.info)  # read where the figures are, not the sidebar
    assert not any("inner < outer" in i.value for i in at.sidebar.info)
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["M4 corridor area"] == "" and deltas["Area around manned posts"] == ""  # the baseline shares them
    assert deltas["Zone area (0–outer)"].endswith("km²")


def test_a_links_warnings_go_once_the_scenario_moves_on():
    at = app(inner="abc", corridor="-5")
    assert len(at.warning) == 2
    at.switch_page("views/compare.py").run()
    at.switch_page("views/scenario.py").run()
    assert len(at.warning) == 2  # still the linked scenario: still said
    at.slider(key="depth").set_value((30, 41)).run()
    assert len(at.warning) == 0
    at.switch_page("views/compare.py").run()
    at.switch_page("views/scenario.py").run()
    assert len(at.warning) == 0


def test_a_number_in_a_link_is_digits_and_a_vanishing_radius_is_read_to_the_metre():
    at = app(radius="1e-320")  # exponents are not how a briefer writes kilometres (issue 27): said, not read
    assert len(at.warning) == 1 and "in digits" in at.warning[0].value and "around each post" not in at.caption[0].value
    at = app(radius="0.0000001")
    assert not at.warning and "around each post" not in at.caption[0].value


def test_an_uploaded_layers_coverage_is_computed_once_per_scenario(monkeypatch):
    """A 20 MB layer's coverage took seconds and was computed twice on every rerun; now once per scenario."""
    from dashboard.sources import uploads

    uploaded_layers._coverage.clear()
    calls = []
    real = uploads.coverage
    monkeypatch.setattr(uploads, "coverage", lambda *a: calls.append(a[1].scenario) or real(*a))
    at = app()
    at.file_uploader(key="user_upload").set_value(("camps.csv", CAMPS, "text/csv")).run()
    first = len(calls)
    assert first == 1  # the default scenario is its own baseline
    at.slider(key="depth").set_value((0, 5)).run()
    assert len(calls) == first + 1  # the new scenario only: the baseline's is kept
    at.slider(key="depth").set_value((30, 40)).run()
    at.run()
    assert len(calls) == first + 1  # a scenario seen before costs nothing
    assert metric(at, "Your layer in the zone") == "2 of 3"


def test_the_fixed_layers_are_served_as_files_named_by_their_content():
    """The basemap, settlements, roads and posts go to the browser as files from this server (cached
    by the browser); the deck carries their relative URL, the scenario's own areas inline."""
    from dashboard.model.geography import load_geography
    from dashboard.render import maps

    at = app()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    by_id = {layer["id"]: layer for layer in deck["layers"]}
    inline = {layer.id: layer.data for layer in maps.basemap_layers(load_geography(), "west")}
    for layer_id in ("countries", "districts", "settlements", "roads", "posts"):
        url = by_id[layer_id]["data"]
        assert url.startswith(f"app/static/{layer_id}-") and url.endswith(".json"), url
        body = (served_files.STATIC_DIR / url.removeprefix("app/static/")).read_bytes()
        assert hashlib.sha256(body).hexdigest()[:16] in url  # a rebuilt layer gets a new name
        if layer_id in inline:
            assert json.loads(body) == inline[layer_id]
    assert all(isinstance(by_id[layer_id]["data"], dict) for layer_id in ("zone", "band"))
    names = by_id["town_labels"]  # the places' names: a tile per level of zoom, the level-0 tile holding them all
    assert names["@@type"] == "TileLayer" and names["data"].endswith("-{z}-{x}-{y}.json")
    first = served_files.STATIC_DIR / names["data"].removeprefix("app/static/").format(z=0, x=0, y=0)
    level_0 = maps.name_levels(load_geography())[0]
    assert sorted(f["properties"]["name"] for f in json.loads(first.read_bytes())["features"]) == sorted(
        row["name"] for row in level_0
    )


def test_one_names_tile_removed_under_a_running_server_is_written_again():
    """Found by a hostile tester: with only the default view's tile deleted, the map had no names, even after
    a reload (only the level-0 tile was checked)."""

    at = app()
    template = next(
        layer
        for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
        if layer["id"] == "town_labels"
    )["data"]
    tile = served_files.STATIC_DIR / served_files.tile_url(template, 3, 4, 3).removeprefix("app/static/")
    kept = tile.read_bytes()
    tile.unlink()
    at.slider(key="depth").set_value((30, 41)).run()
    assert tile.read_bytes() == kept


def test_the_names_tiles_written_once_are_found_again_by_a_new_server(monkeypatch):
    """The tiles are named by a digest of what the placement reads: a server started again on the same data
    finds them and places nothing; where none can be written, the map carries its view's names itself."""
    from dashboard.render import maps
    from dashboard.ui import engine_results

    layers_mtime = engine_results.layers.layers_mtime()
    written = map_specs._names(layers_mtime, True)
    map_specs._names.clear()

    def placed_again(_geo):
        raise AssertionError("the names were placed again")

    monkeypatch.setattr(maps, "name_levels", placed_again)
    assert map_specs._names(layers_mtime, True).data == written.data
    map_specs._names.clear()
    assert map_specs._names(layers_mtime, False) is None


def test_a_layer_file_that_cannot_be_written_leaves_the_layer_inline(tmp_path, monkeypatch):
    from dashboard.render import maps

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setattr(served_files, "STATIC_DIR", blocker / "static")
    layer = maps.pdk.Layer("TextLayer", [{"name": "Idlib", "position": [36.6, 35.9]}], id="labels")
    assert served_files.served(layer) is layer and layer.data[0]["name"] == "Idlib"


def test_layers_switched_off_are_not_sent_and_the_camera_moves_the_view():
    at = app()
    at.button_group(key="layers").set_value(["zone", "posts"]).run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"zone", "band", "posts"} <= ids and not ids & {"districts", "settlements", "roads", "units", "rivers"}
    at.selectbox(key="camera").set_value("Afrin").run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["initialViewState"]["zoom"] == 9.3 and "settlements" not in {layer["id"] for layer in deck["layers"]}


def test_a_large_uploads_table_lists_the_features_the_scenario_reaches_and_offers_the_whole_table():
    """Each slider step sent the upload's whole table again (5,000 features: 124 kB of a 162 kB step). Over
    500 features, the 500 nearest the scenario are listed (the band's, then the zone's, then by distance)
    and the whole table is a download."""
    from bench.harness import many_polygons_geojson
    from dashboard.ui.landing import USER_ROWS_SHOWN

    at = app()
    at.file_uploader(key="user_upload").set_value(
        ("sites.geojson", many_polygons_geojson(count=1_200, vertices=8), "application/geo+json")
    ).run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "in_zone" in d.value.columns)
    assert len(table) == USER_ROWS_SHOWN
    inside = int(metric(at, "Your layer in the zone").split(" of ")[0])
    assert table["in_zone"].head(min(inside, USER_ROWS_SHOWN)).all()  # those the zone reaches come first
    outside = table.loc[~table["in_zone"], "distance_to_border_km"]
    assert outside.is_monotonic_increasing
    assert any("The 500 of 1,200 features" in c.value for c in at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Your layer, every feature (CSV)" in labels  # every feature, built on the click (read in Chromium)


def test_a_large_upload_is_drawn_once_as_a_file_and_counted_per_scenario():
    """500 polygons of 150 vertices (75,000): drawn once per border segment and sent as a file, so a
    slider step sends none of it; the counts still follow the scenario."""
    from bench.harness import many_polygons_geojson

    at = app()
    data = many_polygons_geojson(count=500)
    at.file_uploader(key="user_upload").set_value(("sites.geojson", data, "application/geo+json")).run()
    assert not at.exception and not at.error
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    user = next(layer for layer in deck["layers"] if layer["id"] == "user")
    assert user["data"].startswith("app/static/user-")
    inside = metric(at, "Your layer in the zone")
    at.slider(key="depth").set_value((30, 60)).run()
    assert metric(at, "Your layer in the zone") != inside
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert next(layer for layer in deck["layers"] if layer["id"] == "user")["data"] == user["data"]
    assert len(at.get("deck_gl_json_chart")[0].proto.json) < 40_000
    assert user["stroked"] is True and not any("without outlines" in m.value for m in at.markdown)


def test_an_upload_of_many_shapes_is_drawn_filled_and_says_so(monkeypatch):
    """Over ``maps.USER_OUTLINE_VERTICES`` vertices as drawn (lowered here, so that 500 polygons pass it), the
    shapes are drawn without outlines and the layer's sentence says why."""
    from bench.harness import many_polygons_geojson
    from dashboard.render import maps

    monkeypatch.setattr(maps, "USER_OUTLINE_VERTICES", 1_000)
    at = app()
    at.file_uploader(key="user_upload").set_value(
        ("sites.geojson", many_polygons_geojson(count=500), "application/geo+json")
    ).run()
    assert not at.exception and not at.error
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    url = next(layer for layer in deck["layers"] if layer["id"] == "user")
    assert url["stroked"] is False and url["filled"] is True
    said = next(m.value for m in at.markdown if "without outlines" in m.value)
    assert "over 1,000 vertices" in said


def test_the_sensitivity_chart_shades_the_band_over_a_curve_served_as_a_file():

    at = app(inner="20", outer="45")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    band, *curve = spec["layer"]
    assert band["name"] == "current band" and band["data"]["values"][0]["label"] == "current band 20–45 km"
    url = curve[0]["data"]["url"]
    rows = json.loads((served_files.STATIC_DIR / url.removeprefix("app/static/")).read_text())
    assert [r["depth_km"] for r in rows] == list(range(101)) and "zone_area_km2" in rows[40]
    at.selectbox(key="sens_metric").set_value("population_inside").run()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert any(layer["encoding"]["y"]["field"] == "population_inside_low" for layer in spec["layer"][1:])


def test_the_deaths_curve_is_of_the_scenarios_window_and_follows_it():
    import datetime as dt

    at = app(outer="40")
    at.selectbox(key="sens_metric").set_value("deaths_inside").run()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "01 May 2019–31 Mar 2020" in spec["title"]["text"] and "UCDP" in spec["title"]["subtitle"][0]
    url = spec["layer"][2]["data"]["url"]
    rows = json.loads((served_files.STATIC_DIR / url.removeprefix("app/static/")).read_text())
    assert rows[40]["deaths_inside"] == 2994 and rows[40]["deaths_inside_low"] == 2877  # the panel's figure
    at.date_input(key="events_from").set_value(dt.date(2020, 2, 1)).run()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "01 Feb 2020–31 Mar 2020" in spec["title"]["text"] and not at.exception
    url = spec["layer"][2]["data"]["url"]
    rows = json.loads((served_files.STATIC_DIR / url.removeprefix("app/static/")).read_text())
    assert rows[40]["deaths_inside"] < 2994


def test_layer_files_removed_under_a_running_server_are_written_again(tmp_path, monkeypatch):
    # a folder of its own: the served folder is shared with the browser tests' servers, which the suite runs
    # beside this one (pytest-xdist), and must not lose files under them
    monkeypatch.setattr(served_files, "STATIC_DIR", tmp_path)
    at = app(outer="47")
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    urls = [layer["data"] for layer in deck["layers"] if isinstance(layer["data"], str)]
    for path in served_files.STATIC_DIR.glob("*.json"):  # `make clean` while the server runs
        path.unlink()
    at.run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    again = [layer["data"] for layer in deck["layers"] if isinstance(layer["data"], str)]
    assert again == urls  # the same names: the same content
    files = [
        served_files.STATIC_DIR / served_files.tile_url(url).removeprefix("app/static/") for url in again
    ]  # names: tile 0
    assert all(path.is_file() for path in files)
    assert all(oct(path.stat().st_mode)[-3:] == "644" for path in files)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    curve = [layer["data"]["url"].removeprefix("app/static/") for layer in spec["layer"][1:]]
    assert all((served_files.STATIC_DIR / name).is_file() for name in curve)


def test_a_large_uploads_drawing_has_a_name_no_one_can_derive_from_the_file():
    from bench.harness import many_polygons_geojson

    at = app()
    at.file_uploader(key="user_upload").set_value(
        ("sites.geojson", many_polygons_geojson(count=200), "application/geo+json")
    ).run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    url = next(layer["data"] for layer in deck["layers"] if layer["id"] == "user")
    body = (served_files.STATIC_DIR / url.removeprefix("app/static/")).read_bytes()
    assert hashlib.sha256(body).hexdigest()[:16] not in url and len(url.rsplit("-", 1)[1]) == len("0" * 32 + ".json")


def test_a_failing_map_leaves_the_rest_of_the_page(monkeypatch):

    def broken(*args, **kwargs):
        raise RuntimeError("map could not be built")

    monkeypatch.setattr(map_specs, "scenario_map", broken)
    at = app()
    assert not at.exception
    assert any("drawing this panel" in e.value for e in at.error)
    assert metric(at, "Zone area (0–outer)") == "12,190 km²"
    assert at.get("vega_lite_chart") and at.tabs  # the chart and the details are still drawn


def test_the_posts_tile_says_how_many_posts_inside_are_manned():
    """Issue 26: "12 of 18" in the tile's large type, how many of them are manned in its small print (a tile is
    narrow: the whole text cut to "12 of 18 in…"), and the whole sentence under the grid."""
    at = app()
    tile = next(m for m in at.metric if m.label == "Observation posts inside")
    assert tile.value == "12 of 18" and tile.proto.delta_description == "11 manned"
    assert any("**Observation posts inside:** 12 of 18 inside; 11 manned." in m.value for m in at.markdown)


def test_a_month_in_a_link_is_echoed_as_plain_text():
    """A link's month is repeated in the warning that refuses it: as text, so Markdown in it (an image from
    off the machine) is never rendered."""
    at = app(month="![x](http://198.51.100.7/p.png)")
    said = [w.value for w in at.warning if "In the link" in w.value]
    assert said and all("![x](" not in w for w in said)
    assert any(r"\!\[x\]" in w for w in said)


def test_a_zero_change_has_no_arrow():
    """Issue 27: "↑ +0 km²" on every metric of the default scenario."""
    at = app()
    zone = next(m for m in at.metric if m.label == "Zone area (0–outer)")
    assert zone.proto.delta == "±0 km²" and "direction: UP" not in str(zone.proto)
    band = next(m for m in at.metric if m.label == "Band area (inner–outer)")
    at.slider(key="depth").set_value((20, 40)).run()
    band = next(m for m in at.metric if m.label == "Band area (inner–outer)")
    assert band.proto.delta.startswith("+") and "direction: UP" in str(band.proto)


def test_an_uploads_table_is_headed_in_words():
    at = app()
    at.file_uploader(key="user_upload").set_value(("camps.csv", CAMPS, "text/csv")).run()
    columns = json.loads(at.dataframe[0].proto.columns)
    labels = {name: spec.get("label") for name, spec in columns.items()}
    assert labels["in_zone"] == "in the zone" and labels["in_syria"] == "in Syria" and labels["label"] == "feature"


def test_an_empty_upload_is_said():
    at = app()
    at.file_uploader(key="user_upload").set_value(("empty.csv", b"", "text/csv")).run()
    assert any("the file is empty" in e.value for e in at.error)


def test_the_navigation_and_messages_carry_no_icon_that_needs_a_font_or_a_request(monkeypatch):
    """Issue 27: emoji show as empty boxes where no emoji font is installed; and Streamlit 1.67 draws its
    Material icons from SVG files on a font server off the machine (seen in the air-gapped browser walk), so
    pages and messages carry no icon at all."""
    import streamlit as st

    pages, real = [], st.navigation
    monkeypatch.setattr(st, "navigation", lambda given, **kw: pages.extend(given) or real(given, **kw))
    at = app(corridor="x")
    assert len(pages) == 6 and all(not p.icon for p in pages)
    assert at.warning and all(not w.icon for w in at.warning)
