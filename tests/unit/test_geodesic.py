"""Zones are measured on the Earth: points on the zone's outer edge lie at the requested depth (±1 %)."""

import numpy as np
import pytest
import shapely
from pyproj import Geod

from dashboard.model import zones

GEOD = Geod(ellps="WGS84")


def geodesic_distance_to_line_km(lon, lat, line_lonlat) -> float:
    coords = shapely.get_coordinates(shapely.segmentize(line_lonlat, 0.002))  # a vertex every ~200 m
    near = coords[(np.abs(coords[:, 0] - lon) < 1.6) & (np.abs(coords[:, 1] - lat) < 1.2)]
    _, _, dist = GEOD.inv(np.full(len(near), lon), np.full(len(near), lat), near[:, 0], near[:, 1])
    return float(dist.min()) / 1000.0


@pytest.mark.parametrize("depth_km", [1, 2, 5, 10, 20, 30, 40, 60, 80, 100])
@pytest.mark.parametrize("segment", ["west", "east"])
def test_outer_edge_lies_at_the_requested_geodesic_depth(geo, segment, depth_km):
    border = geo.borders[segment]
    zone = zones.zone_band(border, 0, depth_km, geo.syria)
    edge = shapely.segmentize(shapely.buffer(border, depth_km * 1000.0, quad_segs=zones.QUAD_SEGS).exterior, 5000)
    pts = shapely.points(shapely.get_coordinates(edge))
    # keep points on the Syrian side, away from the border's ends and from the coast
    along = shapely.line_locate_point(border, pts, normalized=True)
    keep = (along > 0.1) & (along < 0.9) & shapely.intersects(shapely.buffer(zone, 10), pts)
    keep &= shapely.distance(geo.syria.boundary, pts) > 0  # not on Syria's edge
    pts = pts[keep]
    assert len(pts) >= 5
    border_ll = geo.to_lonlat(border)
    sample = pts[np.linspace(0, len(pts) - 1, min(12, len(pts))).astype(int)]
    for p in sample:
        q = geo.to_lonlat(p)
        d = geodesic_distance_to_line_km(q.x, q.y, border_ll)
        assert d == pytest.approx(depth_km, rel=0.01), (segment, depth_km, q)
