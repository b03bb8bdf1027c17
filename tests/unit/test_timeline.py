"""A scenario month by month (dashboard.model.timeline), held to counts made without the engine's code: the
events file read with the csv module and each event tested against the zone's and the band's polygons and the
north-west's governorate outlines; the posts' status read off their dated records; the timeline's rows found in
their months."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from dashboard.model import timeline
from dashboard.model.impact import assess
from dashboard.model.scenario import DEFAULT
from dashboard.sources import seeds

ROOT = Path(__file__).resolve().parents[2]
EVENTS_FILE = ROOT / "geodata" / "authored" / "ucdp_ged211_north_syria.csv"
POSTS_FILE = ROOT / "geodata" / "authored" / "observation_posts.csv"
NORTH_WEST = {"Aleppo", "Hama", "Lattakia", "Idlib"}
EDGE_KM = 0.1  # the engine measures distance to the border, the polygon is a buffer: they may differ this near it


@pytest.fixture(scope="module")
def seed_tables():
    return seeds.load_table(seeds.TIMELINE), seeds.load_registry()


def months_of(first: str, last: str) -> list[str]:
    """The calendar's months, counted by hand."""
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def independent_counts(geo, scenario, first: str, last: str):
    """Per month: events and deaths (best) in the zone's polygon, in the band's polygon, and in the north-west's
    governorates outside the zone; and per month how many events lie within EDGE_KM of an edge."""
    impact = assess(geo, scenario)
    features = json.loads((ROOT / "geodata" / "governorates.geojson").read_text())["features"]
    north_west = shapely.union_all([shape(f["geometry"]) for f in features if f["properties"]["name"] in NORTH_WEST])
    with EVENTS_FILE.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if first <= r["date_start"][:7] <= last]
    lon = np.array([float(r["longitude"]) for r in rows])
    lat = np.array([float(r["latitude"]) for r in rows])
    ground = geo.to_ground(shapely.points(lon, lat))
    in_zone = shapely.contains(impact.zone, ground)
    in_band = shapely.contains(impact.band, ground)
    in_north_west = shapely.contains(north_west, shapely.points(lon, lat))
    edges = shapely.union_all([shapely.boundary(impact.zone), shapely.boundary(impact.band)])
    near_edge = shapely.distance(ground, edges) < EDGE_KM * 1000
    counts = defaultdict(lambda: defaultdict(float))
    for row, z, b, nw, e in zip(rows, in_zone, in_band, in_north_west, near_edge, strict=True):
        month, best = row["date_start"][:7], float(row["best"])
        for place, hit in (("inside", z), ("in_band", b), ("outside", nw and not z)):
            if hit:
                counts[month][f"events_{place}"] += 1
                counts[month][f"deaths_{place}"] += best
        counts[month]["near_edge"] += e
        counts[month]["near_edge_deaths"] += best * e
    return counts


@pytest.mark.parametrize(
    "scenario",
    [DEFAULT, replace(DEFAULT, segment="all", inner_km=10.0, outer_km=65.0)],
    ids=["default 30-40 km west", "10-65 km whole border"],
)
def test_each_month_counts_what_an_independent_count_of_the_events_file_finds(geo, seed_tables, scenario):
    first, last = timeline.SPAN
    months = timeline.month_figures(geo, scenario, first, last, *seed_tables)
    assert [m.month for m in months] == months_of("2017-01", "2020-12")
    truth = independent_counts(geo, scenario, first, last)
    assert sum(truth[m.month]["events_inside"] for m in months) > 1000  # the count is not vacuous
    for m in months:
        t = truth[m.month]
        slack, slack_deaths = t["near_edge"], t["near_edge_deaths"]
        for place in timeline.PLACES:
            assert abs(m.events[place] - t[f"events_{place}"]) <= slack, (m.month, place)
            assert abs(m.deaths[place][0] - t[f"deaths_{place}"]) <= slack_deaths, (m.month, place)
            best, low, high = m.deaths[place]
            assert low <= best <= high
        assert m.events["in_band"] <= m.events["inside"]
    # the slack is small: few events lie within 100 m of an edge (border crossings sit on the border itself)
    near = sum(truth[m.month]["near_edge"] for m in months)
    assert near < 0.05 * sum(truth[m.month]["events_inside"] + truth[m.month]["events_outside"] for m in months)
    assert sum(truth[m.month]["near_edge"] == 0 for m in months) > 10  # there the counts agree exactly


def test_the_months_add_up_to_the_scenario_with_the_run_as_its_window(geo, seed_tables):
    months = timeline.month_figures(geo, DEFAULT, "2019-05", "2020-03", *seed_tables)
    whole = assess(geo, DEFAULT)  # its window is 1 May 2019 to 31 Mar 2020
    assert sum(m.events["inside"] for m in months) == whole.events_inside
    assert sum(m.deaths["inside"][0] for m in months) == whole.deaths_inside
    assert sum(m.deaths["in_band"][1] for m in months) == whole.deaths_in_band_low
    assert [m.deaths["inside"][0] for m in months] == whole.deaths_by_month["inside"][28:39]


