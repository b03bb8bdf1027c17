"""pydeck map builders (pure: data in, Deck out). The basemap is drawn from geodata/, never from tiles.

``pdk.Deck(map_provider=None)`` with no ``map_style`` argument makes no outside request; passing
``map_style=None`` would make the browser fetch an online style, so it is never passed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import weakref
from pathlib import Path

import geopandas as gpd
import numpy as np
import pydeck as pdk
import shapely
from pydeck.bindings import deck as pydeck_deck
from pydeck.bindings.json_tools import default_serialize

from dashboard.model import metrics
from dashboard.model.geography import AFRIN, IDLIB, KEY_TOWNS, Geography
from dashboard.model.impact import EVENTS_SOURCE, Impact
from dashboard.render import map_names, mercator, static_map
from dashboard.render.geojson import feature_collection
from dashboard.render.mercator import lonlat_at, metres_per_px
from dashboard.render.static_map import scale_bar_marks, text_width
from dashboard.render.style import BLACK, EVENT_POINT, MAP, POINT, STATUS, TEXT, VIOLENCE, Look

CAMERAS = {
    "NW Syria": {"longitude": 36.75, "latitude": 36.2, "zoom": 7.4},
    "Idlib": {"longitude": 36.6, "latitude": 35.85, "zoom": 8.6},
    "Afrin": {"longitude": 36.85, "latitude": 36.5, "zoom": 9.3},
    "Whole border": {"longitude": 38.9, "latitude": 36.4, "zoom": 6.2},
}
LAYER_LABELS = {
    "units": "Governorates, Idlib and Afrin highlighted",
    "districts": "Districts",
    "rivers": "Rivers",
    "zone": "Safe zone (band and full zone)",
    "corridor": "M4 corridor",
    "posts": "Observation posts",
    "post_radii": "Post radii",
    "settlements": "Settlements",
    "roads": "M4 / M5 (schematic)",
    "events": "Conflict events in the window (UCDP)",
    "user": "Your layer (uploaded)",
}

# Layers a viewer switches on (Layers popover): 1,590 discs of fighting would hide the zone at first sight.
OFF_AT_FIRST = ("events",)
# Which layers of basemap_layers each toggle of LAYER_LABELS hides.
BASEMAP_TOGGLES = {
    "units": ("units", "idlib", "afrin"),
    "districts": ("districts", "subdistricts"),
    "rivers": ("rivers", "rivers_named", "river_labels"),
    "roads": ("roads", "patrol"),
    "settlements": ("settlements",),  # and the places' names (see scenario_map)
}

# The vintage of every GeoNames population figure, short enough for a tooltip (full text in the layer).
SETTLEMENT_VINTAGE = "GeoNames, file of Feb 2020; mostly an old census count, year not stated"
DISPLAY_GRID = 1e-3  # ~100 m: finer than a pixel at the zooms the presets use, and keeps reruns small


def _features(frame, tip=None, extra=None, simplify: bool = False) -> dict:
    """A lon/lat GeoDataFrame as slim GeoJSON: display-grid coordinates, only ``tip`` and style props.
    ``simplify`` drops vertices that move a line by less than the display grid (basemap outlines)."""
    geoms = frame.geometry.values
    if simplify:
        geoms = shapely.simplify(geoms, DISPLAY_GRID, preserve_topology=True)
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    props = []
    for i, record in enumerate(records):
        out = {}
        if tip is not None:
            out["tip"] = tip(record)
        if extra is not None:
            out.update(extra(i, record))
        props.append(out)
    return feature_collection(geoms, props, precision=DISPLAY_GRID)


def _geometry(geo: Geography, geom, precision: float = DISPLAY_GRID / 10, **props) -> dict:
    """One scenario area (ground CRS) as lon/lat GeoJSON, by default finer than the basemap: its edges
    are measured."""
    lonlat = geo.to_lonlat(geom) if geom is not None and not geom.is_empty else None
    return feature_collection([lonlat], [props], precision=precision)


def basemap_layers(geo: Geography, segment: str = "west") -> list[pdk.Layer]:
    """Every layer that no scenario number changes: the vector basemap below the scenario's areas (countries,
    rivers, governorates, districts, border, Idlib and Afrin highlighted) and the reference points above
    them (M4/M5, settlements, key-town labels). Only the settlements' distances in their tooltips depend on
    the border segment. The UI serves these as files the browser caches (see ``dashboard/ui/map_specs.py``),
    so a slider step sends only what the scenario changed.

    Colours and widths are constants, one per layer, and every layer is pickable: layers set up alike
    share one pipeline in software WebGL (see ``test_layers_share_their_set_up``)."""
    ll = geo.layers_lonlat
    countries = ll["countries"]
    is_syria = countries["id"] == "SYR"
    govs = ll["governorates"]
    districts = ll["districts"]
    rivers = ll["rivers"]
    named = rivers.loc[rivers["named"]]
    river_labels = _river_label_rows(geo)
    idlib, afrin = govs.loc[govs["id"] == IDLIB], districts.loc[districts["id"] == AFRIN]
    return [
        _basemap_layer("countries", "neighbour", countries.loc[~is_syria], _name, stroked=True),
        _basemap_layer("syria", "syria", countries.loc[is_syria], _name, stroked=True),
        _basemap_layer("rivers", "river", rivers.loc[~rivers["named"]], _river_tip),
        _basemap_layer("rivers_named", "river_named", named, _river_tip),
        _river_labels(river_labels),
        _basemap_layer("units", "boundary", govs, lambda p: f"{p['name']} governorate ({p['country']})", stroked=True),
        _basemap_layer("idlib", "idlib", idlib, lambda p: "Idlib governorate"),
        _basemap_layer("afrin", "afrin", afrin, lambda p: "Afrin district"),
        _basemap_layer(
            "districts", "district", districts, lambda p: f"{p['name']} district, {p['governorate']} governorate"
        ),
        # unseen at any selection: Streamlit paints a selected feature opaque (a sub-district went black)
        _basemap_layer("subdistricts", "subdistrict", ll["subdistricts"], _subdistrict_tip, stroked=False, opacity=0),
        _basemap_layer("border", "border", ll["border"], _name),
        *_road_layers(geo),
        *_settlement_layers(geo, segment),
    ]


def _river_label_rows(geo: Geography) -> list[dict]:
    """Each named river's name at its middle."""
    named = geo.layers_lonlat["rivers"]
    named = named.loc[named["named"]]
    middles = shapely.line_interpolate_point(named.geometry.values, 0.5, normalized=True)
    return [
        {"name": name, "position": [round(p.x, 4), round(p.y, 4)]}
        for name, p in zip(named["name"], middles, strict=True)
    ]


