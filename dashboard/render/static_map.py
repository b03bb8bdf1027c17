"""The static map of one scenario, drawn with Altair so it renders offline (vl-convert) to PNG, SVG and PDF for
the pack, the slides and the map downloads.

It uses the same style as the on-screen map (:mod:`dashboard.render.style`): the same colours at the same
opacities, so a printed map and the dashboard agree. :func:`print_map` adds what a map needs once it leaves the
screen: a legend of what is drawn, a scale bar in kilometres measured on the ellipsoid at the bar's latitude,
a north arrow and the attribution.
"""

from __future__ import annotations

import json
import math
import textwrap

import altair as alt
import numpy as np
import pyproj
import shapely

from dashboard.model.geography import AFRIN, IDLIB, Geography
from dashboard.model.impact import Impact
from dashboard.render.fonts import text_width
from dashboard.render.geojson import feature_collection
from dashboard.render.style import LEGEND, MAP, POINT, STATUS, TEXT, WHITE
from dashboard.sources.layers import ATTRIBUTION

EXTENT = (35.6, 34.9, 38.6, 37.3)  # west, south, east, north: the north-west and the border to the Euphrates
SCALE_BAR_KM = (0, 25, 50)
SCALE_BAR_AT = (35.72, 35.06)  # where the bar starts (lon, lat): the map's empty south-west corner
NORTH_ARROW_AT = (35.8, 37.05)
WGS84 = pyproj.Geod(ellps="WGS84")


def _d3(geoms: list) -> list:
    """Geometries snapped to ~100 m with d3/Vega winding (clockwise exteriors), or a polygon fills the globe."""
    return list(shapely.orient_polygons(shapely.set_precision(list(geoms), 1e-3), exterior_cw=True))


