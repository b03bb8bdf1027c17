"""Every headline figure of a zone as cumulative curves over depth, and the zone cut into thin annuli (pure).

The landing page's live view redraws the zone and repaints its figures on every frame while a depth thumb
moves, with no server round trip (``dashboard/ui/live_view.py``). That works because nearly every figure of a
scenario is a difference of curves over depth: for a band from A to B km, F(B) − F(A). The server computes
the curves once per segment and settings, on a fixed grid of :data:`GRID_KM`, by calling the engine itself
(:func:`~dashboard.model.impact.assess` at each grid depth, and its people model per density), so the
curves follow any change to the engine and equal its figures on the grid.

What is *not* a difference of curves, and how it is handled:

- the zone's figures (0–B) are the engine's own values at B, not differences at all;
- figures that do not depend on depth (the M4 corridor's area and deaths, the post radii's area, the
  north-west's events and deaths, the totals posts and towns are counted out of) are constants;
- people in the band: the engine clamps each sub-district's band at 0 (its zone figure need not grow with
  depth), and its low and high are the least and greatest of the band's totals over the urban densities,
  not the difference of the zone's low and high. The curves carry one total per density and, for any
  sub-district whose people ever fall as the zone deepens, its own curve, so the clamp is reproduced;
- the band's area: the engine measures the band's polygon and corrects its area for the projection at the
  band's centroid, so the band's area is within ~0.01 % of, but not bit for bit, the difference of the
  zone's areas. Live, it is the difference; on release the engine's figure replaces it (tests bound the
  gap, and it never changes the figure as displayed to the square kilometre by more than 1).

Depths between grid points are not offered while a thumb moves: the thumbs step by :data:`GRID_KM`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import shapely

from dashboard.model import metrics, population
from dashboard.model.impact import Impact, assess, border_buffer, depth_people
from dashboard.model.scenario import DEPTH_MAX_KM, Scenario

GRID_KM = 0.5
FORMAT = 1  # the served curves' layout: bumped when it changes, so no browser reads an old layout
# Figures of the band (inner to outer) that add up over depth: the band is the zone at B less the part nearer
# than A. Events, deaths and area are additive; people in the band are not (see the module's docstring).
ADDITIVE_BAND = (
    "band_area_km2",
    "events_in_band",
    "deaths_in_band",
    "deaths_in_band_low",
    "deaths_in_band_high",
)
PEOPLE_BAND = "population_in_band"
# Figures the depth does not change, read once from the scenario's own assessment.
CONSTANT = (
    "corridor_area_km2",
    "post_rings_area_km2",
    "events_north_west",
    "deaths_north_west",
    "deaths_in_corridor",
    "deaths_in_corridor_low",
    "deaths_in_corridor_high",
)


def grid() -> np.ndarray:
    """The depths of the curves: 0, 0.5, …, 100 km."""
    return np.round(np.arange(0.0, DEPTH_MAX_KM + GRID_KM / 2, GRID_KM), 6)


def on_grid(depth_km: float) -> bool:
    return abs(depth_km / GRID_KM - round(depth_km / GRID_KM)) < 1e-9


def _zone_figures(impact: Impact) -> dict[str, float]:
    """The zone's headline figures of one assessment: every catalogue metric, with its range, plus the
    additive band figures (equal to the zone's when the inner depth is 0) and the counted totals."""
    out = {}
    for metric in metrics.CATALOGUE:
        if metric.key in CONSTANT or metric.key in ADDITIVE_BAND or metric.key == PEOPLE_BAND:
            continue
        out[metric.key] = metric.value(impact)
        spread = metric.range(impact)
        if spread:
            out[f"{metric.key}_low"], out[f"{metric.key}_high"] = spread
        for name, count in metric.parts(impact) if metric.parts else ():  # "9 manned": counts of the rows inside
            out[f"{metric.key}:{name}"] = count
    for key in ADDITIVE_BAND:
        out[key] = float(getattr(impact, key))
    return out


def variants() -> dict[str, tuple[str, float]]:
    """The people estimate's variants as ``population.variants`` makes them: each footprint with both lines
    where they are and moved by the lines' uncertainty, and each town at its point, lines where they are."""
    out = {}
    for shift in (0.0, -population.LINE_SHIFT_KM, population.LINE_SHIFT_KM):
        for key in population.FOOTPRINTS:
            out[f"{key}|{shift:g}"] = (key, shift)
        if shift == 0.0:
            out[f"{population.AT_POINTS}|0"] = (population.AT_POINTS, 0.0)
    return out


CENTRAL_NAME = f"{population.CENTRAL_VARIANT[0]}|{population.CENTRAL_VARIANT[1]:g}"


def curves(geo, segment: str, events_from, events_to) -> dict:
    """The curves of a segment for an events window (nothing else a scenario sets changes them): a record of
    plain JSON values for the browser (see :func:`figures` for how it is read).

    - ``zone[key][i]``: the zone 0–d_i's figure (the engine's, at outer d_i; index 0 is unused: a zone is
      never 0 km deep);
    - ``nearer[key][i]``: the part of an additive band figure nearer than d_i (0 at i = 0), so that the band
      A–B is ``zone[key][B] − nearer[key][A]``;
    - ``people[curve][i]``: everyone within d_i by one of the people model's curves (a footprint, or towns at
      their points), on a grid to 100 km + the lines' uncertainty; ``variants``: the estimate's variants, each
      a curve and a shift of both lines (see :func:`variants`); ``people_fixes``: sub-districts whose people
      ever fall as the zone deepens, each with its own curve.

    What no depth changes comes from the scenario's own assessment (:func:`constants`).
    """
    depths = grid()
    base = Scenario(segment=segment, events_from=events_from, events_to=events_to, outer_km=DEPTH_MAX_KM)
    deepest = assess(geo, replace(base, inner_km=0.0))
    zone: dict[str, list] = {key: [None] for key in _zone_figures(deepest)}
    nearer: dict[str, list] = {key: [0.0] for key in ADDITIVE_BAND}
    for d in depths[1:]:
        for key, value in _zone_figures(assess(geo, replace(base, inner_km=0.0, outer_km=float(d)))).items():
            zone[key].append(value)
        if d < DEPTH_MAX_KM:  # the band from d to the deepest zone, taken from that zone: what is nearer than d
            band = assess(geo, replace(base, inner_km=float(d)))
            for key in ADDITIVE_BAND:
                nearer[key].append(float(getattr(deepest, key)) - float(getattr(band, key)))
        else:  # an inner depth is never the deepest: its entry is never read
            for key in ADDITIVE_BAND:
                nearer[key].append(float(getattr(deepest, key)))
    # people on a longer grid: a variant moves both lines by the lines' uncertainty, to 100 km + that
    reach = DEPTH_MAX_KM + population.LINE_SHIFT_KM
    people_depths = np.round(np.arange(0.0, reach + GRID_KM / 2, GRID_KM), 6)
    per_depth = [depth_people(geo, segment, float(d)) for d in people_depths]
    keys = sorted({key for key, _ in variants().values()})
    people = {k: [float(p[k].sum()) for p in per_depth] for k in keys}
    fixes = []
    for k in keys:
        stacked = np.vstack([p[k] for p in per_depth])  # depth × sub-district
        falls = np.flatnonzero((np.diff(stacked, axis=0) < 0).any(axis=0))
        fixes += [{"curve": k, "values": stacked[:, i].tolist()} for i in falls]
    return {
        "format": FORMAT,
        "segment": segment,
        "grid_km": GRID_KM,
        "depths": depths.tolist(),
        "zone": zone,
        "nearer": nearer,
        "people": people,
        "variants": {name: list(v) for name, v in variants().items()},
        "central": CENTRAL_NAME,
        "people_fixes": fixes,
    }


def constants(impact: Impact) -> dict[str, float]:
    """What no depth changes, from any assessment of the scenario's settings: the corridor's and post radii's
    areas, the corridor's deaths, the north-west's events and deaths, the totals posts and towns are out of."""
    out = {key: float(getattr(impact, key)) for key in CONSTANT}
    out["posts_total"] = len(impact.columns["posts"]["inside"])
    out["towns_total"] = len(impact.columns["towns"]["inside"])
    return out


def _index(record: dict, depth_km: float) -> int:
    if not on_grid(depth_km):
        raise ValueError(f"{depth_km:g} km is not on the {record['grid_km']:g} km grid of the curves")
    return round(depth_km / record["grid_km"])


def figures(record: dict, constant: dict, inner_km: float, outer_km: float) -> dict[str, float]:
    """The figures of the band ``inner_km``–``outer_km`` (both on the grid) read off the curves, with the
    scenario's ``constant`` figures: what the browser computes on every frame (``live.js`` reads them the
    same way)."""
    a, b = _index(record, inner_km), _index(record, outer_km)
    out = {key: values[b] for key, values in record["zone"].items()}
    for key, values in record["nearer"].items():
        out[key] = record["zone"][key][b] - values[a] if a > 0 else record["zone"][key][b]
    grid_km = record["grid_km"]

    def at(curve: list, depth_km: float) -> float:
        return curve[round(max(depth_km, 0.0) / grid_km)]

    band = {}
    for name, (key, shift) in record["variants"].items():  # population.variants, read off the curves
        value = at(record["people"][key], outer_km + shift)
        if inner_km > 0:
            value -= at(record["people"][key], inner_km + shift)
            for fix in record["people_fixes"]:
                if fix["curve"] == key:
                    delta = at(fix["values"], outer_km + shift) - at(fix["values"], inner_km + shift)
                    value += max(delta, 0.0) - delta  # the engine's clamp of a sub-district's band at 0
        band[name] = value
    out[PEOPLE_BAND] = band[record["central"]]
    out[f"{PEOPLE_BAND}_low"] = min(band.values())
    out[f"{PEOPLE_BAND}_high"] = max(band.values())
    out.update(constant)
    return out


def annuli(geo, segment: str) -> tuple[list, list, list]:
    """The zone of ``segment`` cut at every grid depth, in the ground CRS: ``pieces[i]`` is the part of the
    0–100 km zone between depths i and i+1 of :func:`grid` (the band A–B is the union of the pieces from A's
    index up to B's), ``edges[i]`` the line at depth i+1 within Syria, as the map draws a zone's edges, and
    ``zones[i]`` the whole zone 0 to depth i+1 (one polygon: the browser draws it under the band)."""
    depths = grid()
    buffers = [border_buffer(geo, segment, float(d)) for d in depths]
    side = geo.sides[segment]
    pieces, edges, zones = [], [], []
    for i in range(len(depths) - 1):
        zone = shapely.intersection(buffers[i + 1], side)
        zones.append(zone)
        pieces.append(shapely.difference(zone, buffers[i]) if i > 0 else zone)
        edges.append(shapely.intersection(buffers[i + 1].exterior, geo.syria))
    return pieces, edges, zones


def _rings(geom) -> list:
    """A polygonal or linear geometry's parts as coordinate arrays: each polygon as [exterior, *holes]."""
    parts = []
    for part in shapely.get_parts(geom):
        if isinstance(part, shapely.Polygon):
            parts.append([np.asarray(r.coords) for r in (part.exterior, *part.interiors)])
        elif isinstance(part, shapely.LineString):
            parts.append([np.asarray(part.coords)])
        elif hasattr(part, "geoms"):
            parts += _rings(part)
    return parts


def packed(coords: np.ndarray, step: float) -> list[int]:
    """Lon/lat coordinates as whole multiples of ``step`` degrees, each after the first as the change from the
    one before: a 0.5 km annulus's outline in a quarter of the bytes of its GeoJSON."""
    ints = np.round(np.asarray(coords)[:, :2] / step).astype(np.int64)
    ints[1:] -= ints[:-1].copy()
    return ints.ravel().tolist()


def unpacked(flat: list[int], step: float) -> np.ndarray:
    """The inverse of :func:`packed` (the browser does the same)."""
    return np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0) * step


