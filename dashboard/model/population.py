"""People where they live: how many of a sub-district's people a zone covers (pure, ground CRS in metres).

Each sub-district's 2023 total (OCHA HNO) is kept exact and split in two:

- **people in towns**: every GeoNames place with a population in the sub-district holds its GeoNames
  population (scaled down, never up, so the towns of a sub-district hold no more than its 2023 total) on
  its **footprint**: where the town is built. A city with a published extent (``geodata/extents.geojson``:
  a disc of its published area cut where the published coordinates of its outer neighbourhoods mark the
  edge) is that extent widened by a margin; any other town is a disc around its point whose area is its
  people divided by an urban density. Either way the footprint is cut to the town's own sub-district, so a
  town's people never lie beyond it;
- **everyone else**, the rest of the 2023 total, spread evenly over the sub-district outside its towns'
  footprints.

A zone covers the part of each footprint that lies inside it, measured as an area on the Earth, and of the
rest its area inside less the footprints inside: footprints lie within their sub-district and do not
overlap, so the rest's share covered can never exceed 1. The footprint's size is an assumption, so each
depth is computed for three footprints (tight, central, wide); the reported range then also moves the
zone's lines by the border line's own placement error, and takes in the simple bound of each town's
people at its point, the rest spread by area (see :func:`variants`). Where a sub-district has no
populated place, its people are spread by area alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

# People per km² of a town's built-up area: an assumption, not a figure from a source. 10,000 is the
# central value; 20,000 and 5,000 (double and half) bracket dense cores and sprawling market towns.
URBAN_DENSITY_PER_KM2 = {"dense": 20_000.0, "central": 10_000.0, "sparse": 5_000.0}
# A sourced extent is the hull of neighbourhood points, which lie inside the built-up edge: widened by
# 0 (tight), 0.5 (central) or 1 km (wide). The footprint variants keep the density names above.
EXTENT_MARGIN_KM = {"dense": 0.0, "central": 0.5, "sparse": 1.0}
FOOTPRINTS = tuple(URBAN_DENSITY_PER_KM2)
CENTRAL = "central"
AT_POINTS = "at points"  # each town's people at its GeoNames point, the rest spread over the whole sub-district
# Natural Earth's border line lies 0.9 km from OpenStreetMap's on average, 2.1 km at the 95th percentile
# and 3.2 km at most (geodata/SOURCES.md). The range moves both of a zone's lines 2.5 km towards and away
# from the border together (the 95th percentile rounded up to the 0.5 km depth grid), as a border drawn
# that far off would move them.
LINE_SHIFT_KM = 2.5
CENTRAL_VARIANT = (CENTRAL, 0.0)  # the central footprint, the lines where they are
STRADDLE_MIN_PEOPLE = 20_000  # a town this large whose footprint the line's uncertainty crosses is named
LOW_CONFIDENCE_SPREAD = 0.15  # a range wider than ±15 % of its central value is labelled low confidence
METHOD = (
    "people where they live: each town's people on its built-up footprint (a sourced extent for the large "
    "cities, else a disc of 10,000 people per km²), cut to its own sub-district; the rest of each "
    "sub-district's 2023 total spread evenly outside the towns; sub-district totals kept exact"
)
ASSUMPTIONS = (
    "The range covers the footprints' size (5,000–20,000 people per km² for a town without a sourced extent; "
    "a city's extent widened by 0–1 km), the border line's placement (both lines moved 2.5 km either way: "
    "Natural Earth's border lies up to 2.1 km from OpenStreetMap's at the 95th percentile) and the simple "
    "bound of each town's people at its point. Town populations are GeoNames' figures, mostly older census "
    "counts, scaled down where a sub-district's towns would exceed its 2023 total. Camps and villages "
    "without a GeoNames population are part of the evenly spread rest."
)


@dataclass(frozen=True)
class PeopleModel:
    """Where each sub-district's people are placed, computed once from the layers (ground CRS)."""

    town_people: np.ndarray  # people placed in each settlement (0 for places with no population)
    town_sub: np.ndarray  # index of the settlement's sub-district (-1: none)
    towns: np.ndarray  # rows of the settlements that hold people
    shaped: np.ndarray  # per settlement: its footprint is a sourced extent, not a disc
    rest_people: np.ndarray  # per sub-district: its 2023 total less the people placed in its towns
    sub_areas: np.ndarray  # km² on the Earth
    footprints: dict[str, np.ndarray]  # per variant: the footprint of each of ``towns`` (disjoint)
    footprint_km2: dict[str, np.ndarray]
    rest_km2: dict[str, np.ndarray]  # per variant: each sub-district's area outside its towns' footprints


