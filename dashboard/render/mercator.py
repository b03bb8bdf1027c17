"""Web Mercator as deck.gl draws it: where a longitude and latitude fall in pixels at a zoom, and back.

Used only to lay out what is drawn (names, the scale bar); every distance the dashboard reports is
measured on the ellipsoid, never here.
"""

from __future__ import annotations

import math

import numpy as np

EARTH_M = 40_075_016.686  # the equator's length: Web Mercator's world is this many metres at the equator


def world_px(lon, lat, zoom: float):
    """A point's place in deck.gl's Web Mercator world of 512 × 2^zoom pixels (y grows southwards)."""
    size = 512 * 2**zoom
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * size
    y = (1 - np.log(np.tan(np.pi / 4 + np.radians(np.asarray(lat, dtype=float)) / 2)) / np.pi) / 2 * size
    return x, y


def view_px(lon, lat, view: dict) -> tuple[np.ndarray, np.ndarray]:
    """Where deck.gl's Web Mercator view puts each point, in pixels from the view's centre."""
    x, y = world_px(lon, lat, view["zoom"])
    x0, y0 = world_px(view["longitude"], view["latitude"], view["zoom"])
    return x - x0, y - y0


def metres_per_px(latitude, zoom: float):
    """The ground a pixel of the view covers at a latitude (Mercator: less towards the poles)."""
    return EARTH_M * np.cos(np.radians(latitude)) / (512 * 2**zoom)


def lonlat_at(dx: float, dy: float, view: dict) -> tuple[float, float]:
    """The longitude and latitude ``dx``, ``dy`` pixels from the view's centre (the inverse of :func:`view_px`)."""
    size = 512 * 2 ** view["zoom"]
    _, y0 = world_px(view["longitude"], view["latitude"], view["zoom"])
    lon = view["longitude"] + dx / size * 360.0
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * (float(y0) + dy) / size))) - math.pi / 2)
    return lon, lat


def tile_of(lon, lat, level: int) -> tuple[np.ndarray, np.ndarray]:
    """The XYZ tile (x, y) holding each point at a level (2^level tiles a side, as deck.gl's TileLayer counts)."""
    x, y = world_px(lon, lat, 0)
    n = 2**level
    return (np.floor(x / 512 * n).astype(int), np.floor(y / 512 * n).astype(int))
