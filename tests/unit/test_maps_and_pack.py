"""Map and briefing builders: deck specs (offline basemap, layers, tooltips) and the briefing pack."""

import datetime as dt
import json
import re

import pydeck as pdk
import pytest
import shapely

from dashboard.exchange import decks
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario
from dashboard.render import maps, pack
from dashboard.render.mercator import metres_per_px, view_px
from dashboard.sources import seeds


def test_deck_has_no_online_basemap_and_the_expected_layers(geo):
    impact = assess(geo, Scenario(corridor_km=6, post_radius_km=5))
    deck = json.loads(maps.scenario_map(geo, impact).to_json())
    assert "http" not in json.dumps(deck.get("mapStyle")) and not deck.get("mapProvider")
    ids = [layer["id"] for layer in deck["layers"]]
    for expected in ("countries", "idlib", "afrin", "border", "zone", "band", "corridor", "post_radii", "posts"):
        assert expected in ids
    posts = next(layer for layer in deck["layers"] if layer["id"] == "posts")
    tips = [f["properties"]["tip"] for f in posts["data"]["features"]]
    assert any("Morek" in t and "encircled" in t and "km from the border" in t for t in tips)
    assert len(maps.scenario_map(geo, impact).to_json()) < 1_000_000  # bytes per rerun


def test_a_shared_basemap_gives_the_same_deck_and_is_not_changed(geo):
    impact = assess(geo, Scenario(inner_km=10, outer_km=25))
    base = maps.basemap_layers(geo)
    ids = [layer.id for layer in base]
    hidden = {"units": False, "districts": False}
    posts = maps.posts_layer(geo, impact.posts)
    for show in ({}, hidden, {"posts": False}):
        assert maps.scenario_map(geo, impact, show=show, base=base, posts=posts).to_json() == (
            maps.scenario_map(geo, impact, show=show).to_json()
        )
    assert [layer.id for layer in base] == ids


def test_compact_json_is_pydecks_json_without_indentation(geo):
    deck = maps.scenario_map(geo, assess(geo, Scenario(corridor_km=6, post_radius_km=5)))
    compact = deck.to_json()
    assert "\n" not in compact and json.loads(compact) == json.loads(pdk.Deck.to_json(deck))


def test_layers_share_their_set_up(geo):
    """Software WebGL (no GPU) compiles a pipeline per distinct layer set-up on the first frame: a new variant
    costs ~0.3–0.9 s before the map appears. So every layer is a GeoJSON layer
    (a path layer of its own for the roads and the scale bar was one more); the basemap's area and line
    layers are all pickable with constant colours; every point layer takes colour and radius per feature;
    and every text (the places', the rivers' and the scale bar's) reads the same properties."""
    impact = assess(geo, Scenario(corridor_km=6, post_radius_km=5))
    deck = json.loads(maps.scenario_map(geo, impact, show={"events": True}).to_json())
    assert {layer["@@type"] for layer in deck["layers"]} == {"GeoJsonLayer"}
    texts = [layer for layer in deck["layers"] if layer.get("pointType") == "text"]
    assert {layer["id"] for layer in texts} == {"town_labels", "river_labels", "scale_text"}
    setup = {key for key in texts[0] if key.startswith("getText")}
    for layer in texts:
        assert {key for key in layer if key.startswith("getText")} == setup, layer["id"]
        assert {key: layer[key] for key in setup} == {key: texts[0][key] for key in setup}, layer["id"]
        assert all(str(layer[key]).startswith("@@=properties.") for key in setup - {"getTextAlignmentBaseline"})
    points = {"settlements", "posts", "events"}
    drawn = [layer for layer in deck["layers"] if layer not in texts]
    for layer in drawn:
        assert layer["pickable"] is True, layer["id"]
        if layer["id"] in points:
            assert layer["getFillColor"] == "@@=properties.colour" and layer["getPointRadius"] == "@@=properties.radius"
        else:
            for key in ("getFillColor", "getLineColor", "getLineWidth"):
                assert not str(layer.get(key, "")).startswith("@@="), (layer["id"], key)
    assert points <= {layer["id"] for layer in drawn}