def static_map(geo: Geography, impact: Impact, width: int = 720, height: int = 540, type_px: float = 11):
    """An Altair geoshape map of one scenario (renders offline with vl-convert); ``type_px`` is the size of its
    labels, larger for a map that will be shrunk onto a slide."""
    ll = geo.layers_lonlat
    geoms, props = [], []

    def add(geom, kind, name=""):
        if geom is not None and not geom.is_empty:
            look = MAP[kind]
            opacity = look.fill.opacity if look.fill is not None and geom.geom_type.endswith("Polygon") else 0
            geoms.append(geom)
            props.append({"kind": kind, "name": name, "opacity": opacity})

    for geom, cid in zip(ll["countries"].geometry, ll["countries"]["id"], strict=True):
        add(geom, "syria" if cid == "SYR" else "neighbour")
    govs = ll["governorates"]
    add(govs.loc[govs["id"] == IDLIB].geometry.iloc[0], "idlib", "Idlib")
    add(ll["districts"].set_index("id").geometry[AFRIN], "afrin", "Afrin")
    add(geo.to_lonlat(impact.zone), "zone")
    add(geo.to_lonlat(impact.band), "band")
    add(geo.to_lonlat(impact.corridor), "corridor")
    add(geo.to_lonlat(impact.post_rings), "rings")
    for geom in govs.geometry:
        add(geom.boundary, "boundary")
    add(shapely.union_all(ll["border"].geometry.values), "border")
    order = ["neighbour", "syria", "idlib", "afrin", "zone", "band", "corridor", "rings", "boundary", "border"]
    looks = [MAP[kind] for kind in order]
    feats = feature_collection(_d3(geoms), props)["features"]
    extent = feature_collection(_d3([shapely.box(*EXTENT)]), [{}])["features"][0]
    shapes = (
        # the features as one JSON string: Altair deep-copies inline values at every step of building a chart
        # (a second of a map's build); a string is copied at once, and Vega parses it
        alt.Chart(alt.InlineData(values=json.dumps(feats, separators=(",", ":")), format=alt.DataFormat(type="json")))
        .mark_geoshape(strokeWidth=0.8, clip=True)
        .encode(
            fill=alt.Fill(
                "properties.kind:N",
                scale=alt.Scale(domain=order, range=[(look.fill or WHITE).hex for look in looks]),
                legend=None,
            ),
            stroke=alt.Stroke(
                "properties.kind:N",
                scale=alt.Scale(domain=order, range=[(look.line or look.fill).hex for look in looks]),
                legend=None,
            ),
            fillOpacity=alt.FillOpacity("properties.opacity:Q", scale=None, legend=None),
        )
    )
    posts = impact.posts.assign(lon=[g.x for g in ll["posts"].geometry], lat=[g.y for g in ll["posts"].geometry])
    points = (
        alt.Chart(posts)
        .mark_point(filled=True, size=POINT["static_post"], stroke=MAP["post"].line.hex, strokeWidth=0.6, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS), range=[paint.hex for paint in STATUS.values()]),
                legend=None,  # the map's own legend names each status drawn
            ),
        )
    )
    towns = ll["settlements"].set_index("id").loc[list(impact.towns["id"])]
    town_rows = [
        {"name": n, "lon": g.x, "lat": g.y, "people": p}
        for n, g, p in zip(impact.towns["name"], towns.geometry, towns["population"].fillna(0), strict=True)
    ]
    dots = (
        alt.Chart(alt.Data(values=town_rows))
        .mark_circle(size=type_px * 1.3, color=MAP["settlement"].fill.hex, opacity=1, clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q")
    )
    marks = [{"lon": lon, "lat": lat} for lon, lat in zip(posts["lon"], posts["lat"], strict=True)]
    placed = place_labels(town_rows, width, height, type_px, marks=marks)
    labels = [
        alt.Chart(alt.Data(values=[row for row, spot in placed if spot == name]))
        .mark_text(
            fontSize=type_px,
            color=TEXT["static_town"][0].hex,
            clip=True,
            dx=LABEL_SPOTS[name][0] * type_px,
            dy=LABEL_SPOTS[name][1] * type_px,
            align=LABEL_SPOTS[name][2],
            baseline="alphabetic",  # as the placer reckons (Vega's default, middle, drew them a third lower)
        )
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
        for name in LABEL_SPOTS
        if any(spot == name for _, spot in placed)
    ]
    return (
        alt.layer(shapes, points, dots, *labels, *scale_bar(type_px), *north_arrow(type_px))
        .project(type="mercator", fit=extent)
        .properties(width=width, height=height, title=impact.scenario.label())
    )


# Where a label may sit beside its dot, in the order tried: (dx, dy of its baseline, alignment), in units of
# the type size. The baseline is alphabetic, so a label's ink spans from 0.8 type above it to 0.2 below.
LABEL_SPOTS = {
    "above": (0.0, -0.6, "center"),
    "right": (0.5, 0.35, "left"),
    "below": (0.0, 1.2, "center"),
    "left": (-0.5, 0.35, "right"),
    # the corners, tried last: a town between post markers (Saraqib, Jisr al-Shughur) keeps its label
    "above right": (0.35, -0.35, "left"),
    "above left": (-0.35, -0.35, "right"),
    "below right": (0.35, 1.0, "left"),
    "below left": (-0.35, 1.0, "right"),
}


def label_box(
    x: float, y: float, name: str, spot: str, type_px: float, spots=None
) -> tuple[float, float, float, float]:
    """The box a label's ink takes, its width measured in the font it is drawn in (``render/fonts.py``)."""
    dx, dy, align = (LABEL_SPOTS if spots is None else spots)[spot]
    w = text_width(name, type_px)
    left = x + dx * type_px - {"center": w / 2, "left": 0.0, "right": w}[align]
    base = y + dy * type_px
    return (left, base - 0.8 * type_px, left + w, base + 0.2 * type_px)


def _mercator_px(rows: list[dict], width: float, height: float) -> list[tuple[float, float]]:
    """Where Vega's Mercator projection fitted to EXTENT puts each row, in pixels (to within a pixel or two:
    the fit is to the extent's outline)."""
    west, south, east, north = EXTENT

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    x0, x1, y0, y1 = math.radians(west), math.radians(east), y(south), y(north)
    k = min(width / (x1 - x0), height / (y1 - y0))
    left, top = (width - k * (x1 - x0)) / 2, (height - k * (y1 - y0)) / 2
    return [(left + k * (math.radians(r["lon"]) - x0), top + k * (y1 - y(r["lat"]))) for r in rows]


# Half the side of the box a post marker keeps clear: its symbol's radius (Vega's size is its area in px², the
# radius the square root of it halved), its outline, and a pixel of paper so a label never touches it.
MARK_CLEAR_PX = math.sqrt(POINT["static_post"]) / 2 + 0.6 + 1.0


def place_labels(
    rows: list[dict], width: float, height: float, type_px: float, marks: list[dict] = ()
) -> list[tuple[dict, str]]:
    """Each town's label at the first spot beside its dot that overlaps no label already placed, no other
    dot and no post marker (``marks``: lon, lat), and lies inside the picture, the most populous town first;
    a town with no free spot keeps its dot and loses its label. (The interactive map places its names for a
    range of zooms: ``map_names``.)"""
    at = _mercator_px(rows, width, height)
    dots = np.array([(x - 2, y - 2, x + 2, y + 2) for x, y in at], dtype=float).reshape(-1, 4)
    c = MARK_CLEAR_PX
    posts = np.array(
        [(x - c, y - c, x + c, y + c) for x, y in _mercator_px(list(marks), width, height)], dtype=float
    ).reshape(-1, 4)
    labels = np.zeros((0, 4))
    placed = []
    for i in sorted(range(len(rows)), key=lambda i: -float(rows[i].get("people") or 0)):
        obstacles = np.vstack([labels, np.delete(dots, i, axis=0), posts])
        for spot in LABEL_SPOTS:
            box = np.array(label_box(*at[i], rows[i]["name"], spot, type_px))
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            hit = (
                (box[0] < obstacles[:, 2])
                & (obstacles[:, 0] < box[2])
                & (box[1] < obstacles[:, 3])
                & (obstacles[:, 1] < box[3])
            )
            if inside and not hit.any():
                labels = np.vstack([labels, box])
                placed.append((rows[i], spot))
                break
    return placed


def scale_bar_marks(lon: float = SCALE_BAR_AT[0], lat: float = SCALE_BAR_AT[1], marks_km=SCALE_BAR_KM) -> list[dict]:
    """Where each mark of the scale bar goes: the longitude that lies that many kilometres east along the
    parallel, measured on the WGS84 ellipsoid (Mercator stretches the map by 1/cos(latitude), so a bar is
    true only at its own latitude; the caption says which)."""
    _, _, metres_per_degree = WGS84.inv(lon, lat, lon + 1.0, lat)
    return [{"km": km, "lon": lon + km * 1000.0 / metres_per_degree, "lat": lat} for km in marks_km]


def scale_bar(type_px: float) -> list:
    marks = scale_bar_marks()
    ends = [marks[0], marks[-1]]  # the middle tick is unlabelled: at a slide's type size the labels would touch
    ink = TEXT["static_town"][0].hex
    bar = {"lon": marks[0]["lon"], "lat": marks[0]["lat"], "lon2": marks[-1]["lon"], "lat2": marks[-1]["lat"]}
    line = (
        alt.Chart(alt.Data(values=[bar]))
        .mark_rule(color=ink, strokeWidth=3)
        .encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q")
    )
    ticks = (
        alt.Chart(alt.Data(values=[{**m, "lat2": m["lat"] + 0.04} for m in marks]))
        .mark_rule(color=ink, strokeWidth=2)
        .encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon:Q", latitude2="lat2:Q")
    )
    words = (
        alt.Chart(alt.Data(values=[{**m, "text": f"{m['km']:g}" + (" km" if m is marks[-1] else "")} for m in ends]))
        .mark_text(color=ink, fontSize=type_px, dy=-1.1 * type_px)
        .encode(longitude="lon:Q", latitude="lat:Q", text="text:N")
    )
    return [line, ticks, words]


def north_arrow(type_px: float) -> list:
    """North is straight up everywhere on a Mercator map: an arrowhead with its N."""
    lon, lat = NORTH_ARROW_AT
    ink = TEXT["static_town"][0].hex
    head = (
        alt.Chart(alt.Data(values=[{"lon": lon, "lat": lat}]))
        .mark_point(shape="triangle-up", filled=True, size=2 * type_px**2, color=ink, opacity=1)
        .encode(longitude="lon:Q", latitude="lat:Q")
    )
    letter = (
        alt.Chart(alt.Data(values=[{"lon": lon, "lat": lat}]))
        .mark_text(text="N", fontSize=1.2 * type_px, fontWeight="bold", color=ink, dy=1.6 * type_px)
        .encode(longitude="lon:Q", latitude="lat:Q")
    )
    return [head, letter]


SELF_EVIDENT = {"neighbour", "syria", "boundary"}  # left out of a slide's legend, where rows are few


def legend_keys(impact: Impact, everything: bool = True) -> list[str]:
    """The legend entries of what the static map draws for this scenario, and only those (without the
    self-evident ones when ``everything`` is false)."""
    drawn = {"idlib", "afrin", "zone", "border", "town"} | (SELF_EVIDENT if everything else set())
    drawn |= {
        kind
        for kind, geom in (("band", impact.band), ("corridor", impact.corridor), ("rings", impact.post_rings))
        if geom is not None and not geom.is_empty
    }
    drawn |= {f"post:{status}" for status in impact.posts["status"]}
    return [key for key in LEGEND if key in drawn]


def legend_chart(impact: Impact, height: int, type_px: float):
    rows = [
        {"row": i, "label": label, "colour": paint.hex, "opacity": max(paint.opacity, 0.35), "shape": shape}
        for i, (label, paint, shape) in enumerate(LEGEND[key] for key in legend_keys(impact))
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(y=alt.Y("row:O", axis=None))
    swatches = base.mark_point(
        filled=True, size=type_px**2, strokeWidth=type_px / 4, stroke=MAP["post"].line.hex
    ).encode(
        x=alt.value(type_px * 0.8),
        shape=alt.Shape("shape:N", scale=None),
        fill=alt.Fill("colour:N", scale=None),
        fillOpacity=alt.FillOpacity("opacity:Q", scale=None),
        strokeOpacity=alt.value(0.5),
    )
    lines = (
        alt.Chart(alt.Data(values=[r for r in rows if r["shape"] == "stroke"]))
        .mark_rule(strokeWidth=type_px / 4)
        .encode(
            y=alt.Y("row:O", axis=None, scale=alt.Scale(domain=[r["row"] for r in rows])),
            x=alt.value(0),
            x2=alt.value(type_px * 1.6),
            color=alt.Color("colour:N", scale=None),
        )
    )
    words = base.mark_text(align="left", fontSize=type_px, color=TEXT["static_town"][0].hex).encode(
        x=alt.value(type_px * 2.2), text="label:N"
    )
    return alt.layer(swatches, lines, words).properties(
        view=alt.ViewConfig(stroke=None),
        width=type_px * 22,
        height=min(height, type_px * 1.8 * len(rows)),
        title=alt.TitleParams("Legend", anchor="start", fontSize=type_px * 1.1),
    )


def print_map(
    geo: Geography,
    impact: Impact,
    caption: str = "",
    width: int = 900,
    height: int = 640,
    type_px: float = 12,
    furniture: bool = True,
):
    """The map with its legend, scale bar and north arrow, and (with ``furniture``) its title, attribution and
    a caption: the picture a download carries, readable with nothing around it. A slide passes
    ``furniture=False`` and larger type: its own title and source line say the rest."""
    legend = legend_chart(impact, height, type_px)
    body = alt.hconcat(static_map(geo, impact, width, height, type_px).properties(title=""), legend, spacing=20)
    if not furniture:
        return body.properties(background=WHITE.hex, padding=8)
    notes = [
        f"Scale bar measured on the WGS84 ellipsoid at {SCALE_BAR_AT[1]:.1f}° N (Mercator: about 3% longer at the "
        "top of the map). Positions of posts as authored; town dots are the key towns.",
        *textwrap.wrap(ATTRIBUTION, int(width / type_px * 2.2)),
    ]
    ink = TEXT["static_town"][0].hex
    footer = (
        alt.Chart(alt.Data(values=[{"text": notes}]))
        .mark_text(align="left", baseline="top", fontSize=type_px * 0.9, lineHeight=type_px * 1.25, color=ink)
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(width=width, height=type_px * 1.25 * len(notes), view=alt.ViewConfig(stroke=None))
    )
    return alt.vconcat(body, footer, spacing=12).properties(
        title=alt.TitleParams(
            impact.scenario.label(),
            subtitle=textwrap.wrap(caption, int(width / type_px * 2)) if caption else alt.Undefined,
            anchor="start",
            fontSize=type_px * 1.5,
            subtitleFontSize=type_px * 1.05,
        ),
        background=WHITE.hex,
        padding=16,
    )


def slide_map(geo: Geography, impact: Impact):
    """The map of a scenario's slide: no legend (the slide draws it as text beside the map), type that is 14 pt
    once the picture is 6.2 inches wide (732 px: 14 pt is 23 px)."""
    return static_map(geo, impact, 720, 520, type_px=23).properties(title="", background=WHITE.hex, padding=6)
