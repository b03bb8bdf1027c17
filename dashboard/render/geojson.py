"""The one GeoJSON writer of every output: the map's layers, the static maps, the zones download.

Geometries go through ``shapely.to_geojson`` (vectorised over the array), so no module builds
coordinates by hand. The geodata build keeps its own line-per-feature writer: its ``--check`` compares
files byte for byte and needs that exact layout.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import shapely


def feature_collection(geometries, properties: Iterable[dict], precision: float | None = None) -> dict:
    """A FeatureCollection of lon/lat geometries, one property dict each; empty geometries are left out.

    ``precision`` snaps coordinates to a grid (degrees) first, which keeps what is sent or saved small.
    """
    geoms = np.asarray(list(geometries) if not isinstance(geometries, np.ndarray) else geometries, dtype=object)
    props = list(properties)
    if len(geoms) != len(props):
        msg = f"{len(geoms)} geometries but {len(props)} property records"
        raise ValueError(msg)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if len(geoms) else np.zeros(0, bool)
    geoms = geoms[keep]
    if precision is not None and len(geoms):
        geoms = shapely.set_precision(geoms, precision)
    texts = shapely.to_geojson(geoms) if len(geoms) else []
    kept = [p for p, k in zip(props, keep, strict=True) if k]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": json.loads(t)} for t, p in zip(texts, kept, strict=True)
        ],
    }
