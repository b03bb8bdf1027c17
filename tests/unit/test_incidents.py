"""The texts' incidents matched to UCDP events: the rule (days both included, a geodesic radius), the verdict on
the counts, the curated table held to the project's figures and layers, and the real matches it gives."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyproj
import pytest

from dashboard.model import incidents
from dashboard.model.incidents import Claim, events_near, judge, match_incidents
from dashboard.sources import seeds

GEOD = pyproj.Geod(ellps="WGS84")
PLACE = (36.5, 35.7)  # lon, lat
DAY = dt.date(2020, 2, 27)


def event(eid: int, km: float, date: str = "2020-02-27", best=10, low=None, high=None, bearing=90.0) -> dict:
    """An event ``km`` from the place, measured on the ellipsoid, as the dataset's rows are written."""
    lon, lat, _ = GEOD.fwd(PLACE[0], PLACE[1], bearing, km * 1000.0)
    low = best if low is None else low
    high = best if high is None else high
    return {"id": eid, "date": date, "lon": lon, "lat": lat, "sides": "A – B", "best": best, "low": low, "high": high}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["id", "date", "lon", "lat", "sides", "best", "low", "high"])


def test_the_radius_is_geodesic_and_the_days_are_both_included():
    events = frame(
        event(1, 9.99),
        event(2, 10.01, bearing=0.0),
        event(3, 2.0, date="2020-02-26"),
        event(4, 2.0, date="2020-02-28"),
        event(5, 0.5, date="2020-02-28"),
    )
    one_day = events_near(events, *PLACE, DAY, DAY, 10.0)
    assert list(one_day["id"]) == [1]
    two_days = events_near(events, *PLACE, DAY, DAY + dt.timedelta(days=1), 10.0)
    assert list(two_days["id"]) == [5, 4, 1]  # nearest first
    assert two_days["km"].iloc[-1] == pytest.approx(9.99, abs=1e-6)


def test_an_event_whose_range_meets_the_figure_agrees_and_the_others_are_said():
    claim = Claim(33, 34, "soldiers killed", "a report")
    found = events_near(frame(event(1, 1.5, best=23), event(2, 3.3, best=34, low=33, high=34)), *PLACE, DAY, DAY, 10.0)
    said = judge(claim, found, 10.0)
    assert said.startswith("agrees: UCDP event 2, 3.3 km away on 27 Feb 2020, 34 deaths (33–34)")
    assert said.endswith("; 1 other event within 10 km then, 23 deaths")


def test_events_that_agree_only_together_say_so_and_a_gap_is_said_with_its_direction():
    found = events_near(frame(event(1, 1.0, best=3), event(2, 2.0, best=5)), *PLACE, DAY, DAY, 10.0)
    assert judge(Claim(8, 8, "", ""), found, 10.0) == "agrees taken together: UCDP has 2 events within 10 km, 8 deaths"
    assert judge(Claim(20, 20, "", ""), found, 10.0) == (
        "differs: UCDP has 2 events within 10 km, 8 deaths, 12 fewer than the figure"
    )
    assert judge(Claim(1, 2, "", ""), found[found["id"] == 2], 10.0) == (
        "differs: UCDP has 1 event within 10 km, 5 deaths, 4 more than the figure"
    )
    assert judge(Claim(1, 1, "", ""), found.iloc[0:0], 5.0) == (
        "differs: UCDP holds no event within 5 km on those days"
    )


def test_a_curated_row_naming_an_unknown_figure_or_place_is_refused_naming_the_file():
    row = {"figure": "S99", "place": "post LP03", "first_day": "2020-02-10", "last_day": "2020-02-10"}
    with pytest.raises(ValueError, match="incidents.csv: figure S99"):
        match_incidents([row], {}, {}, frame())
    row = {**row, "figure": "S22", "place": "post XX", "radius_km": "10"}
    with pytest.raises(ValueError, match="incidents.csv: place post XX"):
        match_incidents([row], {"S22": Claim(8, 8, "", "")}, {}, frame())


def test_the_texts_incidents_find_their_events_in_the_committed_layer(geo):
    registry, external = seeds.load_registry(), seeds.load_table(seeds.EXTERNAL)
    matches = {
        m.figure: m
        for m in match_incidents(
            seeds.load_table(seeds.INCIDENTS),
            incidents.claims(registry, external),
            incidents.places(geo.layers_lonlat),
            geo.layers_lonlat["events"],
        )
    }
    # "claimed eight Turkish lives": the 3 Feb 2020 shelling west of Saraqib
    assert matches["S22"].claim.text == "8" and "claimed eight Turkish lives" in matches["S22"].claim.says
    assert matches["S22"].verdict.startswith("agrees: UCDP event 336418") and matches["S22"].place == "Saraqib"
    # Balyun: the reference names event 338066; a second event 1.5 km from the village is said, not hidden
    balyun = matches["TMF-2020-02-27"]
    assert balyun.verdict.startswith("agrees: UCDP event 338066, 3.3 km away on 27 Feb 2020, 34 deaths (33–34)")
    assert "1 other event within 10 km then, 23 deaths" in balyun.verdict
    assert list(balyun.events["id"])[:2] == [338074, 338066]
    assert matches["TMF-2020-02-10"].verdict.startswith("agrees: UCDP event 336684")
    # strikes on Turkish soil: the dataset holds events in Syria only, and says so rather than searching
    assert matches["S18"].verdict == "outside the dataset (see the note)" and matches["S18"].events.empty
    assert "events in Syria only" in matches["S18"].note
