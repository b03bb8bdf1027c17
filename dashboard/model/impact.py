"""What a scenario covers: areas, shares, people, settlements, posts, towns, and sensitivity curves.

Definitions used everywhere (CLI, app, briefing pack):
- the *zone* is everything in Syria within ``outer_km`` of the chosen border segment (0 to outer);
- the *band* is the part between ``inner_km`` and ``outer_km`` (the uncertainty between the two depths);
- "inside" for settlements, posts, towns and people means inside the zone; ``in_band`` is reported too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import shapely

from dashboard.model import population, zones
from dashboard.model.geography import AFRIN, CONTROL_AREAS, IDLIB, KEY_TOWNS, Geography
from dashboard.model.population import CENTRAL_VARIANT
from dashboard.model.posts import (
    ACTIVE_OR_ENCIRCLED,
    ACTIVE_OR_EVACUATED,
    ENCIRCLED_OR_EVACUATED,
    UNREPORTED,
    post_status,
)
from dashboard.model.scenario import DEPTH_MAX_KM, Scenario

POPULATION_METHODS = {
    "dasymetric": population.METHOD,
    "area": (
        "area share: each sub-district's 2023 population times the share of its area inside "
        "(assumes people are spread evenly over the sub-district)"
    ),
    "settlements": (
        "settlement-weighted: each sub-district's 2023 population times the share of its GeoNames "
        "settlement population inside (area share where a sub-district has no populated settlement)"
    ),
}
DEFAULT_POPULATION_METHOD = "dasymetric"
POPULATION_SOURCE = "OCHA Syria 2023 Humanitarian Needs Overview, total population by sub-district"
POPULATION_COVERAGE = (
    "every sub-district of the eight governorates a zone can reach (Aleppo, Hama, Lattakia, Idlib, Tartous, "
    "Al-Hasakeh, Deir-ez-Zor, Ar-Raqqa): everyone within 100 km of the border is counted"
)
CONTROL_NOTE = (
    "by OCHA's early-2023 area-of-control shares of each sub-district's population (planning figures, "
    "not a line of contact)"
)
# Statuses of a post that is, or may still be, manned on the as-of date (its radius is drawn).
PRESENT = ("active", "encircled", ACTIVE_OR_ENCIRCLED, ENCIRCLED_OR_EVACUATED, ACTIVE_OR_EVACUATED, UNREPORTED)


def _table(name: str) -> cached_property:
    """A table of an :class:`Impact`, made a DataFrame from its column arrays when first read."""
    return cached_property(lambda self: pd.DataFrame(self.columns[name]))


@dataclass(frozen=True)
class Impact:
    """Everything one scenario covers. Geometries are in the ground CRS (metres)."""

    scenario: Scenario
    zone: object
    band: object
    corridor: object
    post_rings: object
    zone_area_km2: float
    band_area_km2: float
    corridor_area_km2: float
    post_rings_area_km2: float
    population_inside: float
    population_in_band: float
    population_method: str
    columns: dict = field(repr=False)
    # large towns whose people count or not depending on where a line falls (see straddling_towns)
    straddling: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    population_inside_low: float = 0.0
    population_inside_high: float = 0.0
    population_in_band_low: float = 0.0
    population_in_band_high: float = 0.0
    people_in_need_inside: float = 0.0
    people_by_control: dict = field(default_factory=dict)  # label -> people inside the zone
    people_by_severity: dict = field(default_factory=dict)  # HNO severity 1–5 -> people inside the zone
    # UCDP GED events in the scenario's window (counts, and deaths: best with UCDP's low and high)
    events_inside: int = 0
    events_in_band: int = 0
    events_in_corridor: int = 0
    events_north_west: int = 0
    deaths_inside: float = 0.0
    deaths_inside_low: float = 0.0
    deaths_inside_high: float = 0.0
    deaths_in_band: float = 0.0
    deaths_in_band_low: float = 0.0
    deaths_in_band_high: float = 0.0
    deaths_in_corridor: float = 0.0
    deaths_in_corridor_low: float = 0.0
    deaths_in_corridor_high: float = 0.0
    deaths_north_west: float = 0.0
    deaths_inside_by_violence: dict = field(default_factory=dict)  # type of violence -> deaths (best) inside
    # deaths (best) per month of MONTHLY_FROM–MONTHLY_TO, whatever the window: inside the zone, and in the rest
    # of the north-west
    deaths_by_month: dict = field(default_factory=dict, repr=False)
    # the unclipped buffers of the border at the inner and outer depths: the map draws the zone's edges from
    # them instead of buffering the border again (ground CRS; empty at a depth of 0)
    buffers: tuple = field(default=(), repr=False)

    # Tables are kept as plain column arrays and turned into DataFrames only when read, so computing
    # a scenario never pays pandas' construction cost for a table nobody displays.
    governorates = _table("governorates")
    districts = _table("districts")
    subdistricts = _table("subdistricts")
    settlements = _table("settlements")
    posts = _table("posts")
    towns = _table("towns")

    def share(self, kind: str, unit_id: str, where: str = "zone") -> float:
        cols = self.columns["governorates" if kind == "governorate" else "districts"]
        hit = np.flatnonzero(cols["id"] == unit_id)
        return float(cols[f"{where}_share"][hit[0]]) if len(hit) else 0.0

    @property
    def idlib_share(self) -> float:
        return self.share("governorate", IDLIB)

    @property
    def afrin_share(self) -> float:
        return self.share("district", AFRIN)


def covered_km2(polys: np.ndarray, areas: np.ndarray, cover) -> np.ndarray:
    """Area (km²) of each polygon inside ``cover``: whole where contained, intersected where partial."""
    out = np.zeros(len(polys))
    if cover is None or cover.is_empty:
        return out
    shapely.prepare(cover)
    hits = shapely.intersects(cover, polys)
    inside = hits & shapely.contains_properly(cover, polys)
    out[inside] = areas[inside]
    partial = hits & ~inside
    if partial.any():
        out[partial] = zones.true_areas_km2(shapely.intersection(polys[partial], cover))
    return np.minimum(out, areas)


def border_buffer(geo: Geography, segment: str, depth_km: float):
    """The unclipped buffer of a border segment (cheaper to intersect with units already inside Syria)."""
    if depth_km <= 0:
        return shapely.Polygon()
    return shapely.buffer(geo.borders[segment], depth_km * 1000.0, quad_segs=zones.QUAD_SEGS)


# depths whose reach each geography keeps, the least recently asked for dropped first. An OrderedDict under a
# lock: cachetools' LRUCache measured slower here (bench/libraries.py: 1.26–2.45× per call)
REACHES_KEPT = 32
_REACHES_LOCK = threading.Lock()  # sessions assess on threads of their own


@dataclass
class Reach:
    """The border segment's unclipped buffer at one depth, the km² of each sub-district inside it (on the
    segment's side), and the people it covers per variant (filled when first asked for)."""

    buffer: object
    covered: np.ndarray
    people: dict | None = None