PIECE_STEP = 1e-3  # degrees (~100 m): the basemap's display grid, as the map's fills are drawn
EDGE_STEP = 1e-4  # ~10 m: the edges are measured lines, drawn finer (as ``render/maps.py`` draws them)


def drawing(geo, segment: str) -> dict:
    """The annuli, zones and edges of a segment as the browser draws them: lon/lat, packed (see
    :func:`packed`). ``pieces``: [depth_km, [ring, ...]] per polygon (a piece's depth is its nearer side);
    ``zones``: [depth_km, [ring, ...]] per polygon of the zone 0–depth; ``edges``: [depth_km, line] per line.

    Software WebGL pays for every vertex it is handed, hidden by a filter or not (all 200 pieces, filtered,
    cost ~200 ms a frame; the 60 pieces of a 0–30 km zone ~200 ms): the browser draws the zone 0–B as one
    polygon and the band's pieces over it, as the map stacks the band over the zone."""
    depths = grid()
    pieces, edges, zones = annuli(geo, segment)
    out_pieces, out_edges, out_zones = [], [], []
    for d, piece in zip(depths[:-1], pieces, strict=True):
        if piece.is_empty:
            continue
        snapped = shapely.set_precision(geo.to_lonlat(piece), PIECE_STEP)
        for rings in _rings(snapped):
            out_pieces.append([float(d), [packed(r, PIECE_STEP) for r in rings]])
    for d, zone in zip(depths[1:], zones, strict=True):
        snapped = shapely.set_precision(geo.to_lonlat(zone), PIECE_STEP)
        for rings in _rings(snapped):
            out_zones.append([float(d), [packed(r, PIECE_STEP) for r in rings]])
    for d, edge in zip(depths[1:], edges, strict=True):
        if edge.is_empty:
            continue
        snapped = shapely.set_precision(geo.to_lonlat(edge), EDGE_STEP)
        for (line,) in _rings(snapped):
            out_edges.append([float(d), packed(line, EDGE_STEP)])
    return {
        "format": FORMAT,
        "segment": segment,
        "grid_km": GRID_KM,
        "piece_step": PIECE_STEP,
        "edge_step": EDGE_STEP,
        "pieces": out_pieces,
        "zones": out_zones,
        "edges": out_edges,
    }
