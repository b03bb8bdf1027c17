"""Zone geometry on hand-made planar shapes (metres) where the answer is known."""

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from dashboard.model import zones
from dashboard.model.impact import covered_km2

BORDER = LineString([(0, 0), (100_000, 0)])  # a straight 100 km border along y = 0
SOUTH = box(-200_000, -200_000, 300_000, 0)  # "Syria" lies south of it


def test_band_of_a_straight_border_is_a_rectangle_plus_two_quarter_annuli():
    band = zones.zone_band(BORDER, 30, 40, SOUTH)
    expected = 100 * 10 + 2 * math.pi * (40**2 - 30**2) / 4  # km²
    assert band.area / 1e6 == pytest.approx(expected, rel=2e-3)
    assert band.bounds[1] == pytest.approx(-40_000, abs=1)
    assert band.distance(BORDER) == pytest.approx(30_000, rel=2e-3)


def test_band_with_zero_inner_is_the_full_zone():
    zone = zones.zone_band(BORDER, 0, 40, SOUTH)
    assert zone.area / 1e6 == pytest.approx(100 * 40 + math.pi * 40**2 / 2, rel=2e-3)


def test_points_of_the_band_are_between_inner_and_outer():
    band = zones.zone_band(BORDER, 30, 40, SOUTH)
    rng = np.random.default_rng(1)
    pts = shapely.points(rng.uniform(-50_000, 150_000, 2000), rng.uniform(-60_000, 0, 2000))
    inside = shapely.contains(band, pts)
    d = shapely.distance(pts, BORDER)
    assert (d[inside] >= 29_900).all() and (d[inside] <= 40_000).all()
    assert ((d > 30_100) & (d < 39_900) == inside)[(d < 29_900) | ((d > 30_100) & (d < 39_900))].all()


def test_corridor_is_off_at_zero_and_a_stadium_otherwise():
    assert zones.corridor(BORDER, 0, SOUTH).is_empty
    whole = box(-1e6, -1e6, 1e6, 1e6)
    c = zones.corridor(BORDER, 6, whole)
    assert c.area / 1e6 == pytest.approx(100 * 12 + math.pi * 36, rel=2e-3)


def test_post_rings_union_overlapping_discs():
    pts = np.array([Point(0, -100_000), Point(5_000, -100_000)])
    rings = zones.post_rings(pts, 10, SOUTH)
    one = math.pi * 100
    assert one < rings.area / 1e6 < 2 * one
    assert zones.post_rings(pts, 0, SOUTH).is_empty
    assert zones.post_rings(np.array([], dtype=object), 10, SOUTH).is_empty


def test_covered_area_whole_partial_and_outside():
    cover = box(0, -50_000, 100_000, 0)
    polys = np.array(
        [
            box(10_000, -20_000, 20_000, -10_000),
            box(90_000, -20_000, 110_000, -10_000),
            box(200_000, -1, 210_000, 0),
        ]
    )
    areas = zones.true_areas_km2(polys)
    got = covered_km2(polys, areas, cover)
    assert got == pytest.approx([100, 100, 0], rel=1e-4)


def test_true_area_corrects_the_equidistant_stretch_away_from_the_centre():
    near = box(0, 0, 10_000, 10_000)
    far = box(1_000_000, 0, 1_010_000, 10_000)
    a_near, a_far = zones.true_areas_km2(np.array([near, far]))
    assert a_near == pytest.approx(100, rel=1e-5)
    rho = 1_005_000 / zones.EARTH_RADIUS_M
    assert a_far == pytest.approx(100 * math.sin(rho) / rho, rel=1e-4)
    assert a_far < 100


def test_empty_geometries_have_zero_area():
    assert list(zones.true_areas_km2(np.array([shapely.Polygon(), None], dtype=object))) == [0, 0]


def test_small_reprojections_share_one_thread_and_large_ones_stay_on_the_callers(monkeypatch):
    """A scenario's areas go to one long-lived thread (PROJ's per-thread set-up is paid once); an
    uploaded layer's thousands of polygons run where they were asked for, so they never queue ahead of
    another viewer's slider step on that thread."""
    from pyproj import CRS

    to_ground = zones.reprojector(CRS.from_epsg(4326), zones.ground_crs(37.0, 36.5))
    used = []
    real = zones._PROJ_THREAD.submit
    monkeypatch.setattr(zones._PROJ_THREAD, "submit", lambda *a: (used.append(a), real(*a))[1])
    small = to_ground(Point(36.6, 36.3))
    assert len(used) == 1
    rings = np.array([Point(36 + i / 1000, 36).buffer(0.01, quad_segs=64) for i in range(100)], dtype=object)
    big = to_ground(rings)  # 100 × 257 coordinates
    assert len(used) == 1 and len(big) == 100
    assert shapely.equals_exact(to_ground(rings[:1])[0], big[0], tolerance=1e-6)
    assert abs(small.x) < 60_000 and abs(small.y) < 30_000  # metres from the projection's centre