def _reach(geo: Geography, segment: str, depth_km: float) -> Reach:
    """A depth's reach computed afresh (the sensitivity curve's 101 depths would only flush the memo)."""
    buffer = border_buffer(geo, segment, depth_km)
    covered = covered_km2(geo.hot.sub_polys, geo.hot.sub_areas, buffer) * geo.hot.segments[segment].sub_side
    covered.setflags(write=False)
    return Reach(buffer, covered)


def _people(geo: Geography, segment: str, depth_km: float, reach: Reach) -> dict:
    """The people a reach covers: each sub-district's, per footprint variant and with towns at points."""
    if reach.people is None:
        seg = geo.hot.segments[segment]
        people = population.people_at_depth(
            geo.hot.people_model, covered_km2, reach.buffer, reach.covered, seg.sub_side, seg.settle_dist, depth_km
        )
        for values in people.values():
            values.setflags(write=False)  # shared by every session through the memo, as ``covered`` is
        reach.people = people
    return reach.people


def reach_at(geo: Geography, segment: str, depth_km: float) -> Reach:
    """A depth's :class:`Reach`, kept: a slider moves one thumb at a time, so the other depth's reach is the
    one computed for the step before (not buffered and measured again, ~7 ms of each step). Read-only."""
    key = (segment, depth_km)
    with _REACHES_LOCK:
        held = geo.reaches.get(key)
        if held is not None:
            geo.reaches.move_to_end(key)
            return held
    reach = _reach(geo, segment, depth_km)
    with _REACHES_LOCK:
        geo.reaches[key] = reach
        while len(geo.reaches) > REACHES_KEPT:
            geo.reaches.popitem(last=False)
    return reach


