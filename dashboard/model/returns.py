"""A returns what-if (pure): if N people settle in the zone, where do they live and how dense does it get.

Plans announced for a zone along the border spoke of resettling one to two million people and building
housing for them; briefers are asked what that would do to the area. This module answers it on top of the
engine's own figures for the current scenario, never its own: today's people per sub-district (central
value and low–high range) and the zone's geodesic area within each sub-district are read from the
engine's result (:func:`zone_from_impact`), so a better people model changes these figures too.

N people (0 to 4,000,000) are placed by one stated rule, and the arrivals add up to N exactly
(largest-remainder rounding, :func:`largest_remainder`):

- ``population``: in proportion to today's people of each sub-district inside the zone;
- ``area``: in proportion to each sub-district's area inside the zone;
- ``subdistricts``: into the chosen sub-districts only, in proportion to their people inside the zone
  (by area where the chosen hold nobody today);
- ``towns``: into the chosen GeoNames towns inside the zone only, in proportion to each town's GeoNames
  population (equally where none has one); a town's arrivals count in its sub-district.

People in need after arrival keep each sub-district's current ratio of people in need to people (OCHA
2023 HNO): an assumption, said wherever the figure is shown. Housing units are the arrivals of each
sub-district divided by an average household size, rounded up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

MAX_PEOPLE = 4_000_000  # the source text's "nearly 4 million refugees" in Türkiye, rounded up
DEFAULT_PEOPLE = 1_000_000  # the size of the 2019 and 2022 announcements (external RET-PLAN-*)
MAX_CHOSEN = 40  # sub-districts or towns a rule may name
RULES = {
    "population": "in proportion to today's people in the zone",
    "area": "in proportion to area in the zone",
    "subdistricts": "into chosen sub-districts (in proportion to their people in the zone)",
    "towns": "into chosen towns (in proportion to their GeoNames population)",
}
CHOOSING = ("subdistricts", "towns")  # the rules that name places
# Average household size: HNAP's nationwide demographic survey of mid-2021 estimated households "considering
# an average household size of 5 members throughout the country" (seeds/external.csv, RET-HOUSEHOLD-SIZE).
HOUSEHOLD_SIZE = 5.0
HOUSEHOLD_SOURCE = "RET-HOUSEHOLD-SIZE"
NEED_ASSUMPTION = (
    "People in need after arrival keep each sub-district's current share of people in need (OCHA 2023 HNO): "
    "an assumption, not a forecast; arrivals may be more or less in need than the people there today."
)
METHOD = (
    "Arrivals placed by the stated rule and rounded so that they add up to N exactly (largest remainder); "
    "people today are the engine's estimate for the zone with its low–high range; densities are people per "
    "km² of the zone's geodesic area within each sub-district; housing units are arrivals divided by an "
    f"average household size of {HOUSEHOLD_SIZE:g} (HNAP 2021), rounded up per sub-district."
)


class ReturnsError(ValueError):
    """A what-if that cannot be computed, in plain words a briefer can act on."""


def _people(value: object) -> int:
    if isinstance(value, bool) or value is None:
        raise ReturnsError("the number of people must be a whole number from 0 to 4,000,000")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        try:
            value = float(text) if text else None
        except ValueError:
            value = None
        if value is None:
            raise ReturnsError("the number of people must be a whole number from 0 to 4,000,000")
    if not isinstance(value, int | float) or isinstance(value, float) and not math.isfinite(value):
        raise ReturnsError("the number of people must be a whole number from 0 to 4,000,000")
    if value != int(value):
        raise ReturnsError(f"{value:g} is not a whole number of people")
    if not 0 <= value <= MAX_PEOPLE:
        raise ReturnsError(f"{int(value):,} people is outside 0 to {MAX_PEOPLE:,}")
    return int(value)


@dataclass(frozen=True)
class WhatIf:
    """How many people settle and by which rule; ``where`` names the sub-districts (OCHA p-codes) or towns
    (GeoNames ids) of the rules that choose places. Validated on creation: :class:`ReturnsError` says why."""

    people: int = DEFAULT_PEOPLE
    rule: str = "population"
    where: tuple[str, ...] = field(default=())

    def __post_init__(self):
        object.__setattr__(self, "people", _people(self.people))
        if not isinstance(self.rule, str) or self.rule not in RULES:
            raise ReturnsError(f"the rule must be one of: {', '.join(RULES)}")
        where = self.where
        if isinstance(where, str):
            where = tuple(w for w in where.split(",") if w.strip())
        if not isinstance(where, list | tuple) or not all(isinstance(w, str) for w in where):
            raise ReturnsError("the chosen places must be a list of sub-district or town codes")
        where = tuple(dict.fromkeys(w.strip() for w in where if w.strip()))
        if self.rule not in CHOOSING:
            where = ()
        elif not where:
            kind = "sub-district" if self.rule == "subdistricts" else "town"
            raise ReturnsError(f"the rule '{self.rule}' needs at least one {kind}")
        if len(where) > MAX_CHOSEN:
            raise ReturnsError(f"{len(where)} places chosen; the limit is {MAX_CHOSEN}")
        object.__setattr__(self, "where", where)

    def to_dict(self) -> dict:
        return {"people": self.people, "rule": self.rule, "where": list(self.where)}

    def label(self) -> str:
        text = f"{self.people:,} people settling {RULES[self.rule]}"
        return text + (f" ({len(self.where)} chosen)" if self.where else "")


def from_record(record: object) -> WhatIf:
    """A what-if from a plain JSON record (a deck step's "returns"); ReturnsError says what is wrong."""
    if not isinstance(record, Mapping):
        raise ReturnsError("the returns what-if must be an object with people, rule and where")
    unknown = set(record) - {"people", "rule", "where"}
    if unknown:
        raise ReturnsError(f"unknown keys in the returns what-if: {', '.join(sorted(map(str, unknown)))}")
    return WhatIf(record.get("people", DEFAULT_PEOPLE), record.get("rule", "population"), record.get("where", ()))


@dataclass(frozen=True)
class Zone:
    """What the engine says about the zone, per sub-district (all of them; ``km2`` 0 where it misses one),
    and the GeoNames towns (``town_sub``: index of the town's sub-district, -1 for none)."""

    ids: np.ndarray
    names: np.ndarray
    districts: np.ndarray
    km2: np.ndarray  # geodesic area of the zone within each sub-district
    people: np.ndarray  # today's people inside the zone: central estimate
    people_low: np.ndarray
    people_high: np.ndarray
    need_ratio: np.ndarray  # people in need / people, per sub-district (HNO 2023)
    town_ids: np.ndarray
    town_names: np.ndarray
    town_sub: np.ndarray
    town_population: np.ndarray
    town_inside: np.ndarray

    @property
    def inside(self) -> np.ndarray:
        return self.km2 > 0


def zone_from_impact(impact, need_ratio: np.ndarray, town_sub: np.ndarray) -> Zone:
    """The zone as the engine computed it for a scenario: its sub-district table (people with their range,
    the zone's km²) and settlements, in the engine's sub-district order. ``need_ratio`` is the engine's
    :func:`dashboard.model.impact.share_in_need`; ``town_sub`` each settlement's sub-district index."""
    subs = impact.columns["subdistricts"]
    towns = impact.columns["settlements"]
    return Zone(
        ids=np.asarray(subs["id"], dtype=object),
        names=np.asarray(subs["name"], dtype=object),
        districts=np.asarray(subs["district"], dtype=object),
        km2=np.asarray(subs["zone_km2"], dtype=float),
        people=np.asarray(subs["people_zone"], dtype=float),
        people_low=np.asarray(subs["people_zone_low"], dtype=float),
        people_high=np.asarray(subs["people_zone_high"], dtype=float),
        need_ratio=np.asarray(need_ratio, dtype=float),
        town_ids=np.asarray(towns["id"], dtype=object),
        town_names=np.asarray(towns["name"], dtype=object),
        town_sub=np.asarray(town_sub, dtype=int),
        town_population=np.nan_to_num(np.asarray(towns["population"], dtype=float)),
        town_inside=np.asarray(towns["inside"], dtype=bool) & (np.asarray(town_sub) >= 0),
    )


def largest_remainder(total: int, weights) -> np.ndarray:
    """Whole shares of ``total`` in proportion to ``weights`` that add up to ``total`` exactly: each gets
    the floor of its quota, and what is left goes one by one to the largest remainders (ties: first)."""
    weights = np.asarray(weights, dtype=float)
    out = np.zeros(len(weights), dtype=np.int64)
    mass = weights.sum()
    if total <= 0 or mass <= 0:
        return out
    # exact where it matters: quotas in integer arithmetic on weights scaled to integers would be exact,
    # but float quotas are exact enough below 2**53; the remainder step makes the sum exact regardless
    quota = weights / mass * total
    out = np.floor(quota).astype(np.int64)
    out = np.minimum(out, total)
    left = total - int(out.sum())
    if left > 0:
        order = np.lexsort((np.arange(len(weights)), -(quota - out)))
        order = order[weights[order] > 0]
        out[order[:left]] += 1
    elif left < 0:  # floats rounded a floor up: take back from the smallest remainders
        order = np.lexsort((np.arange(len(weights)), quota - out))
        order = order[out[order] > 0]
        out[order[:-left]] -= 1
    return out


def _chosen(whatif: WhatIf, zone: Zone) -> tuple[np.ndarray, np.ndarray | None]:
    """Per sub-district weights of the rule, and per town arrivals weights for the towns rule."""
    inside = zone.inside
    if whatif.rule == "population":
        if whatif.people and zone.people[inside].sum() <= 0:
            raise ReturnsError("by the estimate nobody lives in this zone today: use the rule 'area'")
        return np.where(inside, zone.people, 0.0), None
    if whatif.rule == "area":
        return np.where(inside, zone.km2, 0.0), None
    if whatif.rule == "subdistricts":
        known = set(zone.ids[inside])
        named = [w for w in whatif.where if w in known]
        if not named:
            raise ReturnsError(
                "none of the chosen sub-districts lies in the zone of this scenario: choose from "
                + ", ".join(sorted(zone.names[inside])[:12])
                + ("…" if inside.sum() > 12 else "")
            )
        chosen = inside & np.isin(zone.ids, named)
        weights = np.where(chosen, zone.people, 0.0)
        return (weights if weights.sum() > 0 else np.where(chosen, zone.km2, 0.0)), None
    named = set(whatif.where)
    towns = zone.town_inside & np.isin(zone.town_ids, list(named))
    if not towns.any():
        raise ReturnsError("none of the chosen towns lies in the zone of this scenario: choose a town inside it")
    pop = np.where(towns, zone.town_population, 0.0)
    return np.zeros(len(zone.ids)), (pop if pop.sum() > 0 else towns.astype(float))


@dataclass(frozen=True)
class Outcome:
    """The what-if's figures: ``table`` has one row per sub-district in the zone (columns as plain arrays),
    ``towns`` the arrivals of each chosen town (towns rule only), ``totals`` the zone's sums."""

    whatif: WhatIf
    table: dict
    towns: dict
    totals: dict
    household_size: float = HOUSEHOLD_SIZE
    left_out: tuple[str, ...] = ()  # chosen places outside this zone, by name: said, never dropped in silence

    @property
    def arrivals_total(self) -> int:
        return int(self.table["arrivals"].sum())


def _density(people: np.ndarray, km2: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(km2 > 0, people / km2, 0.0)


def outcome(whatif: WhatIf, zone: Zone, household_size: float = HOUSEHOLD_SIZE) -> Outcome:
    """Where N people settle by the rule, and what it does to people, density, need and housing."""
    if whatif.people and not zone.inside.any():
        raise ReturnsError("this scenario's zone covers no sub-district: widen the zone first")
    weights, town_weights = _chosen(whatif, zone)
    n_sub = len(zone.ids)
    towns: dict = {}
    if town_weights is not None:
        town_arrivals = largest_remainder(whatif.people, town_weights)
        sub_arrivals = np.bincount(
            np.maximum(zone.town_sub, 0), weights=town_arrivals * (zone.town_sub >= 0), minlength=n_sub
        ).astype(np.int64)
        hit = town_arrivals > 0
        towns = {
            "id": zone.town_ids[hit],
            "name": zone.town_names[hit],
            "subdistrict": zone.names[zone.town_sub[hit]],
            "arrivals": town_arrivals[hit],
        }
    else:
        sub_arrivals = largest_remainder(whatif.people, weights)
    rows = zone.inside | (sub_arrivals > 0)
    km2 = zone.km2[rows]
    arrivals = sub_arrivals[rows]
    today, low, high = zone.people[rows], zone.people_low[rows], zone.people_high[rows]
    ratio = zone.need_ratio[rows]
    housing = np.ceil(arrivals / household_size).astype(np.int64)
    table = {
        "id": zone.ids[rows],
        "name": zone.names[rows],
        "district": zone.districts[rows],
        "zone_km2": km2,
        "people_today": today,
        "people_today_low": low,
        "people_today_high": high,
        "arrivals": arrivals,
        "people_after": today + arrivals,
        "people_after_low": low + arrivals,
        "people_after_high": high + arrivals,
        "density_before": _density(today, km2),
        "density_after": _density(today + arrivals, km2),
        "density_increase": _density(arrivals.astype(float), km2),
        "need_ratio": ratio,
        "in_need_before": today * ratio,
        "in_need_after": (today + arrivals) * ratio,
        "housing_units": housing,
    }
    area = float(km2.sum())
    totals = {
        "zone_km2": area,
        "people_today": float(today.sum()),
        "people_today_low": float(low.sum()),
        "people_today_high": float(high.sum()),
        "arrivals": int(arrivals.sum()),
        "people_after": float(today.sum() + arrivals.sum()),
        "people_after_low": float(low.sum() + arrivals.sum()),
        "people_after_high": float(high.sum() + arrivals.sum()),
        "density_before": float(today.sum() / area) if area else 0.0,
        "density_after": float((today.sum() + arrivals.sum()) / area) if area else 0.0,
        "in_need_before": float(table["in_need_before"].sum()),
        "in_need_after": float(table["in_need_after"].sum()),
        "housing_units": int(housing.sum()),
        "subdistricts_receiving": int((arrivals > 0).sum()),
    }
    return Outcome(whatif, table, towns, totals, household_size, left_out(whatif, zone))


def left_out(whatif: WhatIf, zone: Zone) -> tuple[str, ...]:
    """The chosen sub-districts or towns that this zone does not reach (by name where known), in the order
    chosen: the rule puts nobody there, and the page and the CLI say so."""
    if whatif.rule == "subdistricts":
        inside, names = set(zone.ids[zone.inside]), dict(zip(zone.ids, zone.names, strict=True))
    elif whatif.rule == "towns":
        inside = set(zone.town_ids[zone.town_inside])
        names = dict(zip(zone.town_ids, zone.town_names, strict=True))
    else:
        return ()
    return tuple(str(names.get(w, w)) for w in whatif.where if w not in inside)


def summary(result: Outcome) -> str:
    """One sentence a briefer can read out."""
    t = result.totals
    growth = t["arrivals"] / t["people_today"] if t["people_today"] else float("inf")
    return (
        f"{t['arrivals']:,} people settling {RULES[result.whatif.rule]}: the zone goes from ≈{t['people_today']:,.0f} "
        f"(range {t['people_today_low']:,.0f}–{t['people_today_high']:,.0f}) to ≈{t['people_after']:,.0f} people "
        f"({'+' + format(growth, '.0%') if math.isfinite(growth) else 'from nobody'}), "
        f"{t['density_before']:,.0f} → {t['density_after']:,.0f} people per km²; "
        f"{t['housing_units']:,} housing units at {result.household_size:g} people per household."
        + (f" Not in this zone, so nobody placed there: {', '.join(result.left_out)}." if result.left_out else "")
    )


def zone_of(geo, impact) -> Zone:
    """:func:`zone_from_impact` with the engine's need ratios and the settlements' sub-districts."""
    from dashboard.model.impact import share_in_need

    return zone_from_impact(impact, share_in_need(geo), geo.hot.settle_sub)


CONTEXT_CATEGORIES = ("resettlement_plans", "returns_since_2024", "household_size")


def context_rows(external: list[dict]) -> list[dict]:
    """The registry's cited context figures of the what-if (seeds/external.csv): announced resettlement and
    housing plans, returns recorded since December 2024, and the household size used, oldest first."""
    return sorted((r for r in external if r["category"] in CONTEXT_CATEGORIES), key=lambda r: r["date"])


def to_json(result: Outcome, scenario=None) -> dict:
    """The what-if as plain JSON values: its parameters, the zone's totals, each sub-district and town."""

    def plain(columns: dict) -> list[dict]:
        keys = list(columns)
        n = len(columns[keys[0]]) if keys else 0
        return [{k: _plain(columns[k][i]) for k in keys} for i in range(n)]

    return {
        "what_if": result.whatif.to_dict(),
        "rule": RULES[result.whatif.rule],
        "scenario": scenario.to_dict() if scenario is not None else None,
        "household_size": result.household_size,
        "household_size_source": HOUSEHOLD_SOURCE,
        "assumption": NEED_ASSUMPTION,
        "method": METHOD,
        "totals": {k: _plain(v) for k, v in result.totals.items()},
        "subdistricts": plain(result.table),
        "towns": plain(result.towns) if result.towns else [],
        "left_out": list(result.left_out),
    }


def _plain(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return round(float(value), 3)
    return value


def of_step(geo, impact, whatif: WhatIf | None) -> Outcome | str | None:
    """A briefing step's what-if: its outcome, the plain reason it cannot be computed for the step's zone
    (a pack or slide says it instead of failing), or None where the step has none."""
    if whatif is None:
        return None
    try:
        return outcome(whatif, zone_of(geo, impact))
    except ReturnsError as exc:
        return f"The returns what-if ({whatif.label()}) cannot be computed for this zone: {exc}."


def briefing_rows(result: Outcome, top: int = 5) -> list[tuple[str, str, str]]:
    """(figure, before, after) for a pack or a slide: the zone's totals, then the sub-districts receiving most."""
    t = result.totals
    rows = [
        (
            "People in the zone",
            f"≈{t['people_today']:,.0f} ({t['people_today_low']:,.0f}–{t['people_today_high']:,.0f})",
            f"≈{t['people_after']:,.0f}",
        ),
        ("People per km²", f"{t['density_before']:,.0f}", f"{t['density_after']:,.0f}"),
        ("People in need (today's ratio)", f"{t['in_need_before']:,.0f}", f"{t['in_need_after']:,.0f}"),
        (f"Housing units ({result.household_size:g} per household)", "—", f"{t['housing_units']:,}"),
    ]
    table = result.table
    order = np.argsort(-table["arrivals"], kind="stable")[:top]
    rows += [
        (
            f"{table['name'][i]} (+{table['arrivals'][i]:,})",
            f"{table['density_before'][i]:,.0f} per km²",
            f"{table['density_after'][i]:,.0f} per km²",
        )
        for i in order
        if table["arrivals"][i] > 0
    ]
    return rows