# fixed layers drawn over the scenario's areas: the sub-districts (unseen) catch a click inside the zone
ABOVE_AREAS = ("subdistricts", "roads", "patrol", "settlements")


def _name(props: dict) -> str:
    return props["name"]


def _basemap_layer(layer_id: str, look: str, frame, tip, **flags) -> pdk.Layer:
    """One basemap layer in its named look, simplified to the display grid: its outline always, its fill
    where the look has one (an outline-only look is drawn unfilled)."""
    paint = MAP[look]
    style = {"get_line_color": paint.line.rgba, "line_width_min_pixels": paint.width}
    if paint.fill is not None:
        style = {"filled": True, "get_fill_color": paint.fill.rgba, **style}
    else:
        style["filled"] = False
    features = _features(frame, tip=tip, simplify=True)
    return pdk.Layer("GeoJsonLayer", features, id=layer_id, pickable=True, **{**style, **flags})


RIVER_NAME_BELOW_PX = 4  # a river's name hangs this far below its middle (the places' names keep clear of it)


def _river_labels(items: list[dict]) -> pdk.Layer:
    """The named rivers' names ({"name", "position"}) just below their middles, drawn like every text on the
    map (:data:`map_names.TEXT_SETUP`): a distinct set-up costs software WebGL a pipeline."""
    ink, size = TEXT["river"]
    rows = [  # the bottom of the name ``size`` below its top, which hangs RIVER_NAME_BELOW_PX below the middle
        {**item, "size": size, "colour": ink.rgba, "anchor": "middle", "offset": [0, RIVER_NAME_BELOW_PX + size]}
        for item in items
    ]
    return pdk.Layer("GeoJsonLayer", map_names.features(rows), id="river_labels", **map_names.TEXT_SETUP)


def _point_style(min_pixels: float, outline: Look) -> dict:
    """One set-up for every point layer (settlements, posts, the user's): colour and radius per feature,
    always stroked. Software WebGL compiles a pipeline per distinct layer set-up, so sharing one keeps
    the first frame short on a machine without a GPU."""
    return {
        "point_type": "'circle'",
        "get_point_radius": "properties.radius",
        "point_radius_min_pixels": min_pixels,
        "get_fill_color": "properties.colour",
        "get_line_color": outline.line.rgba,
        "line_width_min_pixels": outline.width,
        "stroked": True,
        "filled": True,
        "pickable": True,
    }