def depth_reach(geo: Geography, segment: str, depth_km: float) -> tuple[object, np.ndarray]:
    """The border segment's unclipped buffer at ``depth_km`` and the km² of each sub-district inside it."""
    reach = reach_at(geo, segment, depth_km)
    return reach.buffer, reach.covered


def depth_people(geo: Geography, segment: str, depth_km: float) -> dict:
    """People of each sub-district within ``depth_km`` of the segment, per variant (see
    :func:`population.people_at_depth`), kept with the depth's reach."""
    return _people(geo, segment, depth_km, reach_at(geo, segment, depth_km))


def unit_table(static: dict, areas: np.ndarray, outer_km2: np.ndarray, inner_km2: np.ndarray) -> dict:
    """Columns of an administrative-unit table: static attributes plus what the zone and band cover."""
    band_km2 = np.maximum(outer_km2 - inner_km2, 0.0)
    return {
        **static,
        "area_km2": areas,
        "zone_km2": outer_km2,
        "band_km2": band_km2,
        "zone_share": np.clip(outer_km2 / areas, 0.0, 1.0),
        "band_share": np.clip(band_km2 / areas, 0.0, 1.0),
    }


def assess(geo: Geography, scenario: Scenario, population_method: str = DEFAULT_POPULATION_METHOD) -> Impact:
    """Compute every metric of a scenario from the precomputed geography."""
    if population_method not in POPULATION_METHODS:
        msg = f"population_method={population_method!r} is not allowed: one of {', '.join(POPULATION_METHODS)}"
        raise ValueError(msg)
    s = scenario
    outer_buf, sub_outer = depth_reach(geo, s.segment, s.outer_km)
    inner_buf, sub_inner = depth_reach(geo, s.segment, s.inner_km)
    zone = shapely.intersection(outer_buf, geo.sides[s.segment])
    band = shapely.difference(zone, inner_buf) if s.inner_km > 0 else zone

    sub_areas = geo.hot.sub_areas
    seg = geo.hot.segments[s.segment]  # what depends on the border segment

    dist = seg.settle_dist
    in_syria = geo.hot.settle_in_syria
    on_side_settle = seg.settle_side
    inside = on_side_settle & (dist <= s.outer_km)
    people = people_variants(geo, population_method, s)
    zone_people, band_people = people["zone"], people["band"]
    people_zone, people_band = zone_people[CENTRAL_VARIANT], band_people[CENTRAL_VARIANT]

    sub_table = unit_table(geo.hot.sub_static, sub_areas, sub_outer, sub_inner)
    sub_table["people_zone"] = people_zone
    sub_table["people_band"] = people_band
    for key, values in (("zone", zone_people), ("band", band_people)):
        stacked = np.vstack(list(values.values()))
        sub_table[f"people_{key}_low"] = stacked.min(axis=0)
        sub_table[f"people_{key}_high"] = stacked.max(axis=0)
    districts = district_table(geo, sub_outer, sub_inner, people_zone, people_band)
    n_gov = len(geo.hot.gov_areas)
    gov_outer = np.bincount(geo.hot.sub_gov, weights=sub_outer, minlength=n_gov)  # the units nest
    gov_inner = np.bincount(geo.hot.sub_gov, weights=sub_inner, minlength=n_gov)
    governorates = order_named_first(unit_table(geo.hot.gov_static, geo.hot.gov_areas, gov_outer, gov_inner), IDLIB)

    corridor = zones.corridor(geo.patrol_stretch, s.corridor_km, geo.syria)
    status = np.array([post_status(*dates, s.as_of) for dates in geo.hot.post_dates], dtype=object)
    present = np.isin(status, PRESENT)
    rings = zones.post_rings(geo.hot.post_geoms[present], s.post_radius_km, geo.syria)

    in_corridor = in_syria & (geo.hot.patrol_dist_settle <= s.corridor_km) if s.corridor_km > 0 else None
    near_post = (
        shapely.dwithin(geo.hot.settle_geoms, shapely.union_all(geo.hot.post_geoms[present]), s.post_radius_km * 1e3)
        if s.post_radius_km > 0 and present.any()
        else None
    )
    settlements = settlement_table(geo, s, dist, inside, in_corridor, near_post)
    posts = post_table(geo, s, status)
    town_rows = geo.hot.town_index
    towns = {
        "name": np.array(list(KEY_TOWNS), dtype=object),
        "id": np.array(list(KEY_TOWNS.values()), dtype=object),
        "distance_to_border_km": dist[town_rows],
        "inside": inside[town_rows],
        "in_band": settlements["in_band"][town_rows],
    }
    zone_area, band_area, corridor_area, rings_area = zones.true_areas_km2(
        np.array([zone, band, corridor, rings], dtype=object)
    )
    totals_zone = [float(v.sum()) for v in zone_people.values()]
    totals_band = [float(v.sum()) for v in band_people.values()]
    severity = geo.hot.sub_severity
    return Impact(
        scenario=s,
        buffers=(inner_buf, outer_buf),
        zone=zone,
        band=band,
        corridor=corridor,
        post_rings=rings,
        zone_area_km2=float(zone_area),
        band_area_km2=float(band_area),
        corridor_area_km2=float(corridor_area),
        post_rings_area_km2=float(rings_area),
        population_inside=float(people_zone.sum()),
        population_in_band=float(people_band.sum()),
        population_method=population_method,
        straddling=straddling_towns(geo, s) if population_method == DEFAULT_POPULATION_METHOD else [],
        columns={
            "governorates": governorates,
            "districts": districts,
            "subdistricts": sub_table,
            "settlements": settlements,
            "posts": posts,
            "towns": towns,
        },
        notes=[POPULATION_METHODS[population_method], f"population coverage: {POPULATION_COVERAGE}"],
        population_inside_low=min(totals_zone),
        population_inside_high=max(totals_zone),
        population_in_band_low=min(totals_band),
        population_in_band_high=max(totals_band),
        people_in_need_inside=float((people_zone * share_in_need(geo)).sum()),
        people_by_control={
            label: float((people_zone * geo.hot.sub_control[:, i]).sum())
            for i, label in enumerate(CONTROL_AREAS.values())
        },
        people_by_severity={
            int(level): float(people_zone[severity == level].sum())
            for level in range(1, 6)
            if (severity == level).any()
        },
        **event_counts(geo, s),
        deaths_by_month=deaths_by_month(geo, s),
    )


