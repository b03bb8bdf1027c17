"""Zones measured on the ground: border bands, the M4 corridor and post radii.

All geometry here is in metres of an azimuthal-equidistant projection centred on the middle of the
Syria–Türkiye border (see :func:`ground_crs`). Within 600 km of that centre the projection's scale
error is under 0.2 %, so a buffer of d km is d km on the Earth to well within the 1 % the tests
check with ``pyproj.Geod``. Never buffer in degrees or Web Mercator metres.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from pyproj import CRS, Transformer

QUAD_SEGS = 16  # arc resolution of buffers: 16 segments per quarter circle


def ground_crs(lon: float, lat: float) -> CRS:
    """Azimuthal-equidistant CRS centred at (lon, lat): distances from the centre are exact."""
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs")


EARTH_RADIUS_M = 6_371_008.8  # mean radius: the sphere the areal-scale correction uses


def true_areas_km2(geoms) -> np.ndarray:
    """Areas on the Earth (km²) of ground-CRS polygons.

    The azimuthal-equidistant projection stretches areas by k = (ρ/R) / sin(ρ/R) at distance ρ from
    its centre (radial scale 1, tangential scale k). Dividing each polygon's planar area by k at its
    centroid removes that to within 0.01 % for pieces of this size; tests compare with pyproj.Geod.
    Reprojecting every piece to an equal-area CRS gives the same figure but costs ~1 ms a polygon.
    """
    geoms = np.asarray(geoms, dtype=object)
    planar = np.nan_to_num(shapely.area(geoms))
    out = np.zeros(len(geoms))
    some = planar > 0
    if some.any():
        xy = shapely.get_coordinates(shapely.centroid(geoms[some]))
        rho = np.hypot(xy[:, 0], xy[:, 1]) / EARTH_RADIUS_M
        k = np.where(rho > 1e-9, rho / np.sin(np.maximum(rho, 1e-9)), 1.0)
        out[some] = planar[some] / k / 1e6
    return out


# PROJ sets up a context for each thread that first uses a transformer (~9 ms). A Streamlit server runs
# every rerun in a new thread, so every slider step paid it again; small reprojections (a scenario's
# areas, well under a millisecond) run on this one long-lived thread instead. A large one (an uploaded
# layer: ~1 s for 5,000 polygons) runs on the caller's thread, where the set-up is lost in its own
# cost, so it never holds up another viewer's slider step.
_PROJ_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="proj")
SHARED_THREAD_MAX_COORDS = 20_000


def reprojector(source: CRS, target: CRS):
    """A function that reprojects any shapely geometry (vectorised over its coordinates)."""
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def project(geom):
        return shapely.transform(geom, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1])))

    def apply(geom):
        if int(np.sum(shapely.get_num_coordinates(geom))) > SHARED_THREAD_MAX_COORDS:
            return project(geom)
        return _PROJ_THREAD.submit(project, geom).result()

    return apply


def _stack(xy):
    return np.column_stack(xy)


def zone_band(border, inner_km: float, outer_km: float, clip):
    """Band between inner and outer km from the border, clipped to ``clip`` (Syria)."""
    outer = shapely.buffer(border, outer_km * 1000.0, quad_segs=QUAD_SEGS)
    if inner_km > 0:
        outer = shapely.difference(outer, shapely.buffer(border, inner_km * 1000.0, quad_segs=QUAD_SEGS))
    return shapely.intersection(outer, clip)


def corridor(road, half_width_km: float, clip):
    """Security corridor ``half_width_km`` either side of a road, clipped; empty when 0 (off)."""
    if half_width_km <= 0:
        return shapely.Polygon()
    return shapely.intersection(shapely.buffer(road, half_width_km * 1000.0, quad_segs=QUAD_SEGS), clip)


def post_rings(points, radius_km: float, clip):
    """Union of discs of ``radius_km`` around each post, clipped; empty when 0 (off)."""
    if radius_km <= 0 or len(points) == 0:
        return shapely.Polygon()
    discs = shapely.buffer(points, radius_km * 1000.0, quad_segs=QUAD_SEGS)
    return shapely.intersection(shapely.union_all(discs), clip)