def _subdistrict_tip(p) -> str:
    return (
        f"{p['name']}{_other_names(p)} sub-district\n{p['district']} district, {p['governorate']} governorate\n"
        f"{p['pop_2023']:,.0f} people, {p['pin_2023']:,.0f} in need, severity {p['severity_2023']} of 5 "
        "(OCHA Syria 2023 HNO)\nclick for its card"
    )


def _river_tip(p) -> str:
    if not p["named"]:
        return "River or wadi\nGSHHG WDBII (unnamed in the source)"
    return f"{p['name']} river\non it: {p['on_it']}\nGSHHG WDBII; name from cited sources"


def _other_names(props: dict) -> str:
    """A place's Arabic and Turkish names after its English one in a tooltip (the tooltip is the page's own
    text, so Arabic is shaped; deck.gl's labels cannot)."""
    others = [n for n in (props.get("name_ar"), props.get("name_tr")) if isinstance(n, str) and n]
    return f" · {' · '.join(others)}" if others else ""


def _post_tip(row, names: dict | None = None) -> str:
    return (
        f"{row['name']}{_other_names(names or {})} observation post\nstatus: {row['status']}\n{row['status_dates']}\n"
        f"{row['distance_to_border_km']:.1f} km from the border\nsource: {row['sources'][0]}"
    )


def _area_layer(geo: Geography, geom, layer_id: str, look: str, tip: str) -> pdk.Layer:
    """A filled, unstroked scenario area (zone, band, corridor, post radii) with its tooltip.

    Its fill is snapped to the basemap's ~100 m display grid (so where it follows Syria's boundary it
    meets the basemap's outline); the measured edges are drawn over it at ~10 m. The fill is within
    ~70 m of them, under the 2.5-pixel edge line up to zoom 11 (the presets go to 9.3), and a deep zone
    sends ~3 kB less per step."""
    return pdk.Layer(
        "GeoJsonLayer",
        _geometry(geo, geom, precision=DISPLAY_GRID, tip=tip),
        id=layer_id,
        filled=True,
        get_fill_color=MAP[look].fill.rgba,
        stroked=False,
        pickable=True,
    )


def _road_layers(geo: Geography) -> list[pdk.Layer]:
    """M4/M5 (schematic, from waypoints) and the M4 patrol route, constant widths in pixels: lines of a
    GeoJSON layer like the basemap's outlines (a path layer of their own was a pipeline more to compile)."""
    roads = geo.layers_lonlat["roads"]
    highway = (roads["kind"] == "highway").to_numpy()
    return [
        _basemap_layer(layer_id, look, roads.loc[rows], lambda p: f"{p['name']}\n{p['accuracy']}")
        for layer_id, look, rows in (("roads", "road", highway), ("patrol", "patrol", ~highway))
    ]


def settlement_radius_m(population: np.ndarray) -> np.ndarray:
    """A settlement's disc on the map, in metres: it grows with the square root of its people."""
    base_m, per_m = POINT["settlement_m"], POINT["settlement_per_sqrt_thousand_m"]
    return np.where(np.isnan(population), base_m, per_m * np.sqrt(np.nan_to_num(population) / 1000.0) + base_m)


def _settlement_layers(geo: Geography, segment: str) -> list[pdk.Layer]:
    """Every GeoNames settlement, sized by population, with its distance to ``segment`` in the tooltip,
    and the key towns' labels."""
    static = geo.hot.settle_static
    pop = np.asarray(static["population"], dtype=float)
    radius = settlement_radius_m(pop)
    names, km = list(static["name"]), geo.hot.segments[segment].settle_dist.tolist()
    row_of = {sid: row for row, sid in enumerate(static["id"])}  # each map point finds its own row by id

    def settle_extra(_, p):
        i = row_of[p["id"]]
        people = "population unknown" if np.isnan(pop[i]) else f"population {int(pop[i]):,}\n{SETTLEMENT_VINTAGE}"
        tip = f"{names[i]}{_other_names(p)}\n{people}\n{km[i]:.1f} km from the border"
        return {"radius": round(float(radius[i])), "colour": MAP["settlement"].fill.rgba, "tip": tip}

    return [
        pdk.Layer(
            "GeoJsonLayer",
            _features(geo.layers_lonlat["settlements"], extra=settle_extra),
            id="settlements",
            **_point_style(min_pixels=POINT["settlement_min_px"], outline=MAP["settlement"]),
        ),
    ]


SCALE_LEFT_PX = -200.0  # where the scale bar starts, from the view's centre: inside a map 420 pixels wide
SCALE_ABOVE_BOTTOM_PX = 60.0  # and how far above the map's bottom edge
MAP_HEIGHT = 620  # the landing page's map (the Compare page's is 420, the presenter's 560)
SCALE_TARGET_PX = 110.0  # about how long the bar is drawn
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200)


