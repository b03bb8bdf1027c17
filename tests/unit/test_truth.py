"""Truth tests: the headline figures recomputed by a slow, obviously-correct route that shares no code with
the engine, and the engine held to them.

The route: the committed GeoJSON read with ``json`` and shapely in longitude/latitude; a grid of
0.01° cells; every cell's distance to the border measured on the WGS 84 ellipsoid with
``pyproj.Geod`` (to the border's vertices, densified to 0.5 km: a point-to-vertex distance overstates
the point-to-line one by under 5 m at 30 km); every cell's area from ``Geod.polygon_area_perimeter``;
a cell counts when its centre is in Syria, on the segment's side of the Euphrates and within the depth.
People: each sub-district's 2023 total, its GeoNames towns' people (scaled down to fit) on footprints
sampled with points (a disc at 20,000 people per km² placed with ``Geod.fwd``, or a city's published
extent on a 0.002° lattice), cut to the town's own sub-district, each point's geodesic distance measured;
the rest over the cells outside them. And the simple bound: each town's people at its point, the rest
over the whole sub-district. The engine must agree: areas within 0.5 %, shares within 0.5 points, its
tightest footprint within 2 % of the same footprints measured here, and both routes inside its range.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely
import shapely.ops
from pyproj import Geod

from dashboard.model.impact import assess, depth_people
from dashboard.model.population import URBAN_DENSITY_PER_KM2
from dashboard.model.scenario import Scenario

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
GEOD = Geod(ellps="WGS84")
CELL = 0.01  # degrees
EAST_BANK = {"districts": {"SY0206"}, "governorates": {"SY08", "SY09", "SY11"}}
DEPTHS = (30.0, 40.0)


def features(name: str) -> list[dict]:
    return json.loads((GEODATA / f"{name}.geojson").read_text(encoding="utf-8"))["features"]


def geometry(feature: dict):
    return shapely.from_geojson(json.dumps(feature["geometry"]))


def border_vertices(segment: str) -> np.ndarray:
    """The border segment's vertices, densified so that no two are more than 0.5 km apart."""
    lines = [geometry(f) for f in features("border") if segment == "all" or f["properties"]["segment"] == segment]
    points = []
    for line in lines:
        coords = shapely.get_coordinates(line)
        for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
            length = GEOD.inv(x0, y0, x1, y1)[2]
            n = max(int(length // 500), 0)
            points.append([(x0, y0)])
            if n:
                points.append(GEOD.npts(x0, y0, x1, y1, n))
        points.append([tuple(coords[-1])])
    return np.array([p for chunk in points for p in chunk])


def geodesic_distance_km(lon: np.ndarray, lat: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """Each point's geodesic distance to the nearest vertex, in km (pyproj, chunked)."""
    out = np.empty(len(lon))
    for start in range(0, len(lon), 2000):
        x, y = lon[start : start + 2000], lat[start : start + 2000]
        n = len(x)
        vx = np.tile(vertices[:, 0], n)
        vy = np.tile(vertices[:, 1], n)
        d = GEOD.inv(np.repeat(x, len(vertices)), np.repeat(y, len(vertices)), vx, vy)[2]
        out[start : start + n] = d.reshape(n, len(vertices)).min(axis=1) / 1000.0
    return out


class Grid:
    """Cells of Syria near one border segment, with their area, distance, side and sub-district."""

    def __init__(self, segment: str, depths: tuple[float, ...] = DEPTHS):
        syria = next(geometry(f) for f in features("countries") if f["properties"]["id"] == "SYR")
        subs = features("subdistricts")
        sub_geoms = [geometry(f) for f in subs]
        east = shapely.union_all(
            [
                g
                for f, g in zip(subs, sub_geoms, strict=True)
                if f["properties"]["district_id"] in EAST_BANK["districts"]
                or f["properties"]["governorate_id"] in EAST_BANK["governorates"]
            ]
        )
        vertices = border_vertices(segment)
        x0, y0 = vertices.min(axis=0) - 0.6
        x1, y1 = vertices.max(axis=0) + 0.6
        lon, lat = np.meshgrid(np.arange(x0, x1, CELL) + CELL / 2, np.arange(y0, y1, CELL) + CELL / 2)
        lon, lat = lon.ravel(), lat.ravel()
        keep = shapely.contains_xy(syria, lon, lat)
        if segment != "all":
            on_east = shapely.contains_xy(east, lon, lat)
            keep &= on_east if segment == "east" else ~on_east
        lon, lat = lon[keep], lat[keep]
        # A cheap planar distance first (to every 4th vertex, 2 km apart: off by well under 1 km here). It
        # decides only cells more than 3 km from every depth tested; the rest are measured on the ellipsoid.
        rough = np.empty(len(lon))
        for start in range(0, len(lon), 4000):
            y = lat[start : start + 4000, None]
            km_x = 111.32 * np.cos(np.radians(y)) * (lon[start : start + 4000, None] - vertices[None, ::4, 0])
            km_y = 110.57 * (y - vertices[None, ::4, 1])
            rough[start : start + 4000] = np.sqrt(km_x**2 + km_y**2).min(axis=1)
        near = rough < max(depths) + 5
        self.lon, self.lat, rough = lon[near], lat[near], rough[near]
        self.distance_km = rough.copy()
        edge = np.abs(rough[:, None] - np.array(depths)[None, :]).min(axis=1) < 3.0
        self.distance_km[edge] = geodesic_distance_km(self.lon[edge], self.lat[edge], vertices)
        self.area_km2 = np.array([self._cell_area(y) for y in self.lat])
        tree = shapely.STRtree(sub_geoms)
        hit = tree.query(shapely.points(self.lon, self.lat), predicate="within")
        self.sub = np.full(len(self.lon), -1)
        self.sub[hit[0]] = hit[1]
        self.subs = subs
        self.sub_geoms = sub_geoms
        self.vertices = vertices
        self.syria = syria
        self.east = east

    @staticmethod
    def _cell_area(lat: float) -> float:
        ring_lat = [lat - CELL / 2, lat - CELL / 2, lat + CELL / 2, lat + CELL / 2]
        return abs(GEOD.polygon_area_perimeter([0, CELL, CELL, 0], ring_lat)[0]) / 1e6

    def zone_km2(self, depth_km: float, where=None) -> float:
        inside = self.distance_km <= depth_km
        if where is not None:
            inside &= where
        return float(self.area_km2[inside].sum())

    def in_units(self, key: str, value: str) -> np.ndarray:
        ids = {i for i, f in enumerate(self.subs) if f["properties"][key] == value}
        return np.isin(self.sub, list(ids))


@functools.cache
def west_grid() -> Grid:
    return Grid("west")


@pytest.fixture(scope="module")
def west():
    return west_grid()


@pytest.fixture(scope="module")
def whole():
    return Grid("all", depths=(30.0,))


def unit_area_km2(grid: Grid, key: str, value: str) -> float:
    return sum(
        abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6
        for f, g in zip(grid.subs, grid.sub_geoms, strict=True)
        if f["properties"][key] == value
    )


@pytest.mark.parametrize("depth", DEPTHS)
def test_west_zone_area_and_shares_agree_with_the_geodesic_grid(geo, west, depth):
    impact = assess(geo, Scenario(inner_km=0, outer_km=depth, segment="west"))
    assert impact.zone_area_km2 == pytest.approx(west.zone_km2(depth), rel=0.005)
    idlib = west.zone_km2(depth, west.in_units("governorate_id", "SY07")) / unit_area_km2(
        west, "governorate_id", "SY07"
    )
    afrin = west.zone_km2(depth, west.in_units("district_id", "SY0203")) / unit_area_km2(west, "district_id", "SY0203")
    assert impact.idlib_share == pytest.approx(idlib, abs=0.005)
    assert impact.afrin_share == pytest.approx(afrin, abs=0.005)


def test_west_band_area_agrees_with_the_geodesic_grid(geo, west):
    impact = assess(geo, Scenario(inner_km=30, outer_km=40, segment="west"))
    assert impact.band_area_km2 == pytest.approx(west.zone_km2(40) - west.zone_km2(30), rel=0.005)


def test_whole_border_zone_agrees_with_the_geodesic_grid(geo, whole):
    impact = assess(geo, Scenario(inner_km=0, outer_km=30, segment="all"))
    assert impact.zone_area_km2 == pytest.approx(whole.zone_km2(30), rel=0.005)


def sample_share(lon: np.ndarray, lat: np.ndarray, depth_km: float, vertices: np.ndarray) -> float:
    """Share of a footprint's sample points within the depth, each measured on the ellipsoid."""
    if len(lon) == 0:
        return 0.0
    return float((geodesic_distance_km(lon, lat, vertices) <= depth_km).mean())


@functools.cache
def widened_extent(town_id: str, margin_km: float):
    """A city's published extent widened by ``margin_km`` on the ground (a local azimuthal-equidistant
    projection centred on the town, made here with pyproj) and cut to its own sub-district."""
    town = next(f for f in features("settlements") if f["properties"]["id"] == town_id)
    extent = next(geometry(f) for f in features("extents") if f["properties"]["settlement_id"] == town_id)
    if margin_km:
        lon, lat = town["geometry"]["coordinates"]
        local = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
        there = pyproj.Transformer.from_crs(4326, local, always_xy=True).transform
        back = pyproj.Transformer.from_crs(local, 4326, always_xy=True).transform
        extent = shapely.ops.transform(back, shapely.ops.transform(there, extent).buffer(margin_km * 1000.0))
    return shapely.intersection(extent, own_subdistrict(town))


def own_subdistrict(town: dict):
    sub_id = town["properties"]["subdistrict_id"]
    return next(geometry(f) for f in features("subdistricts") if f["properties"]["id"] == sub_id)


@functools.cache
def footprint_samples(town_id: str, density: float) -> tuple[np.ndarray, np.ndarray]:
    """Points spread evenly over a town's footprint, kept only where they lie in its own sub-district: a
    published extent sampled on a 0.002° lattice, any other town a disc of its people at ``density``
    (400 points on equal-area rings, placed with ``Geod.fwd``)."""
    town = next(f for f in features("settlements") if f["properties"]["id"] == town_id)
    sub = next(
        geometry(f) for f in features("subdistricts") if f["properties"]["id"] == town["properties"]["subdistrict_id"]
    )
    if is_extent(town_id):
        extent = widened_extent(town_id, MARGIN_KM[density])
        x0, y0, x1, y1 = extent.bounds
        x, y = np.meshgrid(np.arange(x0, x1, 0.002), np.arange(y0, y1, 0.002))
        x, y = x.ravel(), y.ravel()
        keep = shapely.contains_xy(extent, x, y)
        x, y = x[keep], y[keep]
    else:
        lon, lat = town["geometry"]["coordinates"]
        radius_km = np.sqrt(town_people()[town_id] / density / np.pi)
        rings, per_ring = 20, 20
        r = radius_km * np.sqrt((np.arange(rings) + 0.5) / rings)
        rr, aa = np.meshgrid(r, np.arange(per_ring) * 360.0 / per_ring)
        x, y, _ = GEOD.fwd(np.full(rr.size, lon), np.full(rr.size, lat), aa.ravel(), rr.ravel() * 1000.0)
        x, y = np.asarray(x), np.asarray(y)
    mine = shapely.contains_xy(sub, x, y)
    return x[mine], y[mine]


@functools.cache
def town_people() -> dict[str, float]:
    """Each populated place's people: its GeoNames figure, scaled down where a sub-district's places hold
    more than the sub-district's 2023 total."""
    subs = {f["properties"]["id"]: f["properties"]["pop_2023"] or 0 for f in features("subdistricts")}
    towns = [
        f["properties"]
        for f in features("settlements")
        if f["properties"].get("population") and f["properties"]["subdistrict_id"] in subs
    ]
    held: dict[str, float] = {}
    for t in towns:
        held[t["subdistrict_id"]] = held.get(t["subdistrict_id"], 0) + t["population"]
    return {t["id"]: t["population"] * min(1.0, subs[t["subdistrict_id"]] / held[t["subdistrict_id"]]) for t in towns}


def people_by_grid(grid: Grid, depth_km: float, density: float | None) -> np.ndarray:
    """People of each sub-district within the depth. Towns on their footprints (``density`` people per km²
    for a disc; a published extent as it is), the rest spread over the cells outside them; with ``density``
    None, each town's people at its point and the rest spread over the whole sub-district."""
    people = np.zeros(len(grid.subs))
    placed = town_people()
    by_sub: dict[int, list] = {}
    sub_index = {f["properties"]["id"]: i for i, f in enumerate(grid.subs)}
    for f in features("settlements"):
        if f["properties"]["id"] in placed:
            by_sub.setdefault(sub_index[f["properties"]["subdistrict_id"]], []).append(f)
    for i, sub in enumerate(grid.subs):
        in_zone = grid.zone_km2(depth_km, grid.sub == i)
        if in_zone <= 0:
            continue
        area = abs(GEOD.geometry_area_perimeter(grid.sub_geoms[i])[0]) / 1e6
        total = sub["properties"]["pop_2023"] or 0
        towns = by_sub.get(i, [])
        rest = total - sum(placed[f["properties"]["id"]] for f in towns)
        held = held_inside = 0.0
        for f in towns:
            tid = f["properties"]["id"]
            if density is None:
                lon, lat = f["geometry"]["coordinates"]
                share = sample_share(np.array([lon]), np.array([lat]), depth_km, grid.vertices)
            else:
                x, y = footprint_samples(tid, density)
                share = sample_share(x, y, depth_km, grid.vertices)
                footprint_km2 = placed[tid] / density if not is_extent(tid) else extent_km2(tid, density)
                held += footprint_km2
                held_inside += footprint_km2 * share
            people[i] += placed[tid] * share
        if area - held > 1e-6:
            people[i] += rest * min(max(in_zone - held_inside, 0.0) / (area - held), 1.0)
        else:
            people[i] += rest * in_zone / area
    return people


@functools.cache
def is_extent(town_id: str) -> bool:
    return any(f["properties"]["settlement_id"] == town_id for f in features("extents"))


@functools.cache
def extent_km2(town_id: str, density: float) -> float:
    """The city's footprint's area on the Earth: its extent, widened as for ``density``, in its sub-district."""
    return abs(GEOD.geometry_area_perimeter(widened_extent(town_id, MARGIN_KM[density]))[0]) / 1e6


# The grid measures each sub-district's covered area to about ±0.5 % (the area tolerance above), and samples
# each footprint with a few hundred points: the people it places carry about 1 % of error of their own.
GRID_PEOPLE_TOLERANCE = 0.01
DENSE = URBAN_DENSITY_PER_KM2["dense"]  # the engine's tightest footprint: discs at 20,000 per km², extents as published
CENTRAL = URBAN_DENSITY_PER_KM2["central"]  # its central one: discs at 10,000 per km², extents widened 0.5 km
MARGIN_KM = {DENSE: 0.0, CENTRAL: 0.5}  # how far a city's extent is widened with each


def within_range(truth: float, low: float, high: float, slack: float = 0.0) -> bool:
    """``truth`` inside [low, high], give or take the grid's own error (and ``slack`` people)."""
    return low * (1 - GRID_PEOPLE_TOLERANCE) - slack <= truth <= high * (1 + GRID_PEOPLE_TOLERANCE) + slack


@functools.cache
def west_people(depth_km: float, density: float | None) -> np.ndarray:
    return people_by_grid(west_grid(), depth_km, density)


@pytest.mark.parametrize("depth", DEPTHS)
def test_people_inside_the_west_zone_lie_within_the_stated_range(geo, depth):
    impact = assess(geo, Scenario(inner_km=0, outer_km=depth, segment="west"))
    engine_dense = depth_people(geo, "west", depth)["dense"].sum()
    footprints, points = west_people(depth, DENSE).sum(), west_people(depth, None).sum()
    assert engine_dense == pytest.approx(footprints, rel=0.02)  # the same footprints, measured another way
    assert impact.population_inside == pytest.approx(west_people(depth, CENTRAL).sum(), rel=0.02)  # and central
    for truth in (footprints, points):
        assert within_range(truth, impact.population_inside_low, impact.population_inside_high), truth


def test_people_in_the_west_band_lie_within_the_stated_range(geo):
    impact = assess(geo, Scenario(inner_km=30, outer_km=40, segment="west"))
    for density in (DENSE, None):
        outer, inner = west_people(40.0, density).sum(), west_people(30.0, density).sum()
        # a difference of two grid figures carries the grid's area error of each (±0.5 % of the zones)
        slack = 0.005 * (outer + inner)
        assert within_range(outer - inner, impact.population_in_band_low, impact.population_in_band_high, slack)


@pytest.mark.parametrize("sub_id", ["SY020000", "SY060000"])  # Jebel Saman (Aleppo city), Lattakia
def test_the_two_cities_on_the_40_km_line_are_counted_where_they_are(geo, sub_id):
    """Aleppo's and Latakia's sub-districts one by one, 0–40 km: the engine's tight footprint against the
    independent route's, and both simple bounds within the engine's range for the sub-district."""
    impact = assess(geo, Scenario(inner_km=0, outer_km=40, segment="west"))
    row = impact.subdistricts.set_index("id").loc[sub_id]
    i = list(geo.subdistricts["id"]).index(sub_id)
    footprints, points = west_people(40.0, DENSE)[i], west_people(40.0, None)[i]
    assert depth_people(geo, "west", 40.0)["dense"][i] == pytest.approx(footprints, rel=0.05, abs=5_000)
    assert row["people_zone"] == pytest.approx(west_people(40.0, CENTRAL)[i], rel=0.05, abs=5_000)
    for truth in (footprints, points):
        assert row["people_zone_low"] * 0.95 - 5_000 <= truth <= row["people_zone_high"] * 1.05 + 5_000, truth


def test_people_inside_the_whole_border_zone_lie_within_the_stated_range(geo, whole):
    impact = assess(geo, Scenario(inner_km=0, outer_km=30, segment="all"))
    for density in (DENSE, None):
        truth = people_by_grid(whole, 30, density).sum()
        assert within_range(truth, impact.population_inside_low, impact.population_inside_high), truth
