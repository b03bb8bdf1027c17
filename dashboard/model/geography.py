"""Everything that does not depend on the sliders, computed once from the committed layers.

A :class:`Geography` holds the layers reprojected to the ground CRS of :mod:`dashboard.model.zones`, the
equal-area areas of every polygon, and the distance of every settlement and post to each border
segment. Building it is the cold start; a scenario then costs only buffers and intersections.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.model import population, zones
from dashboard.model.posts import DATE_COLUMNS, status_dates
from dashboard.sources import layers

IDLIB = "SY07"
AFRIN = "SY0203"
# Key towns by GeoNames id, in the order the briefing reads them.
KEY_TOWNS = {
    "Idlib": "gn169389",
    "Afrin": "gn174186",
    "A'zaz": "gn172082",
    "Jisr al-Shughur": "gn169023",
    "Ariha": "gn172994",
    "Saraqib": "gn164816",
    "Maarrat al-Numan": "gn167611",
    "al-Bab": "gn174018",
    "Jarablus": "gn169179",
    "Manbij": "gn167357",
    "Aleppo": "gn170063",
}
PATROL_STRETCH = "M4-patrol-2020"
# The Euphrates divides the border's two segments. Each side is made of whole units (OCHA COD-AB), so a
# sub-district is wholly on one side: east of the river are Ain al-Arab district (on the left bank
# opposite Jarablus) and the Al-Hasakeh, Deir-ez-Zor and Ar-Raqqa governorates; everything else is west.
# (Ar-Raqqa's few south-bank areas lie over 100 km from the western segment, beyond any zone.)
EAST_BANK_DISTRICTS = ("SY0206",)
EAST_BANK_GOVERNORATES = ("SY08", "SY09", "SY11")
CONTROL_AREAS = {
    "share_gos": "Government of Syria",
    "share_nws": "North-west opposition areas",
    "share_nes": "North-east (SDF) areas",
    "share_raata": "Ras al-Ain – Tall Abiad",
    "share_tall_refaat": "Tall Refaat",
}


@dataclass(frozen=True)
class SegmentArrays:
    """What depends on the border segment, for the settlements, posts and sub-districts (rows as in the
    layers): distances to the segment (km), which side of the Euphrates each is on, and each
    sub-district's nearest and farthest distance (columns 0 and 1 of ``sub_reach``)."""

    settle_dist: np.ndarray
    settle_side: np.ndarray
    post_dist: np.ndarray
    post_side: np.ndarray
    sub_side: np.ndarray
    sub_reach: np.ndarray
    town_reach: np.ndarray  # per populated town (PeopleModel.towns): its central footprint's reach, km


@dataclass(frozen=True)
class HotArrays:
    """Plain arrays for the per-scenario code, so it never pays pandas or geopandas overhead.

    ``*_static`` are the columns a table copies as they are; ``sub_district``, ``sub_gov`` and
    ``settle_sub`` index a sub-district's district and governorate and a settlement's sub-district
    (-1: none); ``town_index`` the key towns' rows among the settlements.
    """

    sub_static: dict
    district_static: dict
    gov_static: dict
    settle_static: dict
    post_static: dict
    sub_polys: np.ndarray
    sub_areas: np.ndarray
    sub_pop: np.ndarray
    sub_pin: np.ndarray
    sub_severity: np.ndarray
    sub_control: np.ndarray
    sub_district: np.ndarray
    sub_gov: np.ndarray
    people_model: population.PeopleModel
    gov_areas: np.ndarray
    district_areas: np.ndarray
    settle_geoms: np.ndarray
    settle_in_syria: np.ndarray
    settle_pop: np.ndarray
    settle_sub: np.ndarray
    town_index: np.ndarray
    patrol_dist_settle: np.ndarray
    post_geoms: np.ndarray
    post_dates: np.ndarray
    patrol_dist_post: np.ndarray
    segments: dict[str, SegmentArrays]


NORTH_WEST = ("SY02", "SY05", "SY06", "SY07")  # Aleppo, Hama, Lattakia, Idlib: the 2019–20 offensive's theatre
EVENT_REACH_KM = 101.0  # an event farther from the border than the deepest zone is never inside one