def scale_bar(view: dict, height: int = MAP_HEIGHT) -> tuple[list[pdk.Layer], tuple[float, float, float, float]]:
    """A scale bar drawn on the ground: a line as many kilometres long as it says, measured along its parallel
    on the WGS84 ellipsoid, placed in the view's lower left. Being drawn in place it stays true at any zoom
    (Mercator stretches the map by 1/cos(latitude): the bar is true at its own latitude, which it states).

    All of it lies on the ground: a pale panel under it (the places' names are placed for every zoom, not for
    this view, and one may lie here), and its words sized in metres, so that zoomed out the whole bar
    shrinks within its panel instead of its words spilling over the names around it (zoomed in, the words
    keep their size in pixels). Returns its layers and the box it takes in the view's pixels."""
    x0, y0 = SCALE_LEFT_PX, height / 2 - SCALE_ABOVE_BOTTOM_PX  # the lower left of a map ``height`` high
    lon, lat = lonlat_at(x0, y0, view)
    per_px = metres_per_px(lat, view["zoom"])
    km = max([k for k in NICE_KM if k * 1000 / per_px <= SCALE_TARGET_PX * 1.4] or [NICE_KM[0]])
    marks = scale_bar_marks(lon, lat, (0, km / 2, km))
    tick = 6 * per_px / 111_000  # a 6-pixel tick, in degrees of latitude
    lines = [shapely.LineString([(marks[0]["lon"], lat), (marks[-1]["lon"], lat)])]
    lines += [shapely.LineString([(m["lon"], lat), (m["lon"], lat + tick)]) for m in marks]
    look, (ink, size) = MAP["scale"], TEXT["scale"]
    width = km * 1000 / per_px

    def words(text: str, lon: float, dy: float, px: float, anchor: str) -> dict:
        """Words at ``lon`` with their baseline ``dy`` pixels below the bar, ``px`` high at this zoom."""
        return {
            "name": text,
            "position": [round(lon, 6), round(lonlat_at(x0, y0 + dy, view)[1], 6)],
            "size": round(px * per_px, 1),
            "colour": ink.rgba,
            "anchor": anchor,
            "offset": [0, 0],
        }

    texts = [  # the kilometres below each tick, then the latitude it is true at after the bar
        words(f"{m['km']:g}" + (" km" if m is marks[-1] else ""), m["lon"], 4 + size, size, "middle") for m in marks
    ]
    note = f"true at {lat:.1f}° N"
    after = marks[-1]["lon"] + 10 * 360 / (512 * 2 ** view["zoom"])  # 10 pixels on
    texts.append(words(note, after, (size - 2) / 2, size - 2, "start"))
    box = (x0 - 10, y0 - 10, x0 + width + 10 + text_width(note, size - 2), y0 + 4 + size + 4)
    corners = [
        lonlat_at(dx, dy, view) for dx, dy in ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3]))
    ]
    panel = feature_collection(
        [shapely.Polygon(corners)], [{"tip": f"Scale bar: true at {lat:.1f}° N (WGS84)"}], precision=1e-5
    )
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            panel,
            id="scale_panel",
            filled=True,
            get_fill_color=MAP["scale_panel"].fill.rgba,
            stroked=False,
            pickable=True,
        ),
        pdk.Layer(
            "GeoJsonLayer",
            feature_collection(lines, [{"tip": f"Scale bar: {km:g} km"}] * len(lines), precision=1e-6),
            id="scale_bar",
            filled=False,
            get_line_color=look.line.rgba,
            line_width_min_pixels=look.width,
            pickable=True,
        ),
        # drawn like every text on the map (one pipeline), its size read in metres up to ``size`` pixels
        pdk.Layer(
            "GeoJsonLayer",
            map_names.features(texts),
            id="scale_text",
            **{**map_names.TEXT_SETUP, "text_size_units": "'meters'", "text_size_max_pixels": size},
        ),
    ]
    return layers, box


def view_layers_for(view: dict, height: int = MAP_HEIGHT) -> list[pdk.Layer]:
    """What depends on the view the map opens at (not on the scenario): the scale bar, on its panel, in the
    lower left of a map ``height`` pixels high."""
    return scale_bar(view, height)[0]