EVENTS_SOURCE = "UCDP Georeferenced Event Dataset (GED) 21.1"
EVENTS_CAVEAT = (
    "events located to the place only, so counts and deaths are lower bounds (coarser-located events are ~10 % "
    "of 2019 deaths in the north-west, ~40–50 % in 2016–17)"
)


def event_masks(geo: Geography, s: Scenario) -> dict[str, np.ndarray]:
    """Which events of the scenario's window (both days included) are inside the zone, in the band (a part
    of the zone: nothing is counted twice), in the corridor, and in the north-west as a whole. An event is
    inside when it lies on the segment's side within the zone's depth, as a settlement is."""
    ev = geo.events
    window = (ev.day >= _day(s.events_from)) & (ev.day <= _day(s.events_to))
    dist = ev.dist[s.segment]
    inside = window & ev.side[s.segment] & (dist <= s.outer_km)
    return {
        "window": window,
        "inside": inside,
        "in_band": inside & (dist >= s.inner_km) if s.inner_km > 0 else inside,
        "in_corridor": window & ev.in_syria & (ev.patrol_dist <= s.corridor_km)
        if s.corridor_km > 0
        else window & False,
        "north_west": window & ev.north_west,
    }


def event_counts(geo: Geography, s: Scenario) -> dict:
    """Events and deaths of the scenario's window in each of :func:`event_masks`' places."""
    ev = geo.events
    masks = event_masks(geo, s)
    inside, in_band, corridor, north_west = (masks[k] for k in ("inside", "in_band", "in_corridor", "north_west"))
    out = {
        "events_inside": int(inside.sum()),
        "events_in_band": int(in_band.sum()),
        "events_in_corridor": int(corridor.sum()),
        "events_north_west": int(north_west.sum()),
        "deaths_north_west": float(ev.best[north_west].sum()),
        "deaths_inside_by_violence": dict(
            zip(
                ev.kinds,
                np.bincount(ev.violence[inside], weights=ev.best[inside], minlength=len(ev.kinds)).tolist(),
                strict=True,
            )
        ),
    }
    for name, mask in (("inside", inside), ("in_band", in_band), ("in_corridor", corridor)):
        out[f"deaths_{name}"] = float(ev.best[mask].sum())
        out[f"deaths_{name}_low"] = float(ev.low[mask].sum())
        out[f"deaths_{name}_high"] = float(ev.high[mask].sum())
    return out