def dated_records() -> dict[str, dict]:
    with POSTS_FILE.open(newline="", encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def test_each_posts_status_on_the_months_last_day_follows_its_dated_records(geo, seed_tables):
    """Read off the records: before it was set up, not established; once its evacuation is reported done,
    evacuated; once its encirclement is reported (and no evacuation may have begun), encircled; with no date
    of either reached, active; between an earliest and a reported date, a status that says the date is not
    reported."""
    records = dated_records()
    months = timeline.month_figures(geo, DEFAULT, "2017-01", "2020-12", *seed_tables)
    checked = defaultdict(int)
    for m in months:
        status = {pid: s for s, ids in m.posts.items() for pid in ids}
        assert set(status) == set(records)
        day = m.last_day.isoformat()
        assert (m.last_day + dt.timedelta(days=1)).day == 1 and day[:7] == m.month
        for pid, r in records.items():
            reached = {c: bool(r[c]) and r[c] <= day for c in timeline_post_columns()}
            if not reached["established"]:
                expected = "not established"
            elif reached["evacuated"]:
                expected = "evacuated"
            elif reached["encircled"] and not reached["evacuated_from"]:
                expected = "encircled"
            elif not any(reached[c] for c in ("encircled_from", "encircled", "evacuated_from")):
                expected = "active"
            else:
                assert "not reported" in status[pid], (m.month, pid, status[pid])
                checked["uncertain"] += 1
                continue
            assert status[pid] == expected, (m.month, pid)
            checked[expected] += 1
    assert min(checked.values()) > 0 and set(checked) == {
        "not established",
        "active",
        "encircled",
        "evacuated",
        "uncertain",
    }


def timeline_post_columns():
    return ("established", "encircled_from", "encircled", "evacuated_from", "evacuated")


def test_morek_is_active_in_july_2019_and_encircled_in_august_and_counted_inside_only_if_inside(geo, seed_tables):
    months = {m.month: m for m in timeline.month_figures(geo, DEFAULT, "2019-07", "2019-08", *seed_tables)}
    assert "OP09" in months["2019-07"].posts["active"] and "OP09" in months["2019-08"].posts["encircled"]
    # Morek is 88 km from the border: outside the 40 km zone, inside a 100 km one
    assert "OP09" not in months["2019-08"].posts_inside.get("encircled", ())
    deep = timeline.month_figures(geo, replace(DEFAULT, outer_km=100.0), "2019-08", "2019-08", *seed_tables)
    assert "OP09" in deep[0].posts_inside["encircled"]


def test_every_dated_event_of_the_span_appears_in_its_month_and_no_other(geo, seed_tables):
    rows, registry = seed_tables
    months = timeline.month_figures(geo, DEFAULT, "2017-01", "2020-12", rows, registry)
    seen = [(m.month, d.date, d.event) for m in months for d in m.dated]
    expected = [(r["date"][:7], r["date"], r["event"]) for r in rows if "2017-01" <= r["date"][:7] <= "2020-12"]
    assert sorted(seen) == sorted(expected) and len(seen) > 40
    assert all(month == date[:7] for month, date, _ in seen)
    march = next(m for m in months if m.month == "2020-03")
    protocol = next(d for d in march.dated if d.date == "2020-03-05")
    assert ("S04", "The March 5 agreement") in protocol.quotes
    assert protocol.source_url.startswith("http")
    text = seeds.seed_texts()
    assert all(any(q in t for t in text.values()) for _, q in protocol.quotes)  # each quote is the text's own words


@pytest.mark.parametrize(
    ("text", "says"),
    [("2016-12", "outside"), ("2021-01", "outside"), ("2019-13", "not a month"), ("April 2019", "not a month")],
)
def test_a_month_outside_the_span_or_not_a_month_is_refused_saying_what_is_allowed(text, says):
    with pytest.raises(timeline.MonthError, match=says) as caught:
        timeline.parse_month(text)
    assert "2017-01 to 2020-12" in str(caught.value)


def test_a_run_of_months_that_goes_backwards_is_refused():
    with pytest.raises(timeline.MonthError, match="backwards"):
        timeline.months_between("2020-03", "2019-04")
    assert timeline.months_between("2019-11", "2020-02") == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert timeline.last_day("2020-02") == dt.date(2020, 2, 29)


def test_the_link_carries_the_month_round_trip_and_refuses_one_outside_the_data():
    from urllib.parse import parse_qs, urlsplit

    from dashboard.exchange import links

    scenario = replace(DEFAULT, outer_km=50.0)
    url = links.query_string(scenario, "2019-08")
    params = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
    assert links.decode(params) == (scenario, [])  # the month is no scenario field: the scenario is untouched
    assert links.decode_month(params) == ("2019-08", [])
    assert links.decode_month({}) == (None, [])
    month, warnings = links.decode_month({"month": "2021-01"})
    assert month is None and "2017-01 to 2020-12" in warnings[0]
    month, warnings = links.decode_month({"month": ["2019-04", "x" * 500]})
    assert month is None and len(warnings[0]) < 200  # the last value, cut to the link's limit
    assert links.query_string(DEFAULT) == "" and links.query_string(DEFAULT, "2020-03") == "?month=2020-03"