@dataclass(frozen=True)
class EventArrays:
    """UCDP events as plain arrays for the per-scenario code: the day (days since 1970-01-01), deaths (best, low,
    high), type of violence, whether in Syria and in the north-west, and for each border segment the distance
    in km to that segment and whether the event lies on its side (inf / False beyond the deepest zone)."""

    day: np.ndarray
    month: np.ndarray  # months since January 1970
    best: np.ndarray
    low: np.ndarray
    high: np.ndarray
    violence: np.ndarray  # an index into ``kinds`` (comparing 36,000 strings per scenario cost ~20 ms)
    kinds: tuple
    in_syria: np.ndarray
    north_west: np.ndarray
    dist: dict
    side: dict
    patrol_dist: np.ndarray


def event_arrays(frame: gpd.GeoDataFrame, borders: dict, sides: dict, syria, north_west, patrol) -> EventArrays:
    """Distances are measured once, at load, in the ground CRS as the settlements' are; only the events
    within reach of a zone are measured against each segment and the patrol road."""
    x, y = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
    points = frame.geometry.values
    in_syria = shapely.contains_xy(syria, x, y)
    dist_all = np.full(len(frame), np.inf)
    dist_all[in_syria] = shapely.distance(points[in_syria], borders["all"]) / 1000.0
    near = in_syria & (dist_all <= EVENT_REACH_KM)
    dist, side = {}, {}
    for segment, line in borders.items():
        d = np.full(len(frame), np.inf)
        d[near] = dist_all[near] if segment == "all" else shapely.distance(points[near], line) / 1000.0
        dist[segment] = d
        on = np.zeros(len(frame), dtype=bool)
        on[near] = shapely.contains_xy(sides[segment], x[near], y[near])
        side[segment] = on
    patrol_dist = np.full(len(frame), np.inf)
    patrol_dist[near] = shapely.distance(points[near], patrol) / 1000.0
    kinds, codes = np.unique(frame["violence"].to_numpy(dtype=str), return_inverse=True)
    days = pd.to_datetime(frame["date"]).to_numpy(dtype="datetime64[D]")
    return EventArrays(
        day=days.astype(np.int64),
        month=days.astype("datetime64[M]").astype(np.int64),
        best=frame["best"].to_numpy(dtype=np.int64),
        low=frame["low"].to_numpy(dtype=np.int64),
        high=frame["high"].to_numpy(dtype=np.int64),
        violence=codes,
        kinds=tuple(str(kind) for kind in kinds),
        in_syria=in_syria,
        north_west=in_syria & shapely.contains_xy(north_west, x, y),
        dist=dist,
        side=side,
        patrol_dist=patrol_dist,
    )


@dataclass(frozen=True, repr=False)
class Geography:
    """Precomputed, read-only inputs of every scenario (geometries in the ground CRS, metres)."""

    centre: tuple[float, float]
    to_ground: object
    to_lonlat: object
    syria: object
    borders: dict
    sides: dict  # segment -> the part of Syria its zone may cover (west or east of the Euphrates, or all)
    governorates: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    subdistricts: gpd.GeoDataFrame
    settlements: gpd.GeoDataFrame
    posts: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    extents: gpd.GeoDataFrame  # sourced built-up extents of the large cities (ground CRS)
    patrol_stretch: object
    layers_lonlat: dict
    hot: HotArrays | None = None  # filled by build_geography once the frames above exist
    events: EventArrays | None = None  # likewise: UCDP GED events, measured against the border
    # the border's reach at the depths asked for lately (see impact.depth_reach): a memo, not an input
    reaches: OrderedDict = field(default_factory=OrderedDict, init=False, compare=False)

    def __repr__(self) -> str:
        return f"Geography(centre={self.centre}, subdistricts={len(self.subdistricts)})"

    def area_km2(self, geom) -> float:
        """Area on the Earth of a ground-CRS geometry, in km² (see :func:`zones.true_areas_km2`)."""
        return float(zones.true_areas_km2(np.array([geom], dtype=object))[0])


def load_geography(directory: Path | None = None) -> Geography:
    """Read the layers and precompute distances and areas (the cold start)."""
    lonlat = {name: layers.load_layer(name, directory) for name in layers.LAYERS}
    lonlat["events"] = layers.load_events(directory)
    return build_geography(lonlat)


