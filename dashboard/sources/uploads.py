"""Analysts' own layers: a GeoJSON file or a CSV with latitude/longitude, validated before use (pure).

Uploaded content is data only. Every problem is reported in plain words with the row or feature and
the field; a file with some bad rows is accepted only with those rows listed as dropped, and a file
with no usable row is refused whole. Names are kept as plain text (control characters removed,
length capped); the UI shows them through widgets that escape, never as HTML.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from dashboard.sources.text import clean_text

MAX_FEATURES = 5_000
MAX_PROBLEMS_LISTED = 50
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
LAT_COLUMNS = ("latitude", "lat", "y")
LON_COLUMNS = ("longitude", "lon", "lng", "long", "x")
NAME_KEYS = ("name", "title", "label", "id")
NEAR_SYRIA = (32.0, 30.0, 46.0, 40.0)  # lon/lat box around Syria: features outside it are named in a note
# A feature with more vertices than this is simplified on read to SIMPLIFY_DEG (~50 m at 36 °N, half the
# map's 100 m display grid): a 1,000,000-vertex polygon would otherwise be held, drawn and intersected
# whole on every slider move. The note says so; topology is preserved.
SIMPLIFY_ABOVE = 10_000
SIMPLIFY_DEG = 0.0005


class UploadError(ValueError):
    """The file as a whole cannot be used; ``problems`` says why, in plain words."""

    def __init__(self, filename: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{filename}: " + "; ".join(problems))


@dataclass(frozen=True)
class UserLayer:
    """Accepted features (lon/lat, with a display label) and what was dropped on the way."""

    filename: str
    kind: str
    features: gpd.GeoDataFrame
    read: int
    dropped: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    @property
    def accepted(self) -> int:
        return len(self.features)

    def summary(self) -> str:
        text = f"{self.filename}: {self.accepted} of {self.read} {self.kind} features accepted"
        if self.dropped:
            text += f"; {len(self.dropped)} dropped (listed below)"
        return text


def clean_filename(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    return clean_text(base) or "upload"


def read_user_layer(filename: str, data: bytes, max_bytes: int) -> UserLayer:
    """Validate and read an upload (by extension: .geojson/.json or .csv), or raise UploadError."""
    name = clean_filename(filename)
    if len(data) == 0:
        raise UploadError(name, ["the file is empty"])
    if len(data) > max_bytes:
        raise UploadError(name, [f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(name, [f"the file is not UTF-8 text (byte {exc.start} cannot be read)"]) from None
    if "\x00" in text:
        raise UploadError(name, ["the file contains NUL bytes: it is not a text file"])
    lower = name.lower()
    if lower.endswith((".geojson", ".json")):
        return _from_geojson(name, text)
    if lower.endswith(".csv"):
        return _from_csv(name, text)
    raise UploadError(name, ["only .geojson, .json and .csv files are read"])


def _finish(name: str, kind: str, labels, geoms, props, read: int, dropped: list[str]) -> UserLayer:
    if not geoms:
        listed = dropped[:MAX_PROBLEMS_LISTED] or ["it has no features"]
        raise UploadError(name, ["no usable feature", *listed])
    frame = gpd.GeoDataFrame({"label": labels, "properties": props}, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)
    notes = []
    vertices = shapely.get_num_coordinates(frame.geometry.values)
    heavy = vertices > SIMPLIFY_ABOVE
    if heavy.any():
        simpler = shapely.simplify(frame.geometry.values[heavy], SIMPLIFY_DEG, preserve_topology=True)
        frame.loc[heavy, "geometry"] = simpler
        after = int(shapely.get_num_coordinates(simpler).sum())
        notes.append(
            f"{int(heavy.sum())} feature(s) with more than {SIMPLIFY_ABOVE:,} vertices were simplified to about "
            f"50 m ({int(vertices[heavy].sum()):,} vertices → {after:,})"
        )
    bounds = shapely.bounds(frame.geometry.values)
    x0, y0, x1, y1 = NEAR_SYRIA
    far = np.flatnonzero((bounds[:, 2] < x0) | (bounds[:, 0] > x1) | (bounds[:, 3] < y0) | (bounds[:, 1] > y1))
    if len(far):
        shown = ", ".join(frame["label"].iloc[far[:5]])
        notes.append(f"{len(far)} feature(s) lie far from Syria (check latitude/longitude order): {shown}")
    if len(dropped) > MAX_PROBLEMS_LISTED:
        dropped = [*dropped[:MAX_PROBLEMS_LISTED], f"… and {len(dropped) - MAX_PROBLEMS_LISTED} more"]
    return UserLayer(name, kind, frame, read, tuple(dropped), tuple(notes))


def _coordinate(text: str, low: float, high: float, what: str) -> float:
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"{what} {clean_text(text)!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{what} {clean_text(text)} is outside {low:g} to {high:g}")
    return value


def _from_csv(name: str, text: str) -> UserLayer:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [clean_text(h).lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise UploadError(name, ["the CSV has no header row"]) from None
    lat = next((header.index(c) for c in LAT_COLUMNS if c in header), None)
    lon = next((header.index(c) for c in LON_COLUMNS if c in header), None)
    if lat is None or lon is None:
        raise UploadError(
            name,
            [
                f"the header needs a latitude column ({', '.join(LAT_COLUMNS)}) and a longitude column "
                f"({', '.join(LON_COLUMNS)}); it has: {', '.join(header) or 'nothing'}"
            ],
        )
    label_col = next((header.index(c) for c in NAME_KEYS if c in header), None)
    labels, geoms, props, dropped, read = [], [], [], [], 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            read += 1
            line = reader.line_num
            if read > MAX_FEATURES:
                raise UploadError(name, [f"more than {MAX_FEATURES:,} rows; split the file"])
            if len(row) != len(header):
                dropped.append(f"line {line}: {len(row)} fields where the header has {len(header)}")
                continue
            try:
                y = _coordinate(row[lat], -90, 90, "latitude")
                x = _coordinate(row[lon], -180, 180, "longitude")
            except ValueError as exc:
                dropped.append(f"line {line}: {exc}")
                continue
            label = clean_text(row[label_col]) if label_col is not None else ""
            labels.append(label or f"line {line}")
            geoms.append(shapely.Point(x, y))
            props.append({header[i]: clean_text(v) for i, v in enumerate(row) if i not in (lat, lon)})
    except csv.Error as exc:
        raise UploadError(name, [f"the CSV cannot be parsed at line {reader.line_num}: {clean_text(exc)}"]) from None
    return _finish(name, "CSV", labels, geoms, props, read, dropped)


def _check_positions(coords, depth: int) -> None:
    """Nested coordinate arrays of the given depth, every position [lon, lat] finite and in range."""
    if depth == 0:
        if not isinstance(coords, list) or len(coords) not in (2, 3):
            raise ValueError("a position must be [longitude, latitude]")
        for value, (low, high, what) in zip(coords[:2], ((-180, 180, "longitude"), (-90, 90, "latitude")), strict=True):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{what} {clean_text(value)!r} is not a number")
            if not low <= value <= high:  # compared as written: NaN and ±inf fail, and so does 10**400
                raise ValueError(f"{what} {clean_text(value)} is outside {low} to {high}")
        return
    if not isinstance(coords, list) or not coords:
        raise ValueError("coordinates are empty or not a list")
    for item in coords:
        _check_positions(item, depth - 1)


DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _geometry(obj) -> shapely.Geometry:
    if not isinstance(obj, dict):
        raise ValueError("geometry is missing")
    kind = obj.get("type")
    if kind not in GEOMETRY_TYPES:
        raise ValueError(f"geometry type {clean_text(kind)!r} is not one of {', '.join(GEOMETRY_TYPES)}")
    _check_positions(obj.get("coordinates"), DEPTH[kind])
    try:
        geom = shapely.from_geojson(json.dumps({"type": kind, "coordinates": obj["coordinates"]}))
    except shapely.errors.GEOSException as exc:
        raise ValueError(f"invalid {kind}: {clean_text(exc)}") from None
    if geom.is_empty:
        raise ValueError(f"empty {kind}")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        if geom.is_empty:
            raise ValueError(f"invalid {kind} that cannot be repaired")
    return geom


def _from_geojson(name: str, text: str) -> UserLayer:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise UploadError(name, [f"the file is not valid JSON{where}"]) from None
    if not isinstance(doc, dict):
        raise UploadError(name, ['GeoJSON must be an object with a "type"'])
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise UploadError(name, ['the FeatureCollection has no "features" list'])
    elif kind == "Feature":
        features = [doc]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "properties": {}, "geometry": doc}]
    else:
        raise UploadError(name, [f"type {clean_text(kind)!r} is not a FeatureCollection, Feature or geometry"])
    if len(features) > MAX_FEATURES:
        raise UploadError(name, [f"{len(features):,} features; the limit is {MAX_FEATURES:,}"])
    labels, geoms, props, dropped = [], [], [], []
    for i, feature in enumerate(features, start=1):
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValueError("not a GeoJSON Feature")
            geom = _geometry(feature.get("geometry"))
        except (ValueError, RecursionError) as exc:
            dropped.append(f"feature {i}, geometry: {exc}")
            continue
        raw = feature.get("properties")
        properties = {clean_text(k): clean_text(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        label = next((properties[k] for k in NAME_KEYS if properties.get(k)), "")
        labels.append(label or f"feature {i}")
        geoms.append(geom)
        props.append(properties)
    return _finish(name, "GeoJSON", labels, geoms, props, len(features), dropped)


@dataclass(frozen=True)
class Placed:
    """An upload on the ground for one border segment: what no depth, corridor or radius changes.

    Reprojecting 5,000 polygons and measuring their distance to the border took ~2 s; done once per
    (upload, segment), a scenario then costs only an indexed intersection with its zone and band."""

    index: shapely.STRtree  # the features in the ground CRS
    distance_km: np.ndarray  # nearest point to the segment's border, km on the ground
    in_syria: np.ndarray


def place(geo, layer: UserLayer, segment: str) -> Placed:
    ground = np.asarray(geo.to_ground(layer.features.geometry.values), dtype=object)  # one vectorised call
    index = shapely.STRtree(ground)
    return Placed(
        index=index,
        distance_km=np.round(shapely.distance(ground, geo.borders[segment]) / 1000.0, 1),
        in_syria=_touching(index, geo.syria, len(ground)),
    )


def _touching(index: shapely.STRtree, area, count: int) -> np.ndarray:
    """Which of the indexed features intersect ``area`` (none for a missing or empty area)."""
    hit = np.zeros(count, dtype=bool)
    if area is not None and not area.is_empty:
        hit[index.query(area, predicate="intersects")] = True
    return hit


def coverage(geo, impact, layer: UserLayer, placed: Placed | None = None) -> gpd.GeoDataFrame:
    """Per feature: distance to the scenario's border segment and whether it touches zone, band, corridor.

    A line or polygon counts as inside when any part of it is; distances are on the ground (km).
    ``placed`` is :func:`place` for the scenario's segment, made once by the caller (or made here)."""
    placed = placed if placed is not None else place(geo, layer, impact.scenario.segment)
    count = len(layer.features)
    out = layer.features[["label"]].copy()
    out["distance_to_border_km"] = placed.distance_km
    out["in_syria"] = placed.in_syria
    out["in_zone"] = _touching(placed.index, impact.zone, count)
    out["in_band"] = _touching(placed.index, impact.band, count)
    corridor = impact.corridor if impact.scenario.corridor_km else None
    out["in_corridor"] = _touching(placed.index, corridor, count)
    out["geometry"] = layer.features.geometry.values
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


def coverage_sentence(table, layer: UserLayer, corridor_on: bool) -> str:
    """The headline an analyst reads: "your layer: N of M features inside the band"."""
    total = len(table)
    corridor = f", {int(table['in_corridor'].sum())} in the M4 corridor" if corridor_on else ""
    return (
        f"Your layer ({layer.filename}): {int(table['in_band'].sum())} of {total} features inside the band, "
        f"{int(table['in_zone'].sum())} of {total} inside the zone{corridor}."
    )
