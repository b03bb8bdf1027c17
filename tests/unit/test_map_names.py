"""The places' names on the interactive map: never overlapping at any zoom the map reaches, key towns first.

The checks read the names back from what deck.gl is given (point, anchor, pixel offset, size) and lay them
out again at each zoom, independently of the placement's own arithmetic."""

import json
import math

import numpy as np
import pytest

from dashboard.model.geography import KEY_TOWNS
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario
from dashboard.render import map_names, maps
from dashboard.render.fonts import FILES, text_width
from dashboard.render.mercator import metres_per_px, view_px
from dashboard.render.style import POINT, TEXT


@pytest.fixture(scope="module")
def levels(geo):
    return maps.name_levels(geo)


def name_boxes(rows, view) -> np.ndarray:
    """Each drawn name's box in pixels of the view, from its point, anchor, offset and size."""
    boxes = []
    for row in rows:
        x, y = view_px(*row["position"], view)
        size, width = row["size"], text_width(row["name"], row["size"])  # DejaVu Sans, letter by letter
        left = x + row["offset"][0] - {"middle": width / 2, "start": 0.0, "end": width}[row["anchor"]]
        bottom = y + row["offset"][1]
        boxes.append((left, bottom - size, left + width, bottom))
    return np.array(boxes, dtype=float).reshape(-1, 4)