def test_only_accessors_are_expressions(geo):
    """pydeck turns every unquoted string into a deck.gl expression; a literal prop such as widthUnits
    or pointType given as an expression is ignored by deck.gl (paths drew ~100 km wide, points vanished)."""
    impact = assess(geo, Scenario(corridor_km=6, post_radius_km=5))
    deck = json.loads(maps.scenario_map(geo, impact).to_json())
    for layer in deck["layers"]:
        for key, value in layer.items():
            if isinstance(value, str) and value.startswith("@@="):
                assert key.startswith("get"), (layer["id"], key, value)
    settlements = next(layer for layer in deck["layers"] if layer["id"] == "settlements")
    assert settlements["getPointRadius"] == "@@=properties.radius"
    assert all(f["properties"]["radius"] >= 500 for f in settlements["data"]["features"])
    idlib = next(
        f["properties"]["tip"] for f in settlements["data"]["features"] if f["properties"]["tip"].startswith("Idlib")
    )
    assert "population" in idlib and "year not stated" in idlib and "km from the border" in idlib
    words = next(layer for layer in deck["layers"] if layer["id"] == "scale_text")
    assert words["textSizeUnits"] == "meters" and words["pointType"] == "text"


def test_user_layer_is_drawn_with_plain_text_tips(geo):
    from dashboard.sources.uploads import coverage, read_user_layer

    upload = read_user_layer("c.csv", b'name,lat,lon\n"<b>Atmeh</b>",36.31,36.68\n', 10**6)
    impact = assess(geo, Scenario())
    spec = maps.scenario_map(geo, impact, user=maps.user_layer(coverage(geo, impact, upload)))
    user = next(layer for layer in json.loads(spec.to_json())["layers"] if layer["id"] == "user")
    assert user["data"]["features"][0]["properties"]["tip"].startswith("<b>Atmeh</b>\ninside the zone")
    assert set(spec._tooltip) == {"text", "style"}  # deck.gl sets a "text" tooltip as text, never as HTML


def test_layer_toggles_remove_layers(geo):
    impact = assess(geo, Scenario())
    deck = json.loads(maps.scenario_map(geo, impact, show={"settlements": False, "districts": False}).to_json())
    ids = {layer["id"] for layer in deck["layers"]}
    assert "settlements" not in ids and "districts" not in ids and "posts" in ids


def test_alt_text_summarises_the_scenario(geo):
    text = maps.alt_text(assess(geo, Scenario()))
    assert "30–40 km band" in text and "Idlib governorate" in text and "km²" in text


def test_default_sequence_covers_the_briefing_scenarios():
    titles = [s.title for s in decks.default_sequence()]
    assert titles[:3] == ["Proposed 30 km", "Proposed 40 km", "Moscow protocol: M4 corridor 6 + 6 km"]
    before, after = decks.default_sequence()[3:]
    assert before.scenario.as_of < dt.date(2020, 10, 20) < after.scenario.as_of