def placed_people(sub_people, town_population, town_sub) -> tuple[np.ndarray, np.ndarray]:
    """People in each town (GeoNames' figure, scaled down so a sub-district's towns never hold more than its
    2023 total) and each sub-district's rest."""
    sub_people = np.asarray(sub_people, dtype=float)
    town_sub = np.asarray(town_sub, dtype=int)
    population = np.asarray(town_population, dtype=float)
    n = len(sub_people)
    counted = (town_sub >= 0) & np.isfinite(population) & (population > 0)
    pop = np.where(counted, np.nan_to_num(population), 0.0)
    sub = np.maximum(town_sub, 0)
    in_towns = np.bincount(sub, weights=pop, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(in_towns > 0, np.minimum(1.0, sub_people / in_towns), 0.0)
    town_people = pop * scale[sub]
    rest = np.maximum(sub_people - np.bincount(sub, weights=town_people, minlength=n), 0.0)
    return town_people, rest


def disc_radius_m(people: np.ndarray, density: float) -> np.ndarray:
    """Radius (m) of a disc holding ``people`` at ``density`` people per km²."""
    return np.sqrt(np.asarray(people, dtype=float) / density / np.pi) * 1000.0


def people_model(sub_polys, sub_areas, sub_people, settle_geoms, town_population, town_sub, extents, area_km2):
    """Place each sub-district's people: towns on their footprints (never beyond their own sub-district,
    never more than it holds), then the rest outside them.

    ``extents`` maps a settlement's row to its sourced extent (a ground-CRS polygon); ``area_km2`` gives
    areas on the Earth of ground-CRS polygons (:func:`dashboard.model.zones.true_areas_km2`). Footprints in
    one sub-district do not overlap: where two would, the larger town keeps the ground. So the rest of a
    sub-district inside a zone is its area inside less its towns' footprints inside, which can never exceed
    the rest's own area.
    """
    sub_polys = np.asarray(sub_polys, dtype=object)
    sub_areas = np.asarray(sub_areas, dtype=float)
    town_sub = np.asarray(town_sub, dtype=int)
    town_people, rest = placed_people(sub_people, town_population, town_sub)
    towns = np.flatnonzero(town_people > 0)
    towns = towns[np.argsort(-town_people[towns], kind="stable")]  # the larger town keeps shared ground
    shaped = np.zeros(len(town_people), dtype=bool)
    shaped[[i for i in extents if town_people[i] > 0]] = True
    points = np.asarray(settle_geoms, dtype=object)[towns]
    footprints, footprint_km2, rest_km2 = {}, {}, {}
    for variant, density in URBAN_DENSITY_PER_KM2.items():
        discs = shapely.buffer(points, disc_radius_m(town_people[towns], density), quad_segs=8)
        taken: dict[int, object] = {}
        fp = []
        for k, row in enumerate(towns):
            sub = int(town_sub[row])
            shape = shapely.buffer(extents[row], EXTENT_MARGIN_KM[variant] * 1000.0) if shaped[row] else discs[k]
            own = shapely.intersection(shape, sub_polys[sub])
            if sub in taken:
                own = shapely.difference(own, taken[sub])
                taken[sub] = shapely.union(taken[sub], own)
            else:
                taken[sub] = own
            fp.append(own)
        footprints[variant] = np.array(fp, dtype=object)
        footprint_km2[variant] = area_km2(footprints[variant])
        held = np.bincount(town_sub[towns], weights=footprint_km2[variant], minlength=len(sub_areas))
        rest_km2[variant] = np.maximum(sub_areas - held, 0.0)
    return PeopleModel(
        town_people=town_people,
        town_sub=town_sub,
        towns=towns,
        shaped=shaped,
        rest_people=rest,
        sub_areas=sub_areas,
        footprints=footprints,
        footprint_km2=footprint_km2,
        rest_km2=rest_km2,
    )


def people_at_depth(model: PeopleModel, covered_km2, cover, sub_covered, sub_on_side, town_dist, depth_km):
    """People of each sub-district within ``depth_km`` of the border, per footprint variant and at points.

    ``cover`` is the border's buffer at that depth; ``covered_km2(polys, areas, cover)`` measures each
    polygon's area inside it; ``sub_covered`` is each sub-district's km² inside it; ``sub_on_side`` says
    which sub-districts the segment counts; ``town_dist`` is each settlement's distance to the segment (km).
    """
    n = len(model.rest_people)
    keys = (*FOOTPRINTS, AT_POINTS)
    if depth_km <= 0:
        return {key: np.zeros(n) for key in keys}
    subs = model.town_sub[model.towns]
    people = model.town_people[model.towns]
    with np.errstate(divide="ignore", invalid="ignore"):
        by_area = np.clip(sub_covered / model.sub_areas, 0.0, 1.0)
    out = {}
    for variant in FOOTPRINTS:
        area = model.footprint_km2[variant]
        inside = covered_km2(model.footprints[variant], area, cover)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(area > 0, inside / area, (town_dist[model.towns] <= depth_km).astype(float))
        towns = np.bincount(subs, weights=people * share, minlength=n)
        rest_area = model.rest_km2[variant]
        rest_inside = sub_covered - np.bincount(subs, weights=inside, minlength=n)
        with np.errstate(divide="ignore", invalid="ignore"):
            # the same areas measured piece by piece differ in the last digits: clip that, nothing more
            rest_share = np.where(rest_area > 1e-6, np.clip(rest_inside / rest_area, 0.0, 1.0), by_area)
        out[variant] = (towns + model.rest_people * rest_share) * sub_on_side
        if variant == CENTRAL:
            at_points = np.bincount(subs, weights=people * (town_dist[model.towns] <= depth_km), minlength=n)
            out[AT_POINTS] = (at_points + model.rest_people * by_area) * sub_on_side
    return out


def variants(at_depth, inner_km: float, outer_km: float) -> dict:
    """People of each sub-district in the zone (0–outer) and its band (inner–outer), per variant.

    ``at_depth(d)`` gives :func:`people_at_depth`'s result at depth ``d``. The variants: each footprint
    with the lines where they are and moved :data:`LINE_SHIFT_KM` towards and away from the border
    (both together), and each town at its point. The zone's inner edge at 0 is the border itself and
    does not move, and a zone 0 km deep holds nobody however the line moves. Returns
    ``{"zone": {variant: array}, "band": {variant: array}}``; the central
    estimate is ``(CENTRAL, 0.0)``.
    """
    zone, band = {}, {}
    for shift in (0.0, -LINE_SHIFT_KM, LINE_SHIFT_KM):
        outer = at_depth(max(outer_km + shift, 0.0) if outer_km > 0 else 0.0)  # a zone of 0 km holds nobody
        inner = at_depth(max(inner_km + shift, 0.0)) if inner_km > 0 else None
        for key in FOOTPRINTS:
            zone[(key, shift)] = outer[key]
            band[(key, shift)] = outer[key] if inner is None else np.maximum(outer[key] - inner[key], 0.0)
        if shift == 0.0:
            zone[AT_POINTS] = outer[AT_POINTS]
            band[AT_POINTS] = outer[AT_POINTS] if inner is None else np.maximum(outer[AT_POINTS] - inner[AT_POINTS], 0)
    return {"zone": zone, "band": band}


def straddling(model: PeopleModel, reach_km, town_dist, town_on_side, edges_km) -> list[tuple[int, float]]:
    """Towns of at least :data:`STRADDLE_MIN_PEOPLE` whose people count or not depending on where one of
    ``edges_km`` falls: the town's centre lies within the line's uncertainty (:data:`LINE_SHIFT_KM`) of it,
    or the line crosses the town's central footprint. Returns (k, edge) pairs, ``k`` indexing
    :attr:`PeopleModel.towns` and ``reach_km``, the nearest to its edge first."""
    found = []
    for edge in edges_km:
        if edge <= 0:
            continue
        for k, row in enumerate(model.towns):
            if model.town_people[row] < STRADDLE_MIN_PEOPLE or not town_on_side[row]:
                continue
            near, far = reach_km[k]
            if abs(town_dist[row] - edge) <= LINE_SHIFT_KM or near < edge < far:
                found.append((abs(town_dist[row] - edge), k, float(edge)))
    return [(k, edge) for _, k, edge in sorted(found)]


def low_confidence(central: float, low: float, high: float) -> bool:
    """A range wider than ±15 % of its central value."""
    if central <= 0:
        return high > 0
    return (high - central) > LOW_CONFIDENCE_SPREAD * central or (central - low) > LOW_CONFIDENCE_SPREAD * central
