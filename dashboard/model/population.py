"""People where they live: a dasymetric estimate of how many of a sub-district's people a zone covers (pure).

Each sub-district's 2023 total (OCHA HNO) is kept exact and split in two:

- **people in towns**: every GeoNames place with a population in the sub-district is a disc centred on its
  point, holding its GeoNames population (scaled down, never up, so the towns of a sub-district hold no
  more than its 2023 total). The disc's area is its people divided by an urban density;
- **everyone else**, the rest of the 2023 total, spread evenly over the sub-district outside the discs.

A zone covers the part of a disc that lies within its depth (the disc cut by a straight edge at the zone's
depth: towns are small beside the zone's curvature) and its share of the rest by area. The urban density
is an assumption, not a measured figure, so the estimate is computed at three densities and the low–high
range is the spread of the three: the range says how much the figure depends on where in each town its
people live. Where a sub-district has no populated GeoNames place, its people are spread by area alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# People per km² of a town's built-up area: an assumption, not a figure from a source. 10,000 is the
# central value; 5,000 and 20,000 (half and double) bracket sprawling market towns and the dense cores of
# Aleppo and Idlib, so the range shows how much a figure depends on it.
URBAN_DENSITY_PER_KM2 = {"sparse": 5_000.0, "central": 10_000.0, "dense": 20_000.0}
CENTRAL = "central"
LOW_CONFIDENCE_SPREAD = 0.15  # a range wider than ±15 % of its central value is labelled low confidence
METHOD = (
    "people where they live: each GeoNames town's people on a disc of 10,000 people per km² (5,000–20,000 "
    "for the range), the rest of each sub-district's 2023 total spread evenly outside the towns; "
    "sub-district totals kept exact"
)
ASSUMPTIONS = (
    "Urban density 5,000–20,000 people per km² (central 10,000) is an assumption, not a sourced figure. "
    "Town populations are GeoNames' figures, mostly older census counts, scaled down where a sub-district's "
    "towns would exceed its 2023 total. Camps and villages without a GeoNames population are part of the "
    "evenly spread rest."
)


@dataclass(frozen=True)
class TownModel:
    """What the estimate needs per town and per sub-district, computed once from the layers."""

    town_people: np.ndarray  # people placed in each town (0 for places with no population)
    town_sub: np.ndarray  # index of the town's sub-district (-1: none)
    rest_people: np.ndarray  # per sub-district: its 2023 total less the people placed in its towns
    sub_area_km2: np.ndarray
    disc_km2: dict[str, np.ndarray]  # per density: each town's disc area
    radius_km: dict[str, np.ndarray]
    rest_area_km2: dict[str, np.ndarray]  # per density: each sub-district's area outside its discs


def town_model(sub_people, sub_area_km2, town_population, town_sub) -> TownModel:
    """Place each sub-district's people: towns first (never more than the sub-district holds), then the rest."""
    sub_people = np.asarray(sub_people, dtype=float)
    sub_area_km2 = np.asarray(sub_area_km2, dtype=float)
    town_sub = np.asarray(town_sub, dtype=int)
    n = len(sub_people)
    counted = (town_sub >= 0) & np.isfinite(town_population) & (np.asarray(town_population) > 0)
    pop = np.where(counted, np.nan_to_num(np.asarray(town_population, dtype=float)), 0.0)
    in_towns = np.bincount(np.maximum(town_sub, 0), weights=pop, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(in_towns > 0, np.minimum(1.0, sub_people / in_towns), 0.0)
    town_people = pop * scale[np.maximum(town_sub, 0)]
    rest = np.maximum(sub_people - np.bincount(np.maximum(town_sub, 0), weights=town_people, minlength=n), 0.0)
    disc, radius, rest_area = {}, {}, {}
    for name, density in URBAN_DENSITY_PER_KM2.items():
        disc[name] = town_people / density
        radius[name] = np.sqrt(disc[name] / np.pi)
        rest_area[name] = sub_area_km2 - np.bincount(np.maximum(town_sub, 0), weights=disc[name], minlength=n)
    return TownModel(town_people, town_sub, rest, sub_area_km2, disc, radius, rest_area)


def disc_share(depth_km: float, distance_km: np.ndarray, radius_km: np.ndarray) -> np.ndarray:
    """Share of each town's disc within ``depth_km`` of the border: a disc cut by a straight edge."""
    if depth_km <= 0:
        return np.zeros(len(distance_km))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip((depth_km - distance_km) / radius_km, -1.0, 1.0)
    share = (np.pi - np.arccos(t) + t * np.sqrt(1.0 - t * t)) / np.pi
    return np.where(radius_km > 0, share, (distance_km <= depth_km).astype(float))


def people_within(
    model: TownModel,
    density: str,
    depth_km: float,
    covered_km2: np.ndarray,
    town_distance_km: np.ndarray,
    sub_on_side: np.ndarray,
    sub_reach_km: np.ndarray | None = None,
) -> np.ndarray:
    """People of each sub-district within ``depth_km`` of the border, at one urban density.

    ``covered_km2`` is the area of each sub-district within that depth (0 for sub-districts off the
    segment's side); ``sub_on_side`` says which sub-districts the segment counts at all; ``sub_reach_km``
    (nearest and farthest distance of each sub-district from the border) keeps a town's disc within its
    own sub-district: a zone that covers the whole sub-district covers the whole town, one that misses
    the sub-district misses the town, even where the disc is drawn wider than the sub-district.
    """
    n = len(model.rest_people)
    if depth_km <= 0:
        return np.zeros(n)
    sub = np.maximum(model.town_sub, 0)
    counted = (model.town_sub >= 0) & sub_on_side[sub]
    share = disc_share(depth_km, town_distance_km, model.radius_km[density])
    if sub_reach_km is not None:
        inside_all, outside_all = depth_km >= sub_reach_km[sub, 1], depth_km <= sub_reach_km[sub, 0]
        share = np.where(inside_all, 1.0, np.where(outside_all, 0.0, share))
    share = share * counted
    towns = np.bincount(sub, weights=model.town_people * share, minlength=n)
    disc_inside = np.bincount(sub, weights=model.disc_km2[density] * share, minlength=n)
    rest_area = model.rest_area_km2[density]
    with np.errstate(divide="ignore", invalid="ignore"):
        outside_towns = np.clip((covered_km2 - disc_inside) / rest_area, 0.0, 1.0)
        by_area = np.clip(covered_km2 / model.sub_area_km2, 0.0, 1.0)
    rest_share = np.where(rest_area > 1e-9, outside_towns, by_area)  # towns fill it: spread the rest by area
    return towns + model.rest_people * rest_share * sub_on_side


def low_confidence(central: float, low: float, high: float) -> bool:
    """A range wider than ±15 % of its central value."""
    if central <= 0:
        return high > 0
    return (high - central) > LOW_CONFIDENCE_SPREAD * central or (central - low) > LOW_CONFIDENCE_SPREAD * central