def test_briefing_pack_is_self_contained(geo):
    steps = decks.default_sequence()[:1]
    html = pack.pack_html(
        geo,
        steps,
        [assess(geo, steps[0].scenario)],
        [],
        "http://localhost:8501",
        seeds.load_table(seeds.TIMELINE),
        made=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert html.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64," in html and "Inputs SHA-256" in html
    # each step's conflict events: deaths per month, and the window's deaths against the depth
    assert html.count("<img ") == 3 and "<h3>Conflict events</h3>" in html
    assert "Idlib (إدلب), Afrin (عفرين)" in html  # the key towns inside with their Arabic names
    assert 'alt="Chart: Deaths per month inside the zone (0–30 km)' in html
    assert 'alt="Chart: Deaths inside in the window (UCDP best, low–high), 01 May 2019–31 Mar 2020' in html
    link = "http://localhost:8501/?inner=0&amp;outer=30"  # the landing page is the root: /scenario is not found
    assert f"<a href='{link}'>{link}</a>" in html
    assert not re.search(r"""src=["']https?:""", html)  # self-contained: nothing is fetched to show it
    hrefs = re.findall(r"""href=["']([^"']*)""", html)
    assert hrefs and all(h.split("?")[0] == "http://localhost:8501/" for h in hrefs)  # links lead only to the dashboard
    assert pack.inputs_hash(steps) == pack.inputs_hash(steps)


def test_the_pack_drops_direction_overrides_and_control_characters_from_titles_and_notes(geo):
    """A right-to-left override typed into the notes reversed how the rest of the pack's text was shown."""
    from dataclasses import replace

    step = replace(decks.default_sequence()[0], title="Title \u202etxet\x07", notes="Notes \u202eoverride\u2066 end")
    html = pack.pack_html(
        geo, [step], [assess(geo, step.scenario)], [], "", [], made=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert "\u202e" not in html and "\u2066" not in html and "\x07" not in html
    assert "Notes override end" in html and "Title txet" in html


def test_map_points_find_their_table_rows_by_id_whatever_the_order(geo):
    """Tooltips once matched points to table rows by position: a reordered table mislabelled every point."""
    from dataclasses import replace

    impact = assess(geo, Scenario())
    flipped = {
        name: {column: values[::-1] for column, values in table.items()} for name, table in impact.columns.items()
    }
    reordered = replace(impact, columns=flipped)
    deck = json.loads(maps.scenario_map(geo, reordered).to_json())
    layers = {layer["id"]: layer for layer in deck["layers"]}
    settlements = list(geo.layers_lonlat["settlements"]["id"])
    tip = layers["settlements"]["data"]["features"][settlements.index("gn169389")]["properties"]["tip"]
    assert tip.startswith("Idlib · إدلب · İdlib\n")  # with its Arabic and Turkish names
    posts = list(geo.layers_lonlat["posts"]["id"])
    tip = layers["posts"]["data"]["features"][posts.index("OP09")]["properties"]["tip"]
    assert tip.startswith("Morek · مورك · Morik observation post")


def test_an_uploaded_polygon_is_drawn_at_the_display_grid_and_tipped_by_its_own_row():
    """A 5,000-polygon upload was sent whole on every rerun (6 MB); outlines are now drawn at ~100 m."""
    import geopandas as gpd
    import shapely

    circle = shapely.Point(36.6, 36.3).buffer(0.5, quad_segs=500)  # 2,000 vertices
    table = gpd.GeoDataFrame(
        {
            "label": ["camp", "post"],
            "distance_to_border_km": [3.0, 40.0],
            "in_band": [False, True],
            "in_zone": [True, True],
        },
        geometry=[circle, shapely.Point(36.7, 36.0)],
        crs=4326,
    )
    features = maps.user_layer(table).data["features"]
    drawn = shapely.get_num_coordinates(shapely.geometry.shape(features[0]["geometry"]))
    assert drawn < 200 < shapely.get_num_coordinates(circle)
    assert features[0]["properties"]["tip"].startswith("camp\ninside the zone")
    assert features[1]["properties"]["tip"].startswith("post\ninside the band")


def test_the_fixed_layers_are_all_that_two_scenarios_share(geo):
    """``basemap_layers`` holds every layer no scenario number changes (the UI serves them as files so a
    slider step does not send them again); everything else in the deck is the scenario's."""
    shown = {"events": True}
    a = json.loads(maps.scenario_map(geo, assess(geo, Scenario(inner_km=10, outer_km=25)), show=shown).to_json())
    b = json.loads(maps.scenario_map(geo, assess(geo, Scenario(inner_km=30, outer_km=60)), show=shown).to_json())
    fixed = {layer.id for layer in maps.basemap_layers(geo, "west")}
    same = {la["id"] for la, lb in zip(a["layers"], b["layers"], strict=True) if la == lb}
    # these change with a date or window and the segment, the names and scale bar with the view: none with the depths
    assert same == fixed | {"posts", "events", "town_labels", "scale_panel", "scale_bar", "scale_text"}
    assert [la["id"] for la in a["layers"]] == [lb["id"] for lb in b["layers"]]
    assert {"countries", "districts", "settlements", "roads"} <= fixed


def test_a_frozen_deck_is_written_once_and_reads_the_same(geo):
    deck = maps.scenario_map(geo, assess(geo, Scenario(corridor_km=6)))
    fresh = deck.to_json()
    assert deck.freeze().to_json() == fresh
    assert deck.to_json() is deck.to_json()  # the written JSON itself, not written again


@pytest.mark.parametrize("camera", list(maps.CAMERAS))
def test_the_scale_bar_is_as_long_on_the_ground_as_it_says_at_its_latitude(camera):
    """Measured on the WGS84 ellipsoid along its parallel, whatever the zoom; a closer view gets a shorter bar."""
    import pyproj

    layers, box = maps.scale_bar(maps.CAMERAS[camera])
    bar = next(layer for layer in layers if layer.id == "scale_bar").data["features"][0]["geometry"]["coordinates"]
    texts = [
        {**f["properties"], "position": f["geometry"]["coordinates"]}
        for f in next(layer for layer in layers if layer.id == "scale_text").data["features"]
    ]
    km = float(texts[-2]["name"].removesuffix(" km"))
    (lon0, lat0), (lon1, lat1) = bar
    assert lat0 == lat1  # along the parallel it states
    _, _, metres = pyproj.Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)
    assert metres == pytest.approx(km * 1000, rel=1e-3)
    note = texts[-1]["name"]
    assert note == f"true at {lat0:.1f}° N"
    view = maps.CAMERAS[camera]
    x, y = view_px(lon1, lat1, view)
    assert 40 < x - box[0] < 400 and box[1] < y < box[3]  # a readable length, inside its panel
    # its words lie on the ground inside its panel, as high in metres as they are drawn in pixels at this view,
    # so zoomed out they shrink with the bar instead of spilling over the names around it
    panel = shapely.geometry.shape(
        next(layer for layer in layers if layer.id == "scale_panel").data["features"][0]["geometry"]
    )
    per_px = metres_per_px(lat0, view["zoom"])
    for text in texts:
        assert panel.contains(shapely.Point(text["position"])), text
        assert text["size"] / per_px == pytest.approx(12 if text is not texts[-1] else 10, abs=0.05)
    words = next(layer for layer in layers if layer.id == "scale_text")
    assert (words.text_size_units, words.text_size_max_pixels) == ("meters", 12)


@pytest.mark.parametrize("height", [420, 560, 620])
def test_the_scale_bar_lies_inside_the_smallest_map_the_pages_draw(height):
    """Found by a hostile tester: placed 250 pixels below the centre, the bar was off the Compare page's
    420-pixel maps. It now sits in the lower left of a map of the given height, at most 420 pixels wide."""
    for camera in maps.CAMERAS.values():
        _, (left, top, right, bottom) = maps.scale_bar(camera, height)
        assert left >= -210 and right <= 210, (camera, left, right)
        assert -height / 2 <= top and bottom <= height / 2, (camera, top, bottom)
        assert bottom > height / 2 - 80  # near the bottom edge


def test_the_sub_districts_catch_clicks_but_are_never_seen(geo):
    """Found by a hostile tester: Streamlit paints a selected feature at full opacity, and a clicked
    sub-district (a fill of alpha 0) turned solid black over its towns. The layer is drawn at an opacity of
    0, which deck.gl multiplies into every colour, selected or not, and still picks; it lies over the zone's
    areas, so a click inside the zone finds the sub-district."""
    deck = json.loads(maps.scenario_map(geo, assess(geo, Scenario(corridor_km=6))).to_json())
    ids = [layer["id"] for layer in deck["layers"]]
    subs = deck["layers"][ids.index("subdistricts")]
    assert subs["opacity"] == 0 and subs["pickable"] is True and subs["filled"] is True
    assert len(subs["data"]["features"]) == len(geo.layers_lonlat["subdistricts"])
    assert max(ids.index(a) for a in ("zone", "band", "corridor")) < ids.index("subdistricts")
    assert ids.index("subdistricts") < min(ids.index(a) for a in ("edge_edge_inner", "settlements", "posts"))


def test_many_uploaded_shapes_are_drawn_filled_without_outlines():
    """Software WebGL took 3.7 s a frame to outline a 5,000-polygon upload (its fill: 0.3 s), drawn again after
    every slider step. Over ``USER_OUTLINE_VERTICES`` vertices as drawn, an upload's shapes are filled only;
    fewer are outlined as before."""
    import geopandas as gpd
    import numpy as np

    t = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    rng = np.random.default_rng(3)
    shapes = [
        shapely.Polygon(zip(lon + 0.05 * np.cos(t), lat + 0.05 * np.sin(t), strict=True))
        for lon, lat in zip(rng.uniform(36, 38, 3_000), rng.uniform(35.5, 36.8, 3_000), strict=True)
    ]

    def upload(n: int) -> gpd.GeoDataFrame:
        rows = {"label": [f"site {i}" for i in range(n)], "distance_to_border_km": 5.0, "in_band": False}
        return gpd.GeoDataFrame({**rows, "in_zone": True}, geometry=shapes[:n], crs=4326)

    few, many = upload(100), upload(3_000)
    assert shapely.get_num_coordinates(maps._user_shapes(many)).sum() > maps.USER_OUTLINE_VERTICES
    assert maps.user_outlined(few) and not maps.user_outlined(many)
    # lines are drawn whatever ``stroked`` says, and a point's ring costs next to nothing: neither counts
    lines = many.set_geometry(shapely.get_exterior_ring(many.geometry.values))
    points = many.set_geometry(shapely.get_point(lines.geometry.values, 0))
    assert maps.user_outlined(lines) and maps.user_outlined(points)
    assert maps.user_layer(few).stroked is True
    drawn = maps.user_layer(many, per_scenario=False)
    assert drawn.stroked is False and drawn.filled is True and drawn.pickable is True
    assert len(drawn.data["features"]) == 3_000
