"""Conflict events per scenario (UCDP GED 21.1): the window's edges, the zone held to its polygon, nothing
counted twice, and the metrics read aloud with their source and range."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
import shapely

from dashboard.model import metrics
from dashboard.model.impact import assess
from dashboard.model.scenario import DEFAULT, EVENTS_MAX, EVENTS_MIN, Scenario, ScenarioError, scenario_from_record

BALYUN = dt.date(2020, 2, 27)


def day(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


def test_the_window_includes_both_of_its_days_and_nothing_outside(geo):
    ev = geo.events
    on_balyun = int((ev.north_west & (ev.day == day(BALYUN))).sum())
    assert on_balyun > 0
    one_day = assess(geo, replace(DEFAULT, events_from=BALYUN, events_to=BALYUN))
    assert one_day.events_north_west == on_balyun
    before = assess(geo, replace(DEFAULT, events_from=BALYUN - dt.timedelta(days=1), events_to=BALYUN))
    after = assess(geo, replace(DEFAULT, events_from=BALYUN, events_to=BALYUN + dt.timedelta(days=1)))
    the_day_before = int((ev.north_west & (ev.day == day(BALYUN) - 1)).sum())
    the_day_after = int((ev.north_west & (ev.day == day(BALYUN) + 1)).sum())
    assert before.events_north_west == on_balyun + the_day_before
    assert after.events_north_west == on_balyun + the_day_after


def test_events_inside_are_those_the_zone_polygon_contains(geo):
    """The slow, obviously-correct count: every event of the window tested against the zone's polygon.
    The engine measures distance to the border instead; the two may differ only within 100 m of the edge."""
    for scenario in (DEFAULT, replace(DEFAULT, segment="all", inner_km=10.0, outer_km=65.0)):
        impact = assess(geo, scenario)
        lonlat = geo.layers_lonlat["events"]
        window = (lonlat["date"] >= scenario.events_from.isoformat()) & (
            lonlat["date"] <= scenario.events_to.isoformat()
        )
        frame = lonlat.loc[window.to_numpy()]
        points = geo.to_ground(shapely.points(frame["lon"].to_numpy(), frame["lat"].to_numpy()))
        by_polygon = shapely.contains(impact.zone, points)
        dist = geo.events.dist[scenario.segment][window.to_numpy()]
        on_the_edge = np.abs(dist - scenario.outer_km) < 0.1
        engine = geo.events.side[scenario.segment][window.to_numpy()] & (dist <= scenario.outer_km)
        assert (by_polygon == engine)[~on_the_edge].all()
        assert impact.events_inside == int(engine.sum())
        assert abs(impact.events_inside - int(by_polygon.sum())) <= int(on_the_edge.sum())
        deaths = frame["best"].to_numpy()[engine].sum()
        assert impact.deaths_inside == deaths


def test_no_event_is_counted_twice_across_the_inner_part_and_the_band(geo):
    inner = assess(geo, replace(DEFAULT, inner_km=0.0, outer_km=30.0))
    whole = assess(geo, replace(DEFAULT, inner_km=30.0, outer_km=40.0))
    assert whole.events_inside == inner.events_inside + whole.events_in_band
    assert whole.deaths_inside == inner.deaths_inside + whole.deaths_in_band
    assert sum(whole.deaths_inside_by_violence.values()) == whole.deaths_inside


def test_the_offensive_window_has_the_deaths_a_briefer_can_read_with_their_range(geo):
    impact = assess(geo, DEFAULT)
    assert (DEFAULT.events_from, DEFAULT.events_to) == (dt.date(2019, 5, 1), dt.date(2020, 3, 31))
    assert 0 < impact.deaths_in_band <= impact.deaths_inside <= impact.deaths_north_west
    assert impact.deaths_inside_low <= impact.deaths_inside <= impact.deaths_inside_high
    said = metrics.BY_KEY["deaths_inside"].aloud(impact)
    assert said.startswith(f"{impact.deaths_inside:,.0f} (UCDP low–high ")
    label = metrics.BY_KEY["deaths_inside"].label_for(impact)
    assert "01 May 2019–31 Mar 2020" in label and "UCDP" in label
    assert "lower bounds" in metrics.BY_KEY["deaths_inside"].note
    share = metrics.BY_KEY["deaths_share_inside"].value(impact)
    assert share == pytest.approx(impact.deaths_inside / impact.deaths_north_west)


def test_the_corridor_counts_events_near_the_patrol_road_only_when_it_is_on(geo):
    off = assess(geo, DEFAULT)
    on = assess(geo, replace(DEFAULT, corridor_km=6.0))
    assert off.events_in_corridor == 0 and "deaths_in_corridor" not in {m.key for m in metrics.shown(off)}
    assert on.events_in_corridor > 0 and on.deaths_in_corridor > 0
    wider = assess(geo, replace(DEFAULT, corridor_km=12.0))
    assert wider.events_in_corridor >= on.events_in_corridor


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"events_from": "2020-04-01", "events_to": "2020-03-01"}, "events_to"),
        ({"events_from": "2003-12-31"}, "events_from"),
        ({"events_to": "2021-01-01"}, "events_to"),
    ],
)
def test_a_window_backwards_or_outside_2004_2020_is_refused_naming_the_field(record, field):
    base = {**DEFAULT.to_dict(), **record}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_record(base, text=True)
    assert caught.value.field == field


def test_a_deck_saved_before_the_window_existed_opens_with_the_default_window():
    old = {k: v for k, v in DEFAULT.to_dict().items() if not k.startswith("events_")}
    scenario = scenario_from_record(old)
    assert (scenario.events_from, scenario.events_to) == (DEFAULT.events_from, DEFAULT.events_to)
    assert Scenario(events_from=EVENTS_MIN, events_to=EVENTS_MAX).events_to == EVENTS_MAX


def test_a_link_with_a_backwards_window_warns_and_keeps_a_valid_window():
    from dashboard.exchange import links

    scenario, warnings = links.decode({"evfrom": "2020-04-01", "evto": "2020-03-01"})
    assert len(warnings) == 1 and scenario.events_from <= scenario.events_to
    scenario, warnings = links.decode({"evfrom": "2020-01-01", "evto": "2020-02-01"})
    assert warnings == [] and (scenario.events_from, scenario.events_to) == (dt.date(2020, 1, 1), dt.date(2020, 2, 1))
    assert links.query_string(scenario) == "?evfrom=2020-01-01&evto=2020-02-01"