MONTHLY_FROM, MONTHLY_TO = "2017-01", "2020-12"  # the months the escalation chart shows


def deaths_by_month(geo: Geography, s: Scenario) -> dict:
    """Deaths (best) per month inside the zone and in the rest of the north-west, for the months of the
    escalation chart: {"month": [...], "inside": [...], "rest of the north-west": [...]}."""
    ev = geo.events
    first, last = (np.datetime64(m, "M").astype(np.int64) for m in (MONTHLY_FROM, MONTHLY_TO))
    month = ev.month
    shown = (month >= first) & (month <= last)
    inside = shown & ev.side[s.segment] & (ev.dist[s.segment] <= s.outer_km)
    rest = shown & ev.north_west & ~inside
    n = int(last - first + 1)
    return {
        "month": [str(np.datetime64(int(first + k), "M")) for k in range(n)],
        "inside": np.bincount(month[inside] - first, weights=ev.best[inside], minlength=n).tolist(),
        "rest of the north-west": np.bincount(month[rest] - first, weights=ev.best[rest], minlength=n).tolist(),
    }


def _day(date) -> int:
    """Days since 1970-01-01, the unit of :attr:`EventArrays.day`."""
    return int(np.datetime64(date, "D").astype(np.int64))


def share_in_need(geo: Geography) -> np.ndarray:
    """Each sub-district's people in need as a share of its 2023 population (HNO 2023)."""
    pop = geo.hot.sub_pop
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pop > 0, np.clip(geo.hot.sub_pin / pop, 0.0, 1.0), 0.0)


def people_variants(geo: Geography, method: str, s: Scenario) -> dict:
    """People of each sub-district in the zone and in its band, per variant: ``{"zone": {variant: array},
    "band": {...}}``, the central estimate under :data:`CENTRAL_VARIANT`. The dasymetric method's variants
    are those of :func:`population.variants`; a single-figure method repeats its one figure (a zero-width
    range)."""
    if method == DEFAULT_POPULATION_METHOD:
        return population.variants(lambda d: depth_people(geo, s.segment, d), s.inner_km, s.outer_km)
    seg = geo.hot.segments[s.segment]
    outer = geo.hot.sub_pop * population_share(
        geo, depth_reach(geo, s.segment, s.outer_km)[1], seg.settle_side & (seg.settle_dist <= s.outer_km), method
    )
    inner = geo.hot.sub_pop * population_share(
        geo, depth_reach(geo, s.segment, s.inner_km)[1], seg.settle_side & (seg.settle_dist < s.inner_km), method
    )
    band = np.maximum(outer - inner, 0.0)
    return {"zone": {CENTRAL_VARIANT: outer}, "band": {CENTRAL_VARIANT: band}}


