"""A scenario month by month: where the fighting was against the zone, the posts' status, the texts' dates.

For each month of the events data's span (UCDP GED 21.1: 2017-01 to 2020-12, the months the escalation chart
shows) this gives the events and deaths inside the zone, in its band, and outside it in the rest of the
north-west; the observation posts' status on the month's last day (from the dates their reports give); and the
dated events of ``seeds/timeline.csv`` that fall in it, each with the source-text quotes that name it. The
zone, the band and the posts' status are the engine's own (:func:`impact.event_masks`, :func:`post_status`,
:func:`impact.post_table`), so a month's figures are what the scenario would say with that month as its window
and its last day as its as-of date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from dashboard.model.geography import Geography
from dashboard.model.impact import MONTHLY_FROM, MONTHLY_TO, event_masks, post_table
from dashboard.model.posts import STATUSES, post_status
from dashboard.model.scenario import Scenario, first_day, last_day
from dashboard.sources.seeds import Figure, dated_figures, figures_naming

SPAN = (MONTHLY_FROM, MONTHLY_TO)  # the months a time control, a grid or the CLI may show
PLACES = ("inside", "in_band", "outside")
OUTSIDE = "outside the zone in the rest of the north-west (Aleppo, Hama, Lattakia, Idlib governorates)"
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class MonthError(ValueError):
    """A month that is not YYYY-MM within the span, or a run of months that goes backwards."""


def parse_month(text: str, span: tuple[str, str] = SPAN) -> str:
    """A month as "YYYY-MM", checked against the span; the message says what is allowed."""
    m = _MONTH.fullmatch(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise MonthError(f"{text!r} is not a month: YYYY-MM, {span[0]} to {span[1]}")
    month = m.group(0)
    if not span[0] <= month <= span[1]:
        raise MonthError(f"{month} is outside the events data's months: {span[0]} to {span[1]}")
    return month


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included ("2019-11", "2019-12", "2020-01")."""
    if last < first:
        raise MonthError(f"the run of months goes backwards: {first} to {last}")
    a, b = (np.datetime64(m, "M") for m in (first, last))
    return [str(a + k) for k in range(int(b - a) + 1)]


def month_index(month: str) -> int:
    """Months since January 1970, the unit of :attr:`EventArrays.month`."""
    return int(np.datetime64(month, "M").astype(np.int64))


@dataclass(frozen=True)
class Dated:
    """An event of the seeds' timeline: its day, what happened, its source, and the texts' quotes naming it."""

    date: str
    event: str
    category: str
    source_title: str
    source_url: str
    quotes: tuple[tuple[str, str], ...] = ()  # (registry id, exact quote) of the source texts

    def to_dict(self) -> dict:
        return {**self.__dict__, "quotes": [{"id": i, "quote": q} for i, q in self.quotes]}


@dataclass(frozen=True)
class Month:
    """One month of a scenario. Deaths are UCDP's best with its low and high (lower bounds: see EVENTS_CAVEAT)."""

    month: str
    last_day: dt.date
    events: dict  # place ("inside", "in_band", "outside") -> events
    deaths: dict  # place -> (best, low, high)
    posts: dict  # status -> post ids on the last day, in the posts' order (statuses with none left out)
    posts_inside: dict  # likewise, the posts inside the zone
    dated: list[Dated] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "month": self.month,
            "posts_on": self.last_day.isoformat(),
            "events": dict(self.events),
            "deaths": {k: {"best": b, "low": lo, "high": hi} for k, (b, lo, hi) in self.deaths.items()},
            "posts": {k: list(v) for k, v in self.posts.items()},
            "posts_inside": {k: list(v) for k, v in self.posts_inside.items()},
            "dated": [d.to_dict() for d in self.dated],
        }


def dated_by_month(timeline: list[dict], registry: list[Figure], months: list[str]) -> dict[str, list[Dated]]:
    """The timeline's events in each month, in date order, each with the quotes of the figures naming its day."""
    named = dated_figures(registry)
    out: dict[str, list[Dated]] = {m: [] for m in months}
    for row in sorted(timeline, key=lambda r: r["date"]):
        month = row["date"][:7]
        if month in out:
            hits = figures_naming(named, dt.date.fromisoformat(row["date"]))
            quotes = tuple((f.id, f.quote) for f in hits)
            out[month].append(
                Dated(row["date"], row["event"], row["category"], row["source_title"], row["source_url"], quotes)
            )
    return out


def event_months(geo: Geography, scenario: Scenario, first: str, last: str) -> dict[str, np.ndarray]:
    """Events and deaths (best, low, high) per month of first..last: arrays indexed by the month's place in
    the run, for each of :data:`PLACES`. The masks are the engine's, with the whole run as the window."""
    run = replace(scenario, events_from=first_day(first), events_to=last_day(last))
    masks = event_masks(geo, run)
    masks = {"inside": masks["inside"], "in_band": masks["in_band"], "outside": masks["north_west"] & ~masks["inside"]}
    ev = geo.events
    n = month_index(last) - month_index(first) + 1
    offset = ev.month - month_index(first)
    out = {}
    for place, mask in masks.items():
        out[f"events_{place}"] = np.bincount(offset[mask], minlength=n)
        for what in ("best", "low", "high"):
            out[f"{what}_{place}"] = np.bincount(offset[mask], weights=getattr(ev, what)[mask], minlength=n)
    return out


def post_statuses(geo: Geography, on: dt.date) -> np.ndarray:
    """Each post's status on a day, from its dated records (the engine's rule, as the scenario's as-of)."""
    return np.array([post_status(*dates, on) for dates in geo.hot.post_dates], dtype=object)


def _by_status(ids, status, keep) -> dict:
    grouped = {s: tuple(i for i, st, k in zip(ids, status, keep, strict=True) if k and st == s) for s in STATUSES}
    return {s: v for s, v in grouped.items() if v}


def month_figures(
    geo: Geography, scenario: Scenario, first: str, last: str, timeline: list[dict], registry: list[Figure]
) -> list[Month]:
    """The scenario's figures for every month of first..last (see the module's docstring)."""
    months = months_between(parse_month(first), parse_month(last))
    counts = event_months(geo, scenario, first, last)
    dated = dated_by_month(timeline, registry, months)
    out = []
    for k, month in enumerate(months):
        end = last_day(month)
        status = post_statuses(geo, end)
        table = post_table(geo, replace(scenario, as_of=end), status)
        ids = list(table["id"])
        out.append(
            Month(
                month=month,
                last_day=end,
                events={p: int(counts[f"events_{p}"][k]) for p in PLACES},
                deaths={p: tuple(float(counts[f"{w}_{p}"][k]) for w in ("best", "low", "high")) for p in PLACES},
                posts=_by_status(ids, status, [True] * len(ids)),
                posts_inside=_by_status(ids, status, table["inside"]),
                dated=dated[month],
            )
        )
    return out


def status_counts(month: Month, inside: bool = False) -> Counter:
    """How many posts have each status in a month (all posts, or those inside the zone)."""
    return Counter({s: len(v) for s, v in (month.posts_inside if inside else month.posts).items()})