def _names_input(geo: Geography) -> tuple[map_names.Places, list[map_names.Marks]]:
    """Every settlement to be named (key towns by their usual spelling, larger and darker) and the marks the
    names keep clear of: the posts' discs and the rivers' names."""
    settlements = geo.layers_lonlat["settlements"]
    towns = {gn: name for name, gn in KEY_TOWNS.items()}
    key = settlements["id"].isin(list(towns)).to_numpy()
    population = settlements["population"].to_numpy(dtype=float)
    looks = [TEXT["town" if k else "place"] for k in key]
    places = map_names.Places(
        name=[towns.get(pid, name) for pid, name in zip(settlements["id"], settlements["name"], strict=True)],
        lon=settlements.geometry.x.to_numpy(),
        lat=settlements.geometry.y.to_numpy(),
        key=key,
        people=np.nan_to_num(population),
        radius_m=settlement_radius_m(population),
        min_px=POINT["settlement_min_px"],
        size=[look[1] for look in looks],
        colour=[look[0].rgba for look in looks],
    )
    posts = geo.layers_lonlat["posts"]
    post_discs = map_names.Marks(
        posts.geometry.x.to_numpy(),
        posts.geometry.y.to_numpy(),
        radius_m=np.full(len(posts), float(POINT["post_m"])),
        min_px=POINT["post_min_px"] + 1.5,  # and its outline
    )
    rivers = _river_label_rows(geo)
    size = TEXT["river"][1]
    widths = [text_width(row["name"], size) for row in rivers]
    river_names = map_names.Marks(
        np.array([row["position"][0] for row in rivers]),
        np.array([row["position"][1] for row in rivers]),
        box=np.array([(-w / 2, RIVER_NAME_BELOW_PX, w / 2, RIVER_NAME_BELOW_PX + size) for w in widths]).reshape(-1, 4),
    )
    return places, [post_discs, river_names]


def name_levels(geo: Geography) -> dict[int, list[dict]]:
    """The places' names at every level of zoom (see :mod:`dashboard.render.map_names`), placed once per
    geography (~0.5 s) and shared read-only."""
    held = _NAME_LEVELS.get(id(geo))
    if held is not None and held[0]() is geo:
        return held[1]
    levels = map_names.name_levels(*_names_input(geo))
    _NAME_LEVELS[id(geo)] = (weakref.ref(geo, lambda _: _NAME_LEVELS.pop(id(geo), None)), levels)
    return levels


_NAME_LEVELS: dict[int, tuple[weakref.ref, dict]] = {}


def names_digest(geo: Geography) -> str:
    """A digest of everything the names' placement reads (the places, the marks they keep clear of, and the
    code that places them): the served tiles are named by it, so a new placement never meets an old tile."""
    places, marks = _names_input(geo)
    fields = [vars(item) for item in (places, *marks)]
    plain = [{k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in f.items()} for f in fields]
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True).encode("utf-8"))
    for module in (map_names, mercator, static_map):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def names_extent(geo: Geography) -> list[float]:
    return map_names.extent_of(_names_input(geo)[0])


def names_layer(geo: Geography, view: dict) -> pdk.Layer:
    """The names of the level of ``view``'s zoom, sent with the map: the map as a pure function draws these;
    the UI serves every level as tiles instead (see ``dashboard/ui/map_specs.py``)."""
    return map_names.inline_layer(name_levels(geo)[map_names.level_of(view["zoom"])])


def scenario_layers(geo: Geography, impact: Impact, show: dict[str, bool]) -> list[pdk.Layer]:
    """The areas that change with the scenario: zone, band and its edges, corridor, post radii (drawn
    below the fixed reference points of :func:`basemap_layers`; the posts are :func:`posts_layer`)."""
    s = impact.scenario
    layers = []
    if show.get("zone", True):
        edges = []
        for depth, look, buffer in zip(
            (s.inner_km, s.outer_km), ("edge_inner", "edge_outer"), impact.buffers, strict=True
        ):
            if depth > 0:
                ring = shapely.intersection(buffer.exterior, geo.syria)
                edges.append(
                    pdk.Layer(
                        "GeoJsonLayer",
                        _geometry(geo, ring, tip=f"{depth:g} km from the border"),
                        id=f"edge_{look}",
                        filled=False,
                        get_line_color=MAP[look].line.rgba,
                        line_width_min_pixels=MAP[look].width,
                        pickable=True,
                    )
                )
        zone_tip = f"0–{s.outer_km:g} km zone: {impact.zone_area_km2:,.0f} km²"
        band_tip = f"{s.inner_km:g}–{s.outer_km:g} km band: {impact.band_area_km2:,.0f} km²"
        # the zone's inner part and the band side by side, not the band over the whole zone: the outline from
        # the inner to the outer edge was sent twice (~2 kB of a deep zone's step); the band's fill is the two
        # stacked, so the map looks the same
        inner_part = shapely.difference(impact.zone, impact.band) if s.inner_km > 0 else None
        layers += [
            _area_layer(geo, inner_part, "zone", "zone", zone_tip),
            _area_layer(geo, impact.band, "band", "band_alone", band_tip),
            *edges,
        ]
    if show.get("corridor", True) and s.corridor_km > 0:
        tip = f"M4 corridor {s.corridor_km:g} km either side: {impact.corridor_area_km2:,.0f} km²"
        layers.append(_area_layer(geo, impact.corridor, "corridor", "corridor", tip))
    if show.get("post_radii", True) and s.post_radius_km > 0:
        tip = f"{s.post_radius_km:g} km around manned posts"
        layers.append(_area_layer(geo, impact.post_rings, "post_radii", "rings", tip))
    return layers