def overlapping(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a × b: whether each box of ``a`` overlaps each box of ``b`` (touching is not overlapping)."""
    return (
        (a[:, None, 0] < b[None, :, 2])
        & (b[None, :, 0] < a[:, None, 2])
        & (a[:, None, 1] < b[None, :, 3])
        & (b[None, :, 1] < a[:, None, 3])
    )


def zooms_in_range(level: int, steps: int = 12) -> list[float]:
    lo, hi = map_names.zooms_of(level)
    return [lo + (hi - lo) * k / steps for k in range(steps + 1)] if hi > lo else [lo]


def test_which_level_deck_gl_shows_at_each_zoom_is_the_level_placed_for_it():
    """deck.gl's TileLayer picks round(zoom + log2(512 / tile size)); each level is placed for the zooms it
    is shown at, and together the levels cover the map's whole range of zoom."""
    for level in map_names.LEVELS:
        lo, hi = map_names.zooms_of(level)
        for zoom in [z for z in zooms_in_range(level) if lo + 0.011 < z < hi - 0.011]:
            shown = math.floor(zoom + math.log2(512 / map_names.TILE_PX) + map_names.ZOOM_OFFSET + 0.5)  # Math.round
            assert min(max(shown, 0), map_names.LEVELS[-1]) == level == map_names.level_of(zoom)
    assert map_names.zooms_of(map_names.LEVELS[0])[0] == map_names.MIN_ZOOM
    assert map_names.zooms_of(map_names.LEVELS[-1])[1] == map_names.MAX_ZOOM
    for level in map_names.LEVELS[1:]:  # each level reaches a little into the next: no zoom is left out
        assert map_names.zooms_of(level)[0] < map_names.zooms_of(level - 1)[1]


def test_no_two_names_overlap_at_any_zoom_the_map_reaches(geo, levels):
    """The fault this replaces: names placed for the zoom a map opened at ran into each other when the briefer
    zoomed out by hand. Every level is laid out at thirteen zooms across its range."""
    for level, rows in levels.items():
        for zoom in zooms_in_range(level):
            view = {"longitude": 38.0, "latitude": 35.5, "zoom": zoom}
            boxes = name_boxes(rows, view)
            clash = np.triu(overlapping(boxes, boxes), 1)
            pairs = [(rows[i]["name"], rows[j]["name"]) for i, j in zip(*np.nonzero(clash), strict=True)]
            assert pairs == [], (level, zoom, pairs[:5])


def test_a_name_covers_no_other_place_and_no_post_at_any_zoom(geo, levels):
    """A place's name keeps clear of the other places' discs and of the posts as drawn at each zoom (a disc
    grows with the zoom); only a key town may be named over another place's disc or a post."""
    settlements, posts = geo.layers_lonlat["settlements"], geo.layers_lonlat["posts"]
    names = {gn: name for name, gn in KEY_TOWNS.items()}
    own = [names.get(pid, name) for pid, name in zip(settlements["id"], settlements["name"], strict=True)]
    radius_m = maps.settlement_radius_m(settlements["population"].to_numpy(dtype=float))
    for level, rows in levels.items():
        for zoom in zooms_in_range(level, 4):
            view = {"longitude": 38.0, "latitude": 35.5, "zoom": zoom}
            boxes = name_boxes(rows, view)
            x, y = view_px(settlements.geometry.x, settlements.geometry.y, view)
            r = np.maximum(
                radius_m / metres_per_px(settlements.geometry.y.to_numpy(), zoom), POINT["settlement_min_px"]
            )
            discs = np.column_stack([x - r, y - r, x + r, y + r])
            px, py = view_px(posts.geometry.x, posts.geometry.y, view)
            pr = np.maximum(POINT["post_m"] / metres_per_px(posts.geometry.y.to_numpy(), zoom), POINT["post_min_px"])
            post_discs = np.column_stack([px - pr, py - pr, px + pr, py + pr])
            for i, row in enumerate(rows):
                if row["name"] in KEY_TOWNS:
                    continue
                covered = [
                    own[k] for k in np.flatnonzero(overlapping(boxes[i : i + 1], discs)[0]) if own[k] != row["name"]
                ]
                assert covered == [], (level, zoom, row["name"], covered)
                assert not overlapping(boxes[i : i + 1], post_discs).any(), (level, zoom, row["name"])


def test_every_key_town_is_named_at_the_default_camera_larger_and_darker(levels):
    rows = levels[map_names.level_of(maps.CAMERAS["NW Syria"]["zoom"])]
    sizes = {row["name"]: row["size"] for row in rows}
    assert set(KEY_TOWNS) <= set(sizes) and len(rows) > 40
    assert {sizes[t] for t in KEY_TOWNS} == {TEXT["town"][1]}
    assert {size for name, size in sizes.items() if name not in KEY_TOWNS} == {TEXT["place"][1]}


def test_zooming_in_names_more_places_and_loses_none(levels):
    named = [{row["name"] for row in levels[level]} for level in map_names.LEVELS]
    for wider, closer in zip(named, named[1:], strict=False):
        assert wider <= closer
    assert len(named[0]) < len(named[2]) < len(named[-1])
    assert len(named[-1]) > 250  # nearly every place, close in


def test_the_clash_test_is_exact_against_a_dense_sweep_of_zooms():
    """Two boxes keep their size while their points spread by s ∈ [1, grow]: ``_clashes`` says whether they
    overlap at some s. Held to a sweep of 4,001 values of s over random boxes near each other."""
    rng = np.random.default_rng(7)
    sweep = np.linspace(1.0, 2.0, 4001)
    agree = 0
    for _ in range(400):
        point, anchor = rng.uniform(-40, 40, 2), rng.uniform(-40, 40, (1, 2))
        half = rng.uniform(1, 30, 4)
        box = np.array([[-half[0], -half[1], half[2], half[3]]])
        mark = np.array([[-rng.uniform(1, 30), -rng.uniform(1, 30), rng.uniform(1, 30), rng.uniform(1, 30)]])
        said = map_names._clashes(point, box, anchor, mark, np.abs(mark).max(1), 2.0)[0, 0]
        a = box[0][None, :] + np.column_stack([point[0] * sweep, point[1] * sweep] * 2)
        b = mark[0][None, :] + np.column_stack([anchor[0, 0] * sweep, anchor[0, 1] * sweep] * 2)
        swept = ((a[:, 0] < b[:, 2]) & (b[:, 0] < a[:, 2]) & (a[:, 1] < b[:, 3]) & (b[:, 1] < a[:, 3])).any()
        assert said == swept
        agree += int(said)
    assert 40 < agree < 360  # both answers were met often


def test_the_tiles_hold_each_level_once_and_cover_the_extent(geo, levels):
    extent = maps.names_extent(geo)
    tiles = map_names.tiles(levels, extent)
    for level, rows in levels.items():
        held = [f for (z, _, _), fc in tiles.items() if z == level for f in fc["features"]]
        assert sorted(f["properties"]["name"] for f in held) == sorted(row["name"] for row in rows)
    assert (0, 0, 0) in tiles  # level 0 is one tile: the cache's sign that the set was written whole
    west, south, east, north = extent
    for level in map_names.LEVELS:  # every tile deck.gl may ask for within the extent is there, empty or not
        for lon in np.linspace(west, east, 9):
            for lat in np.linspace(south, north, 9):
                x, y = map_names.tile_of(lon, lat, level)
                assert (level, int(x), int(y)) in tiles


def test_the_map_is_held_to_the_zooms_the_names_are_placed_for(geo):
    deck = json.loads(maps.scenario_map(geo, assess(geo, Scenario())).to_json())
    view = deck["initialViewState"]
    assert (view["minZoom"], view["maxZoom"]) == (map_names.MIN_ZOOM, map_names.MAX_ZOOM)
    names = next(layer for layer in deck["layers"] if layer["id"] == "town_labels")
    drawn = sorted(f["properties"]["name"] for f in names["data"]["features"])
    assert drawn == sorted(row["name"] for row in maps.name_levels(geo)[map_names.level_of(view["zoom"])])
    assert [layer["id"] for layer in deck["layers"]][-4:] == ["town_labels", "scale_panel", "scale_bar", "scale_text"]
    tiled = map_names.tiled_layer("app/static/n-{z}-{x}-{y}.json", [35, 32, 43, 38])
    spec = json.loads(maps.CompactDeck(layers=[tiled], map_provider=None).to_json())["layers"][0]
    assert spec["@@type"] == "TileLayer" and spec["data"] == "app/static/n-{z}-{x}-{y}.json"
    assert (spec["tileSize"], spec["minZoom"], spec["maxZoom"]) == (map_names.TILE_PX, 0, map_names.LEVELS[-1])
    assert spec["zoomOffset"] == map_names.ZOOM_OFFSET
    assert spec["refinementStrategy"] == "never"  # no level drawn over another while one loads
    assert {k: v for k, v in spec.items() if k.startswith("getText")} == {
        k: v for k, v in names.items() if k.startswith("getText")
    }  # the tiles and the inline names are drawn alike


def test_a_names_width_is_measured_letter_by_letter_in_the_maps_font():
    """Found by a hostile tester who measured the names in Chromium: a flat 0.58 em per letter was 0.73–1.29
    times the drawn width, and Aḑ Ḑumayr touched Dūmā. Held to FreeType's reading (through Pillow)
    of the font file the maps are drawn in, kerning included."""
    font = pytest.importorskip("PIL.ImageFont").truetype(str(FILES[False]), 1000)
    for name in ("Aḑ Ḑumayr", "Dūmā", "Jisr al-Shughur", "Maarrat al-Numan", "Idlib", "Al Qāmishlī", "Tall Tamr"):
        drawn = font.getlength(name) / 1000 * 12
        assert drawn * 0.995 <= text_width(name, 12) <= drawn * 1.005, name
