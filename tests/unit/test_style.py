"""One style: every colour is named in render/style.py, and the map, the static maps and the charts use it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dashboard.model.impact import assess
from dashboard.model.posts import STATUSES
from dashboard.model.scenario import Scenario
from dashboard.render import maps, style
from dashboard.render.static_map import static_map

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"
COLOUR_LITERAL = re.compile(
    r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b|rgba?\(|\[\s*\d{1,3},\s*\d{1,3},\s*\d{1,3}\s*,\s*\d{1,3}\s*\]"
)


def test_no_colour_is_written_outside_the_style_module():
    found = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2")]
        if path.name != "style.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if COLOUR_LITERAL.search(line)
    ]
    assert found == []


def test_a_paint_converts_once_for_deck_gl_and_once_for_vega():
    paint = style.Paint.of("#D55E00").at(120)
    assert paint.rgba == [213, 94, 0, 120]
    assert paint.hex == "#D55E00" and paint.opacity == round(120 / 255, 3)


def test_every_post_status_has_its_own_colour_and_a_legend_entry():
    assert list(style.STATUS) == list(STATUSES)
    assert len({p.hex for p in style.STATUS.values()}) == len(STATUSES)
    legend = dict(style.legend())
    assert all(legend[f"Post: {style._undated(status)}"] == paint for status, paint in style.STATUS.items())
    assert "Post: encircled or evacuated (undated)" in legend


def test_the_map_and_the_static_map_draw_a_post_in_the_same_colour(geo):
    impact = assess(geo, Scenario(as_of=Scenario().as_of.replace(year=2021)))
    deck = json.loads(maps.scenario_map(geo, impact).to_json())
    posts = next(layer for layer in deck["layers"] if layer["id"] == "posts")
    on_screen = {tuple(f["properties"]["colour"]) for f in posts["data"]["features"]}
    assert "evacuated" in set(impact.posts["status"])
    assert tuple(style.STATUS["evacuated"].rgba) in on_screen
    spec = static_map(geo, impact).to_dict()
    scale = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True))["evacuated"] == style.STATUS["evacuated"].hex


def test_the_static_map_fills_each_area_as_the_map_does(geo):
    spec = static_map(geo, assess(geo, Scenario(corridor_km=6))).to_dict()
    shapes = spec["layer"][0]
    fill = shapes["encoding"]["fill"]["scale"]
    fills = dict(zip(fill["domain"], fill["range"], strict=True))
    assert fills["band"] == style.MAP["band"].fill.hex and fills["corridor"] == style.MAP["corridor"].fill.hex
    values = spec["datasets"][shapes["data"]["name"]]  # the features, as one JSON string
    features = {f["properties"]["kind"]: f["properties"] for f in json.loads(values)}
    assert features["band"]["opacity"] == style.MAP["band"].fill.opacity
    assert features["border"]["opacity"] == 0  # a line is drawn, never filled