def posts_layer(geo: Geography, posts) -> pdk.Layer:
    """The observation posts coloured by status, from a scenario's posts table. It depends on the date and
    the border segment only (status and distance), so the UI builds it once per pair and serves it."""
    post_rows = posts.set_index("id", drop=False)

    def post_extra(_, p):
        row = post_rows.loc[p["id"]]  # by id, not position: the layer and the table may differ in order
        return {
            "radius": POINT["post_m"],
            "colour": STATUS[row["status"]].rgba,
            "tip": _post_tip(row, p),
            "status": row["status"],
        }

    return pdk.Layer(
        "GeoJsonLayer",
        _features(geo.layers_lonlat["posts"], extra=post_extra),
        id="posts",
        **_point_style(min_pixels=POINT["post_min_px"], outline=MAP["post"]),
    )


EVENTS_DRAWN_MAX = 6_000  # events drawn one by one up to this; a longer window is drawn as 0.05° cells


def events_layer(geo: Geography, events_from, events_to, segment: str) -> pdk.Layer:
    """The window's conflict events in Syria that a zone can reach or that lie in the north-west: a disc per
    event, coloured by type of violence, its area growing with its deaths, its tooltip giving the date,
    sides, deaths and distance to the segment's border. It depends on the window and the segment only (no
    depth), so the UI builds it once per pair and serves it as a file. A window with more events than
    ``EVENTS_DRAWN_MAX`` is drawn as 0.05° cells (about 5 km), each with its count and deaths."""
    ev, table = geo.events, geo.layers_lonlat["events"]
    first, last = events_from.isoformat(), events_to.isoformat()
    keep = (
        (table["date"].to_numpy() >= first)
        & (table["date"].to_numpy() <= last)
        & (np.isfinite(ev.dist["all"]) | ev.north_west)
    )
    rows = table.loc[keep]
    dist = ev.dist[segment][keep]
    if len(rows) > EVENTS_DRAWN_MAX:
        rows = rows.assign(cell_lon=(rows["lon"] / 0.05).round() * 0.05, cell_lat=(rows["lat"] / 0.05).round() * 0.05)
        cells = (
            rows.groupby(["cell_lon", "cell_lat"])
            .agg(
                events=("id", "size"),
                best=("best", "sum"),
                low=("low", "sum"),
                high=("high", "sum"),
                violence=("violence", lambda v: v.mode().iloc[0]),
                first=("date", "min"),
                last=("date", "max"),
            )
            .reset_index()
        )
        frame = gpd.GeoDataFrame(cells, geometry=gpd.points_from_xy(cells["cell_lon"], cells["cell_lat"]), crs=4326)

        def extra(_, p):
            return _event_point(
                p,
                f"{p['events']:,} events, {p['first']} – {p['last']} (a 0.05° cell)\n"
                f"{p['best']:,} deaths (UCDP low–high {p['low']:,}–{p['high']:,}); mostly {p['violence']}\n"
                f"{EVENTS_SOURCE}: lower bounds",
            )
    else:
        frame = rows.assign(km=dist)

        def extra(_, p):
            away = (
                f"{p['km']:.1f} km from the border"
                if np.isfinite(p["km"])
                else "across the Euphrates from this segment"
            )
            return _event_point(
                p,
                f"{p['date']}: {p['sides']} ({p['violence']})\n"
                f"{p['best']:,} deaths (UCDP low–high {p['low']:,}–{p['high']:,})\n{away}\n"
                f"{EVENTS_SOURCE}, event {p['id']}",
            )

    return pdk.Layer(
        "GeoJsonLayer",
        _features(frame, extra=extra),
        id="events",
        **_point_style(min_pixels=EVENT_POINT["min_px"], outline=Look(None, BLACK.at(120), 0.5)),
    )


