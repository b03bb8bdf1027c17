"""The places' names on the interactive map, placed apart by the server for every zoom the briefer can reach.

deck.gl draws a name at a fixed size in pixels while the map under it grows and shrinks, so names placed
apart at the zoom a map opens at run into each other when the briefer zooms out by hand. Instead the names
are placed once per zoom level and served as tiles: deck.gl's TileLayer, with tiles of :data:`TILE_PX`
pixels and a zoom offset of :data:`ZOOM_OFFSET`, loads level ``round(zoom - 4.85)`` of whatever zoom is in
view, so level L is on screen for zooms L + 4.35 to L + 5.35 (clamped to :data:`MIN_ZOOM` …
:data:`MAX_ZOOM`, the map's own limits). The offset puts the default camera (zoom 7.4) just above a
level's lowest zoom, where a level is placed: the map opens with as many names as fit at its own zoom.
Over a level's range the ground grows by up to 2× while each name keeps its size, so a level is placed
such that no two names overlap, nor a name and a disc (settlement or post) or a river's name, at *any*
zoom of its range: the test is exact, not sampled (see :func:`_clashes`).

Which names show follows a stated priority: the key towns first, then the other places by population; a
place with no free spot at a level keeps its disc and loses its name there, so zooming in names more
places, and a place named at one level is named at every level closer in. Latin script only: deck.gl
cannot shape Arabic (the tooltips, cards and tables give the Arabic and Turkish names).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pydeck as pdk

from dashboard.render.mercator import metres_per_px, tile_of, world_px
from dashboard.render.static_map import LABEL_SPOTS, label_box
from dashboard.render.style import MAP_FONT, WHITE

HALO = WHITE.at(230)

TILE_PX = 16_384  # deck.gl's TileLayer loads level round(zoom + log2(512 / TILE_PX) + zoomOffset)
LEVEL_SHIFT = 5  # -log2(512 / TILE_PX)
ZOOM_OFFSET = 0.15
EDGE = 0.01  # each level is placed a little beyond its range: at a boundary, rounding may show either level
MIN_ZOOM, MAX_ZOOM = 5.0, 12.0  # the map's limits: the whole of Syria, a small town filling the map
LEVELS = tuple(range(0, math.floor(MAX_ZOOM - LEVEL_SHIFT + ZOOM_OFFSET + 0.5) + 1))
PAD_PX = 2.0  # room kept round each name: its halo, and a margin for the font's rendering
BASELINE_EM = 0.2  # a name's box sits 0.8 em above its baseline and 0.2 em below (see static_map.label_box)
# beside its disc first, then a step farther out (a town with a post on it): (dx, dy, alignment) in em
SPOTS = {
    **LABEL_SPOTS,
    "above far": (0.0, -1.3, "center"),
    "right far": (1.0, 0.35, "left"),
    "below far": (0.0, 1.9, "center"),
    "left far": (-1.0, 0.35, "right"),
    "right farther": (1.8, 0.35, "left"),
    "left farther": (-1.8, 0.35, "right"),
    "above farther": (0.0, -2.0, "center"),
    "below farther": (0.0, 2.6, "center"),
}
ANCHOR = {"center": "middle", "left": "start", "right": "end"}


def level_of(zoom: float) -> int:
    """The level of names deck.gl shows at a zoom (JavaScript's Math.round: halves go up)."""
    return min(max(math.floor(zoom - LEVEL_SHIFT + ZOOM_OFFSET + 0.5), LEVELS[0]), LEVELS[-1])


def zooms_of(level: int) -> tuple[float, float]:
    """The zooms at which a level is on screen, within the map's limits (and :data:`EDGE` beyond)."""
    middle = level + LEVEL_SHIFT - ZOOM_OFFSET
    return max(middle - 0.5 - EDGE, MIN_ZOOM), min(middle + 0.5 + EDGE, MAX_ZOOM)


@dataclass(frozen=True)
class Places:
    """What is named, in any order: names, points, whether a key town, people (0 if unknown), the radius of
    each one's disc on the ground, and each name's type size and colour."""

    name: list[str]
    lon: np.ndarray
    lat: np.ndarray
    key: np.ndarray
    people: np.ndarray
    radius_m: np.ndarray
    min_px: float
    size: list[float]
    colour: list[list[int]]


@dataclass(frozen=True)
class Marks:
    """Other things drawn that names keep clear of: discs with a radius on the ground (at least ``min_px``),
    or text of a fixed size (a box in pixels around its point, ``box``: left, top, right, bottom)."""

    lon: np.ndarray
    lat: np.ndarray
    radius_m: np.ndarray | None = None
    min_px: float = 0.0
    box: np.ndarray | None = None


def _boxes(marks: Marks, hi: float) -> np.ndarray:
    """Each mark's box around its point in pixels, the largest it is drawn over a level (a disc grows with the
    zoom, so its box at the level's highest zoom holds it at every zoom of the range)."""
    if marks.box is not None:
        return np.asarray(marks.box, dtype=float).reshape(-1, 4)
    r = np.maximum(np.asarray(marks.radius_m, dtype=float) / metres_per_px(marks.lat, hi), marks.min_px)
    return np.column_stack([-r, -r, r, r])


def _clashes(point, boxes, anchors, marks, extent, grow: float) -> np.ndarray:
    """Whether each candidate box (k × 4, around ``point``) overlaps each mark (m × 4 around ``anchors``, m × 2;
    ``extent``: how far each mark's box reaches from its point) at some zoom of a level: between its lowest
    zoom, where the points are, and ``grow`` times the ground.

    At a scale s the points sit s times farther apart while the boxes keep their size, so each of the four
    sides' tests is linear in s: c + d·s > 0 holds on a half-line. Two boxes overlap at s when all four hold;
    they clash if the four half-lines meet within [1, grow]. Returns a k × m array."""
    d = anchors - np.asarray(point, dtype=float)  # m × 2: how the mark moves away from the name per unit of s
    # a mark farther than both boxes reach only moves farther as the ground grows: it never clashes (most
    # marks, at all but the widest levels), so only the near ones are tested
    near = (np.abs(d) < np.abs(boxes).max() + extent[:, None]).all(1)
    out = np.zeros((len(boxes), len(anchors)), dtype=bool)
    if not near.any():
        return out
    d, marks = d[near], marks[near]
    b, m = boxes[:, None, :], marks[None, :, :]
    c = np.stack([m[..., 2] - b[..., 0], b[..., 2] - m[..., 0], m[..., 3] - b[..., 1], b[..., 3] - m[..., 1]], -1)
    slope = np.broadcast_to(np.stack([d[:, 0], -d[:, 0], d[:, 1], -d[:, 1]], -1)[None, :, :], c.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = -c / slope
    lower = np.where(slope > 0, root, -np.inf).max(-1)
    upper = np.where(slope < 0, root, np.inf).min(-1)
    never = ((slope == 0) & (c <= 0)).any(-1)
    out[:, near] = (np.maximum(lower, 1.0) < np.minimum(upper, grow)) & ~never
    return out


def _candidates(places: Places) -> list[np.ndarray]:
    """Each place's name's box at every spot (in the order of :data:`SPOTS`), padded, around its point."""
    pad = np.array([-PAD_PX, -PAD_PX, PAD_PX, PAD_PX])
    return [
        np.array([label_box(0.0, 0.0, name, spot, size, SPOTS) for spot in SPOTS]) + pad
        for name, size in zip(places.name, places.size, strict=True)
    ]


def place(
    places: Places, marks: list[Marks], level: int, named_closer: list[int] | None = None, candidates=None
) -> dict[int, str]:
    """:func:`place_once`; if it loses a key town, the lost ones are tried first among the key towns, and
    whichever names the most key towns, then the most places, is taken: key towns crowd each other in Idlib
    (Idlib, Ariha, Saraqib), and which goes first decides whether all fit."""
    best = place_once(places, marks, level, named_closer, candidates)
    wanted = {i for i in (range(len(places.name)) if named_closer is None else named_closer) if places.key[i]}

    def score(chosen):
        return (sum(1 for i in chosen if places.key[i]), len(chosen))

    for _ in range(3):
        lost = sorted(wanted - set(best))
        if not lost:
            break
        tried = place_once(places, marks, level, named_closer, candidates, first=lost)
        if score(tried) <= score(best):
            break
        best = tried
    return best


def place_once(
    places: Places,
    marks: list[Marks],
    level: int,
    named_closer: list[int] | None = None,
    candidates=None,
    first: list[int] = (),
) -> dict[int, str]:
    """The spot of each place named at ``level`` ({index: spot}), in priority order: the key towns, then by
    people (``first``: places put first among their kind). A key town is kept clear of the other key towns'
    discs only, and may be named over a post or a river's name if nothing else is free (its name is drawn
    over them); the others keep clear of every disc but their own (a name over its own town's disc is the
    town's). ``named_closer`` are the places named at the level in (the next zoom closer), in the order they
    were placed: only they are tried."""
    lo, hi = zooms_of(level)
    grow = 2.0 ** (hi - lo)
    n = len(places.name)
    candidates = _candidates(places) if candidates is None else candidates
    spot_names = list(SPOTS)
    # every mark in one table: the places' discs, then the other marks, then room for the names as placed
    x, y = world_px(places.lon, places.lat, lo)
    anchors = [np.column_stack([x, y])]
    boxes = [_boxes(Marks(places.lon, places.lat, places.radius_m, places.min_px), hi)]
    for mark in marks:
        anchors.append(np.column_stack(world_px(mark.lon, mark.lat, lo)))
        boxes.append(_boxes(mark, hi))
    fixed = sum(len(a) for a in anchors)
    anchors.append(np.zeros((n, 2)))
    boxes.append(np.zeros((n, 4)))
    at, box = np.vstack(anchors), np.vstack(boxes)
    extent = np.abs(box).max(1)
    is_mark = (np.arange(len(at)) >= n) & (np.arange(len(at)) < fixed)
    chosen: dict[int, str] = {}
    named = 0
    tried_places = range(n) if named_closer is None else named_closer
    order = sorted(tried_places, key=lambda i: (-int(places.key[i]), i not in first, -float(places.people[i])))
    for i in order:
        tried = list(range(len(spot_names)))
        live = np.ones(len(at), bool)
        live[:n] = places.key if places.key[i] else True  # a key town minds the other key towns' discs only
        live[i] = False
        live[fixed + named :] = False
        k, clashes = None, []
        for spots in (tried[:1], tried[1:]):  # most names take their first spot: test it alone first
            clash = np.zeros((len(spots), len(at)), dtype=bool)
            clash[:, live] = _clashes(at[i], candidates[i][spots], at[live], box[live], extent[live], grow)
            clashes.append(clash)
            free = ~clash.any(1)
            if free.any():
                k = spots[int(np.argmax(free))]
                break
        if k is None and places.key[i]:  # over a post or a river's name rather than not at all
            free = ~np.vstack(clashes)[:, ~is_mark].any(1)
            k = tried[int(np.argmax(free))] if free.any() else None
        if k is not None:
            chosen[i] = spot_names[k]
            at[fixed + named], box[fixed + named] = at[i], candidates[i][k]
            extent[fixed + named] = np.abs(candidates[i][k]).max()
            named += 1
    return chosen


def name_levels(places: Places, marks: list[Marks]) -> dict[int, list[dict]]:
    """Every level's names as deck.gl draws them (point, text, size, colour, anchor and pixel offset). Placed
    from the closest level out, each level naming only places the level in names: zooming in never loses a
    name."""
    levels, named, candidates = {}, None, _candidates(places)
    for level in reversed(LEVELS):
        spots = place(places, marks, level, named, candidates)
        levels[level] = [_drawn(places, i, spot) for i, spot in sorted(spots.items())]
        named = list(spots)  # in the order they were placed (ties in priority keep it)
    return dict(sorted(levels.items()))


def _drawn(places: Places, i: int, spot: str) -> dict:
    dx, dy, align = SPOTS[spot]
    size = places.size[i]
    return {
        "name": places.name[i],
        "position": [round(float(places.lon[i]), 5), round(float(places.lat[i]), 5)],
        "size": size,
        "colour": places.colour[i],
        "anchor": ANCHOR[align],
        "offset": [round(dx * size, 1), round((dy + BASELINE_EM) * size, 1)],
    }


def extent_of(places: Places, margin: float = 0.5) -> list[float]:
    """The box (west, south, east, north) the names' tiles cover: deck.gl asks for no tile outside it."""
    return [
        round(float(places.lon.min()) - margin, 2),
        round(float(places.lat.min()) - margin, 2),
        round(float(places.lon.max()) + margin, 2),
        round(float(places.lat.max()) + margin, 2),
    ]


def tiles(levels: dict[int, list[dict]], extent: list[float]) -> dict[tuple[int, int, int], dict]:
    """Each level's names cut into the tiles deck.gl asks for (every tile that meets ``extent``, empty ones
    too: a missing tile would be a failed request), each name in the tile that holds its point."""
    out = {key: [] for key in tile_keys(extent)}
    for level, rows in levels.items():
        if rows:
            xs, ys = tile_of([r["position"][0] for r in rows], [r["position"][1] for r in rows], level)
            for row, tx, ty in zip(rows, xs, ys, strict=True):
                out[(level, int(tx), int(ty))].append(row)
    return {key: features(rows) for key, rows in out.items()}


def tile_keys(extent: list[float]) -> list[tuple[int, int, int]]:
    """Every tile (level, x, y) that meets ``extent`` at every level: the tiles deck.gl may ask for."""
    west, south, east, north = extent
    keys = []
    for level in LEVELS:
        (x0, x1), (y1, y0) = tile_of([west, east], [south, north], level)
        keys += [(level, tx, ty) for tx in range(int(x0), int(x1) + 1) for ty in range(int(y0), int(y1) + 1)]
    return keys


def features(rows: list[dict]) -> dict:
    """Names as GeoJSON points, their look in the properties (what the names layer reads)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": row["position"]},
                "properties": {k: row[k] for k in ("name", "size", "colour", "anchor", "offset")},
            }
            for row in rows
        ],
    }


# How a name is drawn, read from each point's properties: one set-up for every text on the map (the places'
# names, tiled or inline, the rivers' names and the scale bar's words). Software WebGL compiles a pipeline
# for each distinct set-up of deck.gl's text layer (a constant colour or size is a distinct one): ~0.3 s
# each before the map appears on a machine without a GPU.
TEXT_SETUP = {
    "point_type": "'text'",
    "get_text": "properties.name",
    "get_text_size": "properties.size",
    "get_text_color": "properties.colour",
    "get_text_anchor": "properties.anchor",
    "get_text_alignment_baseline": "'bottom'",
    "get_text_pixel_offset": "properties.offset",
    "text_font_family": MAP_FONT,
    "text_character_set": "'auto'",  # GeoNames' names go beyond deck.gl's default ASCII set
    # a pale halo round each letter: a name crossing a post's disc, a road or the zone's edge stays readable
    "text_font_settings": {"sdf": True, "cutoff": 0.15},  # deck.gl's 0.25 thins 12-pixel letters (l, i, j) away
    "text_outline_width": 6,
    "text_outline_color": HALO.rgba,
}
LAYER_ID = "town_labels"


def tiled_layer(url_template: str, extent: list[float]) -> pdk.Layer:
    """The names as tiles served by this server (``{z}``, ``{x}``, ``{y}`` in the URL): deck.gl loads the level
    of the zoom in view. ``refinement_strategy`` 'never': a level is never drawn over another while it loads."""
    return pdk.Layer(
        "TileLayer",
        url_template,
        id=LAYER_ID,
        tile_size=TILE_PX,
        zoom_offset=ZOOM_OFFSET,
        min_zoom=LEVELS[0],
        max_zoom=LEVELS[-1],
        extent=extent,
        refinement_strategy="'never'",
        **TEXT_SETUP,
    )


def inline_layer(rows: list[dict]) -> pdk.Layer:
    """One level's names sent with the map (where no file can be served): right at that level's zooms."""
    return pdk.Layer("GeoJsonLayer", features(rows), id=LAYER_ID, **TEXT_SETUP)