def build_geography(lonlat: dict[str, gpd.GeoDataFrame]) -> Geography:
    border_ll = lonlat["border"]
    whole = shapely.line_merge(shapely.union_all(border_ll.geometry.values))
    mid = shapely.line_interpolate_point(whole, 0.5, normalized=True)
    centre = (round(mid.x, 4), round(mid.y, 4))
    ground = zones.ground_crs(*centre)
    wgs84 = gpd.GeoSeries([], crs=4326).crs
    to_ground = zones.reprojector(wgs84, ground)
    to_lonlat = zones.reprojector(ground, wgs84)

    def project(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return frame.to_crs(ground)

    countries = project(lonlat["countries"])
    syria = countries.loc[countries["id"] == "SYR"].geometry.iloc[0]
    shapely.prepare(syria)
    borders_g = project(border_ll)
    borders = {row.segment: row.geometry for row in borders_g.itertuples()}
    borders["all"] = shapely.line_merge(shapely.union_all(list(borders.values())))

    governorates = project(lonlat["governorates"])
    governorates = governorates.loc[governorates["country"] == "Syria"].reset_index(drop=True)
    districts = project(lonlat["districts"]).reset_index(drop=True)
    subdistricts = project(lonlat["subdistricts"]).reset_index(drop=True)
    for frame in (governorates, districts, subdistricts):
        frame["area_km2"] = zones.true_areas_km2(frame.geometry.values)

    east = (subdistricts["district_id"].isin(EAST_BANK_DISTRICTS)) | (
        subdistricts["governorate_id"].isin(EAST_BANK_GOVERNORATES)
    )
    subdistricts["side"] = np.where(east, "east", "west")
    east_side = shapely.union_all(subdistricts.loc[east].geometry.values)
    sides = {"west": shapely.difference(syria, east_side), "east": shapely.intersection(syria, east_side), "all": syria}
    for side in sides.values():
        shapely.prepare(side)

    settlements = project(lonlat["settlements"]).reset_index(drop=True)
    posts = project(lonlat["posts"]).reset_index(drop=True)
    for frame in (settlements, posts):
        for segment, line in borders.items():
            frame[f"dist_{segment}_km"] = shapely.distance(frame.geometry.values, line) / 1000.0
            frame[f"on_{segment}_side"] = shapely.contains_xy(
                sides[segment], frame.geometry.x.values, frame.geometry.y.values
            )
        frame["in_syria"] = shapely.contains_xy(syria, frame.geometry.x.values, frame.geometry.y.values)
    posts["established"] = pd.to_datetime(posts["established"]).dt.date
    for col in ("encircled_from", "encircled", "withdrawal_began", "evacuated_from", "evacuated"):
        posts[col] = [dt.date.fromisoformat(v) if isinstance(v, str) and v else None for v in posts[col]]
    posts["status_dates"] = [
        status_dates(*dates, withdrawal_began=began)
        for *dates, began in zip(*(posts[c] for c in (*DATE_COLUMNS, "withdrawal_began")), strict=True)
    ]
    roads = project(lonlat["roads"]).reset_index(drop=True)
    patrol = roads.loc[roads["id"] == PATROL_STRETCH].geometry.iloc[0]
    geo = Geography(
        centre,
        to_ground,
        to_lonlat,
        syria,
        borders,
        sides,
        governorates,
        districts,
        subdistricts,
        settlements,
        posts,
        roads,
        project(lonlat["extents"]).reset_index(drop=True),
        patrol,
        lonlat,
    )
    north_west = shapely.union_all(governorates.loc[governorates["id"].isin(NORTH_WEST)].geometry.values)
    shapely.prepare(north_west)
    events = event_arrays(project(lonlat["events"]), borders, sides, syria, north_west, patrol)
    return replace(geo, hot=hot_arrays(geo), events=events)


def hot_arrays(geo: Geography) -> HotArrays:
    """Plain arrays for the per-scenario code, so it never pays pandas or geopandas overhead."""
    subs, dists, settle = geo.subdistricts, geo.districts, geo.settlements
    district_index = {d: i for i, d in enumerate(dists["id"])}
    sub_index = {d: i for i, d in enumerate(subs["id"])}
    gov_index = {g: i for i, g in enumerate(geo.governorates["id"])}
    settle_sub = np.array([sub_index.get(s, -1) if isinstance(s, str) else -1 for s in settle["subdistrict_id"]])

    def static(frame, cols):
        return {c: frame[c].to_numpy(dtype=object) for c in cols}

    out = {
        "sub_static": static(
            subs, ["id", "name", "district_id", "district", "governorate_id", "governorate", "pop_2023", "side"]
        ),
        "district_static": static(dists, ["id", "name", "governorate"]),
        "gov_static": static(geo.governorates, ["id", "name"]),
        "settle_static": static(
            settle,
            ["id", "name", "population", "population_vintage", "governorate", "district", "subdistrict"],
        ),
        "post_static": {
            **static(geo.posts, ["id", "number", "name", "kind", "status_dates", "sources", "coord_uncertainty_km"]),
            "established": np.array([d.isoformat() for d in geo.posts["established"]], dtype=object),
        },
        "sub_polys": np.asarray(subs.geometry.values, dtype=object),
        "sub_areas": subs["area_km2"].to_numpy(dtype=float),
        "sub_pop": subs["pop_2023"].fillna(0).to_numpy(dtype=float),
        "sub_district": np.array([district_index[d] for d in subs["district_id"]]),
        "gov_areas": geo.governorates["area_km2"].to_numpy(dtype=float),
        "district_areas": dists["area_km2"].to_numpy(dtype=float),
        "settle_geoms": np.asarray(settle.geometry.values, dtype=object),
        "settle_in_syria": settle["in_syria"].to_numpy(dtype=bool),
        "settle_pop": settle["population"].fillna(0).to_numpy(dtype=float),
        "settle_sub": settle_sub,
        "sub_gov": np.array([gov_index[g] for g in subs["governorate_id"]]),
        "sub_pin": subs["pin_2023"].fillna(0).to_numpy(dtype=float),
        "sub_severity": subs["severity_2023"].fillna(0).to_numpy(dtype=int),
        "sub_control": subs[list(CONTROL_AREAS)].fillna(0).to_numpy(dtype=float),
        "people_model": population.people_model(
            subs.geometry.values,
            subs["area_km2"].to_numpy(dtype=float),
            subs["pop_2023"].fillna(0).to_numpy(dtype=float),
            settle.geometry.values,
            settle["population"].to_numpy(dtype=float),
            settle_sub,
            town_extents(geo),
            zones.true_areas_km2,
        ),
        "post_geoms": np.asarray(geo.posts.geometry.values, dtype=object),
    }
    out["segments"] = {
        segment: SegmentArrays(
            settle_dist=settle[f"dist_{segment}_km"].to_numpy(dtype=float),
            settle_side=settle[f"on_{segment}_side"].to_numpy(dtype=bool),
            post_dist=geo.posts[f"dist_{segment}_km"].to_numpy(dtype=float),
            post_side=geo.posts[f"on_{segment}_side"].to_numpy(dtype=bool),
            sub_side=(subs["side"] == segment).to_numpy() if segment != "all" else np.ones(len(subs), bool),
            sub_reach=reach_km(out["sub_polys"], line),
            town_reach=reach_km(out["people_model"].footprints[population.CENTRAL], line),
        )
        for segment, line in geo.borders.items()
    }
    settle_ids = {sid: i for i, sid in enumerate(settle["id"])}
    out["post_dates"] = np.array(list(zip(*(geo.posts[c] for c in DATE_COLUMNS), strict=True)), dtype=object)
    out["town_index"] = np.array([settle_ids[gn] for gn in KEY_TOWNS.values()])
    out["patrol_dist_settle"] = shapely.distance(out["settle_geoms"], geo.patrol_stretch) / 1000.0
    out["patrol_dist_post"] = shapely.distance(out["post_geoms"], geo.patrol_stretch) / 1000.0
    return HotArrays(**out)


def town_extents(geo: Geography) -> dict[int, object]:
    """The sourced built-up extent of each settlement that has one (``extents`` layer), by settlement row."""
    rows = {sid: i for i, sid in enumerate(geo.settlements["id"])}
    return {rows[e.settlement_id]: e.geometry for e in geo.extents.itertuples() if e.settlement_id in rows}


def reach_km(polygons: np.ndarray, border) -> np.ndarray:
    """Each polygon's nearest and farthest distance from the border (km, columns 0 and 1): a zone shallower
    than the first covers none of it, one deeper than the second all of it."""
    near = shapely.distance(polygons, border) / 1000.0
    vertices, owner = shapely.get_coordinates(polygons, return_index=True)
    far = np.zeros(len(polygons))
    np.maximum.at(far, owner, shapely.distance(shapely.points(vertices), border))
    return np.column_stack([near, far / 1000.0])