def _event_point(p: dict, tip: str) -> dict:
    """A disc's style for an event or a cell of events: its area grows with the deaths, its colour is the
    type of violence (a cell's most frequent)."""
    radius = EVENT_POINT["base_m"] + EVENT_POINT["per_sqrt_death_m"] * float(p["best"]) ** 0.5
    return {"radius": min(radius, EVENT_POINT["max_m"]), "colour": VIOLENCE[p["violence"]].rgba, "tip": tip}


USER_INLINE_VERTICES = 20_000  # an upload up to this size is drawn with the scenario (tooltips say in or out)
# An upload's polygons are outlined up to this many vertices as drawn. Software WebGL (no GPU) took 3.7 s a frame
# to outline 5,000 polygons (their fill, 0.3 s), and the map is drawn again after every slider step.
USER_OUTLINE_VERTICES = 20_000


def _user_shapes(table) -> np.ndarray:
    """An upload's geometries as drawn: simplified to the map's display grid (~100 m), like the basemap."""
    return shapely.simplify(table.geometry.values, DISPLAY_GRID, preserve_topology=True)


def _outlined(shapes: np.ndarray) -> bool:
    """Whether the polygons' outlines are few enough to draw (a line is drawn whatever this says; a point's
    ring costs next to nothing, so lines and points are not counted)."""
    polygons = shapes[np.isin(shapely.get_type_id(shapes), (3, 6))]  # shapely's ids of Polygon, MultiPolygon
    return int(shapely.get_num_coordinates(polygons).sum()) <= USER_OUTLINE_VERTICES


def user_outlined(table) -> bool:
    """Whether an upload's shapes are drawn with their outlines (see ``USER_OUTLINE_VERTICES``); beyond that
    they are drawn filled, which keeps them visible and a slider step usable without a GPU."""
    return _outlined(_user_shapes(table))


def user_layer(table, per_scenario: bool = True) -> pdk.Layer:
    """An uploaded layer (see :mod:`dashboard.sources.uploads`); its labels go to the tooltip as plain text.

    Its outlines are drawn at the map's display grid (~100 m), like the basemap: a 5,000-polygon upload
    was sent whole, 6 MB on every rerun. A layer of many shapes is drawn filled, without outlines
    (:func:`user_outlined`). Coverage is measured on the full geometry, not on this.
    ``per_scenario`` tooltips say whether each feature is in the band or the zone; without it the layer
    is the same for every depth (the UI then serves it as a file, see :func:`drawn_per_scenario`) and
    the tooltip gives the distance only, the table below the map saying what is inside."""
    labels, km = table["label"].tolist(), table["distance_to_border_km"].tolist()  # columns, not .iloc
    in_band, in_zone = table["in_band"].tolist(), table["in_zone"].tolist()
    colour = MAP["user"].fill.rgba

    def where(i, _):
        if per_scenario:
            place = "inside the band" if in_band[i] else "inside the zone" if in_zone[i] else "outside the zone"
        else:
            place = "in the zone or not: see the table 'Your layer'"
        return {
            "radius": POINT["user_m"],
            "colour": colour,
            "tip": f"{labels[i]}\n{place}\n{km[i]:.1f} km from the border",
        }

    shapes = _user_shapes(table)
    return pdk.Layer(
        "GeoJsonLayer",
        _features(gpd.GeoDataFrame(geometry=shapes), extra=where),
        id="user",
        **{**_point_style(min_pixels=POINT["user_min_px"], outline=MAP["user"]), "stroked": _outlined(shapes)},
    )


