"""The texts' incidents in the conflict events: where a figure of the texts (or an external reference figure)
names an incident that UCDP could hold, the events found there and then, and whether the counts agree.

The incidents are curated in ``seeds/incidents.csv``: the figure, a place of the project's own layers (a post or
a GeoNames settlement), the days to search (both included) and a radius. The events are found here, by geodesic
distance on the WGS84 ellipsoid, so the match is a rule anyone can rerun, not a hand-picked event id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyproj

WGS84 = pyproj.Geod(ellps="WGS84")
ALL_SIDES = "UCDP counts every death in an event, on all sides; the figures count one side's dead"
FOUND = ("id", "date", "km", "sides", "best", "low", "high")  # the columns of the events found for an incident
PLACE_LAYERS = {"post": "posts", "settlement": "settlements"}  # the first word of an incident's ``place``


@dataclass(frozen=True)
class Claim:
    """A figure an incident is about: its range (low = high for an exact count), what it says, and where from."""

    low: float
    high: float
    says: str
    source: str

    @property
    def text(self) -> str:
        return f"{self.low:,.0f}" if self.low == self.high else f"{self.low:,.0f}–{self.high:,.0f}"


@dataclass(frozen=True)
class IncidentMatch:
    figure: str
    claim: Claim
    place: str  # the place's name, or "" when the incident cannot be in the dataset
    first_day: dt.date
    last_day: dt.date
    radius_km: float | None
    events: pd.DataFrame  # id, date, km (from the place), sides, best, low, high; nearest first
    verdict: str
    note: str

    @property
    def when(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.first_day:%d %b %Y}"
        return f"{self.first_day:%d %b %Y}–{self.last_day:%d %b %Y}"


def claims(registry: list, external: list[dict]) -> dict[str, Claim]:
    """Every figure an incident may name: the texts' registry (value, or its low–high for vague amounts) and
    the external reference rows."""
    out = {}
    for f in registry:
        if f.value is not None or f.low is not None:
            low = f.low if f.low is not None else f.value
            high = f.high if f.high is not None else f.value
            out[f.id] = Claim(low, high, f"“{f.quote}”: {f.measures}", f"seeds/{f.file} (registry {f.id})")
    for row in external:
        try:
            value = float(row["value"])
        except ValueError:  # a date or a word: no count to compare
            continue
        low = float(row["low"]) if row["low"] else value
        high = float(row["high"]) if row["high"] else value
        out[row["id"]] = Claim(low, high, row["metric"], row["source_title"])
    return out


def places(layers_lonlat: dict) -> dict[str, tuple[str, float, float]]:
    """The places an incident may name, as "post LP03" or "settlement gn164816": (name, lon, lat)."""
    out = {}
    for kind, layer in PLACE_LAYERS.items():
        frame = layers_lonlat[layer]
        for pid, name, point in zip(frame["id"], frame["name"], frame.geometry, strict=True):
            out[f"{kind} {pid}"] = (str(name), point.x, point.y)
    return out


def match_incidents(
    incidents: list[dict], figures: dict[str, Claim], where: dict[str, tuple[str, float, float]], events: pd.DataFrame
) -> list[IncidentMatch]:
    """Each incident with the events within its radius on its days, and the verdict on the counts. An incident
    naming a figure or a place the project does not have is an error of the curated table, raised as such."""
    out = []
    for row in incidents:
        first, last = dt.date.fromisoformat(row["first_day"]), dt.date.fromisoformat(row["last_day"])
        claim = figures.get(row["figure"])
        if claim is None:
            raise ValueError(f"seeds/incidents.csv: figure {row['figure']} is in neither figures.csv nor external.csv")
        if not row["place"]:  # outside what the dataset holds: said, not searched
            found, name, radius = pd.DataFrame(columns=list(FOUND)), "", None
            verdict = "outside the dataset (see the note)"
        else:
            if row["place"] not in where:
                raise ValueError(f"seeds/incidents.csv: place {row['place']} is in no layer of geodata/")
            name, lon, lat = where[row["place"]]
            radius = float(row["radius_km"])
            found = events_near(events, lon, lat, first, last, radius)
            verdict = judge(claim, found, radius)
        out.append(IncidentMatch(row["figure"], claim, name, first, last, radius, found, verdict, row["note"]))
    return out


def events_near(events: pd.DataFrame, lon: float, lat: float, first, last, radius_km: float) -> pd.DataFrame:
    """The events on the days (both included) within ``radius_km`` of the point on the ellipsoid, nearest first."""
    days = events[(events["date"] >= first.isoformat()) & (events["date"] <= last.isoformat())]
    n = len(days)
    _, _, metres = WGS84.inv(np.full(n, lon), np.full(n, lat), days["lon"].to_numpy(), days["lat"].to_numpy())
    near = days.assign(km=np.asarray(metres) / 1000.0)
    near = near[near["km"] <= radius_km].sort_values("km", kind="stable")
    return near[list(FOUND)].reset_index(drop=True)


def _deaths(best, low, high) -> str:
    return f"{best:,.0f} deaths" + ("" if low == high == best else f" ({low:,.0f}–{high:,.0f})")


def judge(claim: Claim, found: pd.DataFrame, radius_km: float) -> str:
    """Where the counts agree or differ: an event whose low–high meets the figure's range agrees (the nearest
    such); else all the events there together; else they differ, and by how much."""
    if found.empty:
        return f"differs: UCDP holds no event within {radius_km:g} km on those days"
    meets = found[(found["low"] <= claim.high) & (found["high"] >= claim.low)]
    if not meets.empty:
        event = meets.iloc[0]
        said = (
            f"agrees: UCDP event {event['id']}, {event['km']:.1f} km away on "
            f"{dt.date.fromisoformat(event['date']):%d %b %Y}, "
            f"{_deaths(event['best'], event['low'], event['high'])}"
        )
        others = found[found["id"] != event["id"]]
        if not others.empty:
            said += (
                f"; {len(others)} other event{'s' if len(others) > 1 else ''} within {radius_km:g} km then, "
                f"{_deaths(others['best'].sum(), others['low'].sum(), others['high'].sum())}"
            )
        return said
    best, low, high = found["best"].sum(), found["low"].sum(), found["high"].sum()
    events = f"{len(found)} event{'s' if len(found) > 1 else ''} within {radius_km:g} km, {_deaths(best, low, high)}"
    if low <= claim.high and high >= claim.low:
        return f"agrees taken together: UCDP has {events}"
    gap = best - (claim.low + claim.high) / 2
    return f"differs: UCDP has {events}, {abs(gap):,.0f} {'more' if gap > 0 else 'fewer'} than the figure"
