"""Truth tests: the headline figures recomputed by a slow, obviously-correct route that shares no code with
the engine, and the engine held to them.

The route: the committed GeoJSON read with ``json`` and shapely in longitude/latitude; a grid of
0.01° cells; every cell's distance to the border measured on the WGS 84 ellipsoid with
``pyproj.Geod`` (to the border's vertices, densified to 0.5 km: a point-to-vertex distance overstates
the point-to-line one by under 5 m at 30 km); every cell's area from ``Geod.polygon_area_perimeter``;
a cell counts when its centre is in Syria, on the segment's side of the Euphrates and within the depth.
Towns are discs sampled at 400 points, each point's own geodesic distance measured. The engine must
agree: areas within 0.5 %, shares within 0.5 points, people inside its stated range.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod

from dashboard.model.impact import assess
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


@pytest.fixture(scope="module")
def west():
    return Grid("west")


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


@functools.cache
def disc_sample_distances(lon: float, lat: float, radius_km: float, segment_key: bytes) -> np.ndarray:
    """Geodesic distances to the border of 400 points spread evenly over a town's disc (equal-area rings)."""
    vertices = np.frombuffer(segment_key).reshape(-1, 2)
    rings, per_ring = 20, 20
    r = radius_km * np.sqrt((np.arange(rings) + 0.5) / rings)
    az = np.arange(per_ring) * 360.0 / per_ring
    rr, aa = np.meshgrid(r, az)
    x, y, _ = GEOD.fwd(np.full(rr.size, lon), np.full(rr.size, lat), aa.ravel(), rr.ravel() * 1000.0)
    return geodesic_distance_km(np.asarray(x), np.asarray(y), vertices)


def town_disc_share(lon: float, lat: float, radius_km: float, depth_km: float, vertices: np.ndarray) -> float:
    """Share of a town's disc within the depth, each of its 400 sample points measured on the ellipsoid."""
    centre = geodesic_distance_km(np.array([lon]), np.array([lat]), vertices)[0]
    if centre + radius_km <= depth_km:
        return 1.0
    if centre - radius_km > depth_km:
        return 0.0
    return float((disc_sample_distances(lon, lat, radius_km, vertices.tobytes()) <= depth_km).mean())


def people_by_grid(grid: Grid, depth_km: float, density: float) -> float:
    """People within the depth: towns as sampled discs; everyone else spread over the area outside them."""
    people = 0.0
    towns = [
        f for f in features("settlements") if f["properties"].get("population") and f["properties"]["subdistrict_id"]
    ]
    sub_index = {f["properties"]["id"]: i for i, f in enumerate(grid.subs)}
    by_sub: dict[int, list] = {}
    for f in towns:
        by_sub.setdefault(sub_index[f["properties"]["subdistrict_id"]], []).append(f)
    for i, sub in enumerate(grid.subs):
        total = sub["properties"]["pop_2023"]
        area = abs(GEOD.geometry_area_perimeter(grid.sub_geoms[i])[0]) / 1e6
        in_zone = grid.zone_km2(depth_km, grid.sub == i)
        mine = by_sub.get(i, [])
        in_towns = sum(f["properties"]["population"] for f in mine)
        scale = min(1.0, total / in_towns) if in_towns else 0.0
        discs_inside = discs = 0.0
        for f in mine:
            town_people = f["properties"]["population"] * scale
            disc = town_people / density
            lon, lat = f["geometry"]["coordinates"]
            share = town_disc_share(lon, lat, np.sqrt(disc / np.pi), depth_km, grid.vertices) if in_zone > 0 else 0.0
            people += town_people * share
            discs += disc
            discs_inside += disc * share
        rest = total - scale * in_towns
        outside = area - discs
        if in_zone <= 0:
            continue
        people += rest * (min(max(in_zone - discs_inside, 0.0) / outside, 1.0) if outside > 1e-9 else in_zone / area)
    return people


# The grid measures each sub-district's covered area to about ±0.5 % (the area tolerance above), so the
# people it places outside the towns carry that much error of its own.
GRID_PEOPLE_TOLERANCE = 0.005


def within_range(truth: float, low: float, high: float) -> bool:
    return low * (1 - GRID_PEOPLE_TOLERANCE) <= truth <= high * (1 + GRID_PEOPLE_TOLERANCE)


@pytest.mark.parametrize("depth", DEPTHS)
def test_people_inside_the_west_zone_lie_within_the_stated_range(geo, west, depth):
    impact = assess(geo, Scenario(inner_km=0, outer_km=depth, segment="west"))
    truth = people_by_grid(west, depth, URBAN_DENSITY_PER_KM2["central"])
    assert within_range(truth, impact.population_inside_low, impact.population_inside_high), truth
    assert impact.population_inside == pytest.approx(truth, rel=0.02)


def test_people_in_the_west_band_lie_within_the_stated_range(geo, west):
    impact = assess(geo, Scenario(inner_km=30, outer_km=40, segment="west"))
    central = URBAN_DENSITY_PER_KM2["central"]
    truth = people_by_grid(west, 40, central) - people_by_grid(west, 30, central)
    assert within_range(truth, impact.population_in_band_low, impact.population_in_band_high), truth


def test_people_inside_the_whole_border_zone_lie_within_the_stated_range(geo, whole):
    impact = assess(geo, Scenario(inner_km=0, outer_km=30, segment="all"))
    truth = people_by_grid(whole, 30, URBAN_DENSITY_PER_KM2["central"])
    assert within_range(truth, impact.population_inside_low, impact.population_inside_high), truth