def drawn_per_scenario(table) -> bool:
    """Whether an upload is small enough to be drawn again with each scenario (its tooltips then say
    what is inside); a larger one is drawn once per border segment and sent as a file."""
    return int(shapely.get_num_coordinates(table.geometry.values).sum()) <= USER_INLINE_VERTICES


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation. pydeck indents by 2, which quadruples what each rerun sends
    and forces Python's slow pure-Python encoder; without indent the C encoder does the same work ~4× faster.
    A deck shared from a cache is :meth:`freeze`-d: written once, then its JSON is reused."""

    def to_json(self) -> str:
        written = _WRITTEN.get(self)
        return written if written is not None else self._write()

    def _write(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))

    def freeze(self) -> CompactDeck:
        """Write the JSON now and reuse it: for a deck that is never changed again (shared read-only)."""
        _WRITTEN[self] = self._write()
        return self


# pydeck asks six times per Deck whether Jupyter's widget can be imported, each time a failed import: ~2.7 ms
# of every new scenario's map. The answer cannot change while the server runs.
pydeck_deck.has_jupyter_extra = functools.cache(pydeck_deck.has_jupyter_extra)

# A frozen deck's JSON, kept outside the deck: pydeck writes every attribute of a deck into its JSON.
_WRITTEN: weakref.WeakKeyDictionary[CompactDeck, str] = weakref.WeakKeyDictionary()


def scenario_map(
    geo: Geography,
    impact: Impact,
    camera: str = "NW Syria",
    show: dict | None = None,
    user: pdk.Layer | None = None,
    base: list[pdk.Layer] | None = None,
    posts: pdk.Layer | None = None,
    events: pdk.Layer | None = None,
    view: dict | None = None,
    view_layers: list[pdk.Layer] | None = None,
    names: pdk.Layer | None = None,
    height: int = MAP_HEIGHT,
) -> pdk.Deck:
    """The whole map for one scenario: offline basemap, scenario layers and the analyst's own layer
    (``user``, drawn by :func:`user_layer`).

    ``base`` is :func:`basemap_layers` for the scenario's segment, made once by the caller (it never
    depends on the scenario's numbers and is most of a deck), possibly with its data served as files;
    it is read, never changed. ``posts`` is :func:`posts_layer` for the scenario's date and segment, made
    once by the caller in the same way. Layers toggled off are not sent at all. ``view`` (longitude,
    latitude, zoom) replaces the camera preset: a place the briefer searched for, in the middle. ``names`` is
    the places' names for every zoom (served as tiles by the UI); by default the names of the view's zoom
    level are sent with the map. The map zooms between the limits the names are placed for."""
    show = show or {}
    extra = [user] if user is not None and show.get("user", True) else []
    hidden = {layer_id for toggle, ids in BASEMAP_TOGGLES.items() if not show.get(toggle, True) for layer_id in ids}
    base = basemap_layers(geo, impact.scenario.segment) if base is None else base
    fixed = [layer for layer in base if layer.id not in hidden]
    if show.get("posts", True):
        extra.insert(0, posts_layer(geo, impact.posts) if posts is None else posts)  # over everything but yours
    if show.get("events", "events" not in OFF_AT_FIRST):
        s = impact.scenario
        drawn = events_layer(geo, s.events_from, s.events_to, s.segment) if events is None else events
        extra.insert(0, drawn)  # under the posts: a post must stay clickable where fighting was dense
    camera_view = view or CAMERAS[camera]
    # over everything: the names (a key town named over a post's disc stays readable), then the scale bar
    over = [] if not show.get("settlements", True) else [names_layer(geo, camera_view) if names is None else names]
    over += view_layers_for(camera_view, height) if view_layers is None else view_layers
    scenario = scenario_layers(geo, impact, show)
    layers = [
        *(layer for layer in fixed if layer.id not in ABOVE_AREAS),
        *(layer for layer in scenario if not layer.id.startswith("edge_")),
        *(layer for layer in fixed if layer.id == "subdistricts"),
        *(layer for layer in scenario if layer.id.startswith("edge_")),  # their tooltips say how far they are
        *(layer for layer in fixed if layer.id in ABOVE_AREAS and layer.id != "subdistricts"),
        *extra,
        *over,
    ]
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(
            **camera_view, pitch=0, bearing=0, min_zoom=map_names.MIN_ZOOM, max_zoom=map_names.MAX_ZOOM
        ),
        map_provider=None,
        tooltip={"text": "{tip}", "style": {"fontSize": "14px", "whiteSpace": "pre-line"}},
    )


def _towns_inside(impact: Impact) -> str:
    """The key towns inside, by name, read from the table's columns (its DataFrame cost ~2 ms a step)."""
    towns = impact.columns["towns"]
    return ", ".join(towns["name"][towns["inside"]]) or "none"


def short_summary(impact: Impact) -> str:
    """What the map shows in one sentence, for the caption under it (the figures are in the panel beside it
    and, whole, in the map's alt text)."""
    return f"{impact.scenario.label()}; key towns inside: {_towns_inside(impact)}."


def alt_text(impact: Impact) -> str:
    """A text summary of what the map shows, for screen readers and printed briefs: every catalogue metric of
    the zone (the conflict events, a layer drawn only when switched on, are said under the panel)."""
    said = "; ".join(f"{m.label_for(impact)}: {m.aloud(impact)}" for m in metrics.shown(impact) if m.group == "zone")
    return (
        f"Map of northwest Syria showing {impact.scenario.label()}. {said}. Key towns inside, by name: "
        f"{_towns_inside(impact)}."
    )