def straddling_towns(geo: Geography, s: Scenario) -> list[dict]:
    """The large towns whose people count or not depending on where one of the zone's lines falls."""
    seg = geo.hot.segments[s.segment]
    model = geo.hot.people_model
    edges = (s.inner_km, s.outer_km) if s.inner_km > 0 else (s.outer_km,)
    out = []
    for k, edge in population.straddling(model, seg.town_reach, seg.settle_dist, seg.settle_side, edges):
        row = model.towns[k]
        near, far = seg.town_reach[k]
        out.append(
            {
                "id": geo.hot.settle_static["id"][row],
                "name": geo.hot.settle_static["name"][row],
                "distance_km": float(seg.settle_dist[row]),
                "edge_km": edge,
                "people": float(model.town_people[row]),
                "near_km": float(near),
                "far_km": float(far),
            }
        )
    return out


def population_share(geo: Geography, covered: np.ndarray, inside: np.ndarray, method: str) -> np.ndarray:
    """Share (0–1) of each sub-district's people counted inside, by the chosen method."""
    area_share = np.clip(covered / geo.hot.sub_areas, 0.0, 1.0)
    if method == "area":
        return area_share
    sub = geo.hot.settle_sub
    weights = geo.hot.settle_pop * (sub >= 0)
    n = len(area_share)
    total = np.bincount(np.maximum(sub, 0), weights=weights, minlength=n)
    counted = np.bincount(np.maximum(sub, 0), weights=weights * inside, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = counted / total
    return np.where(total > 0, ratio, area_share)


def settlement_table(geo, s: Scenario, dist, inside, in_corridor, near_post) -> dict:
    n = len(dist)
    return {
        **geo.hot.settle_static,
        "distance_to_border_km": dist,
        "inside": inside,
        "in_band": inside & (dist >= s.inner_km),
        "in_corridor": np.zeros(n, dtype=bool) if in_corridor is None else in_corridor,
        "near_post": np.zeros(n, dtype=bool) if near_post is None else near_post,
        "in_syria": geo.hot.settle_in_syria,
    }


def district_table(geo: Geography, sub_outer, sub_inner, people_zone, people_band) -> dict:
    """Districts as sums of their sub-districts (they tile each district exactly)."""
    idx = geo.hot.sub_district
    areas = geo.hot.district_areas
    n = len(areas)
    table = unit_table(
        geo.hot.district_static,
        areas,
        np.bincount(idx, weights=sub_outer, minlength=n),
        np.bincount(idx, weights=sub_inner, minlength=n),
    )
    table["people_zone"] = np.bincount(idx, weights=people_zone, minlength=n)
    table["people_band"] = np.bincount(idx, weights=people_band, minlength=n)
    return order_named_first(table, AFRIN)


def order_named_first(table: dict, first_id: str) -> dict:
    """The briefing's unit of interest first, then by share covered, then by name."""
    order = np.lexsort((table["name"], -table["zone_share"], table["id"] != first_id))
    return {k: v[order] for k, v in table.items()}


def post_table(geo: Geography, s: Scenario, status: np.ndarray) -> dict:
    seg = geo.hot.segments[s.segment]  # what depends on the border segment
    dist = seg.post_dist
    inside = seg.post_side & (dist <= s.outer_km)
    corridor = s.corridor_km > 0
    return {
        **geo.hot.post_static,
        "status": status,
        "distance_to_border_km": dist,
        "inside": inside,
        "in_band": inside & (dist >= s.inner_km),
        "in_corridor": (geo.hot.patrol_dist_post <= s.corridor_km) if corridor else np.zeros(len(dist), bool),
    }


def _depths(depths) -> np.ndarray:
    """The depths a curve is drawn at: 0–100 km in 1 km steps unless given."""
    return np.arange(0, int(DEPTH_MAX_KM) + 1) if depths is None else np.asarray(depths, dtype=float)


def sensitivity(geo: Geography, segment: str, depths=None, window=None) -> pd.DataFrame:
    """Every metric with a curve, of the 0–d zone as d runs over ``depths`` (default 0–100 km in 1 km steps).

    The zone's columns depend only on the border segment, so the UI computes them once per segment and
    shades the current band on top. People are the dasymetric estimate with its low–high range. Given a
    ``window`` (first day, last day), the deaths of its events are added (see :func:`deaths_by_depth`).
    """
    depths = _depths(depths)
    subs = geo.subdistricts
    sub_areas = geo.hot.sub_areas
    seg = geo.hot.segments[segment]  # what depends on the border segment
    idlib = (subs["governorate_id"] == IDLIB).to_numpy()
    afrin = (subs["district_id"] == AFRIN).to_numpy()
    idlib_area, afrin_area = sub_areas[idlib].sum(), sub_areas[afrin].sum()
    dist = seg.settle_dist
    settle_on_side = seg.settle_side
    post_dist = seg.post_dist
    post_on_side = seg.post_side
    rows = []
    reaches: dict[float, Reach] = {}  # the curve's own: its depths and the lines moved either way

    def reach_of(depth_km: float) -> Reach:
        if depth_km not in reaches:
            reaches[depth_km] = _reach(geo, segment, depth_km)
        return reaches[depth_km]

    for d in depths:
        reach = reach_of(float(d))
        covered = reach.covered
        zone = shapely.intersection(reach.buffer, geo.sides[segment]) if d > 0 else shapely.Polygon()
        people = population.variants(lambda x: _people(geo, segment, x, reach_of(x)), 0.0, float(d))["zone"]
        totals = [float(v.sum()) for v in people.values()]
        rows.append(
            {
                "depth_km": float(d),
                "zone_area_km2": geo.area_km2(zone),
                "idlib_share": covered[idlib].sum() / idlib_area,
                "afrin_share": covered[afrin].sum() / afrin_area,
                "population_inside": float(people[CENTRAL_VARIANT].sum()),
                "population_inside_low": min(totals),
                "population_inside_high": max(totals),
                "settlements_inside": int((settle_on_side & (dist <= d)).sum()),
                "posts_inside": int((post_on_side & (post_dist <= d)).sum()),
            }
        )
    curve = pd.DataFrame(rows)
    if window is None:
        return curve
    return curve.merge(deaths_by_depth(geo, segment, *window, depths=depths), on="depth_km")


def deaths_by_depth(geo: Geography, segment: str, first_day, last_day, depths=None) -> pd.DataFrame:
    """Deaths (UCDP best, low, high) in the window's events inside the 0–d zone as d runs over ``depths``:
    the events on the segment's side, sorted by distance to it and summed, so a curve is one pass (~1 ms)
    and each point equals what :func:`event_counts` gives a zone of that depth."""
    depths = _depths(depths)
    ev = geo.events
    chosen = (ev.day >= _day(first_day)) & (ev.day <= _day(last_day)) & ev.side[segment]
    dist = ev.dist[segment][chosen]
    order = np.argsort(dist, kind="stable")
    reached = np.searchsorted(dist[order], depths, side="right")  # events with distance <= d
    curve = {"depth_km": depths.astype(float)}
    for key, deaths in (("deaths_inside", ev.best), ("deaths_inside_low", ev.low), ("deaths_inside_high", ev.high)):
        running = np.concatenate([[0.0], np.cumsum(deaths[chosen][order], dtype=float)])
        curve[key] = running[reached]
    return pd.DataFrame(curve)
