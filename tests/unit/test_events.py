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


def test_the_events_layer_draws_each_event_of_the_window_with_its_deaths_and_source(geo):
    import json

    from dashboard.render import maps, style

    layer = maps.events_layer(geo, BALYUN, BALYUN, "west")
    features = layer.data["features"]
    ev = geo.events
    expected = (ev.day == day(BALYUN)) & (np.isfinite(ev.dist["all"]) | ev.north_west)
    assert len(features) == int(expected.sum()) > 0
    balyun = next(f for f in features if "event 338066" in f["properties"]["tip"])
    tip = balyun["properties"]["tip"]
    assert tip.startswith("2020-02-27: Government of Syria – Syrian insurgents (state-based)")
    assert "km from the border" in tip and "UCDP" in tip
    assert balyun["properties"]["colour"] == style.VIOLENCE["state-based"].rgba
    small = min(features, key=lambda f: f["properties"]["radius"])
    assert balyun["properties"]["radius"] > small["properties"]["radius"]  # more deaths, a larger disc
    deck = json.loads(maps.scenario_map(geo, assess(geo, DEFAULT), show={"events": True}).to_json())
    assert "events" in [layer["id"] for layer in deck["layers"]]
    at_first = json.loads(maps.scenario_map(geo, assess(geo, DEFAULT)).to_json())  # switched on by the viewer
    assert "events" not in [layer["id"] for layer in at_first["layers"]]


def test_a_long_window_is_drawn_as_cells_that_keep_every_death(geo):
    from dashboard.render import maps

    layer = maps.events_layer(geo, EVENTS_MIN, EVENTS_MAX, "west")
    assert len(layer.data["features"]) < maps.EVENTS_DRAWN_MAX
    ev = geo.events
    kept = np.isfinite(ev.dist["all"]) | ev.north_west
    drawn = sum(
        int(f["properties"]["tip"].split(" deaths")[0].split("\n")[1].replace(",", "")) for f in layer.data["features"]
    )
    assert drawn == int(ev.best[kept].sum())


def test_deaths_per_month_add_up_to_the_window_and_the_chart_marks_the_texts_dates(geo):
    from dashboard.render import charts
    from dashboard.sources import seeds

    impact = assess(geo, DEFAULT)  # the window is whole months: May 2019 – March 2020
    monthly = impact.deaths_by_month
    assert monthly["month"][0] == "2017-01" and monthly["month"][-1] == "2020-12" and len(monthly["month"]) == 48
    in_window = [k for k, m in enumerate(monthly["month"]) if "2019-05" <= m <= "2020-03"]
    assert sum(monthly["inside"][k] for k in in_window) == impact.deaths_inside
    rest = sum(monthly["rest of the north-west"][k] for k in in_window)
    inside_nw = impact.deaths_inside  # the west zone lies in the north-west
    assert rest + inside_nw == impact.deaths_north_west
    spec = charts.deaths_by_month_chart(impact, seeds.load_table(seeds.TIMELINE)).to_dict()
    layers = spec["layer"]
    marks = next(layer for layer in layers if layer["mark"]["type"] == "rule")
    marked = spec["datasets"][marks["data"]["name"]]
    assert [m["date"] for m in marked] == ["2020-02-05", "2020-02-27", "2020-03-05"] and all(
        m["source"] for m in marked
    )
    window = spec["datasets"][next(layer for layer in layers if layer["mark"]["type"] == "rect")["data"]["name"]]
    assert window[0]["start"] == "2019-05-01" and window[0]["end"] == "2020-03-31"
    bars = next(layer for layer in layers if layer["mark"]["type"] == "bar")
    assert any(t.get("field") == "source" for t in bars["encoding"]["tooltip"])


def test_the_deaths_curve_equals_assess_at_every_depth_and_never_falls(geo):
    """The curve is one sorted pass; the slow way is a whole assessment per depth."""
    from dashboard.model.impact import deaths_by_depth, sensitivity

    depths = [0, 5, 17.5, 30, 40, 64, 100]
    for segment in ("west", "all"):
        curve = deaths_by_depth(geo, segment, DEFAULT.events_from, DEFAULT.events_to, depths=depths)
        for row in curve.itertuples():
            outer = max(row.depth_km, 1.0)  # a zone is at least 1 km deep; at 0 km nothing is inside
            slow = assess(geo, replace(DEFAULT, segment=segment, inner_km=0.0, outer_km=outer))
            expected = (
                (0.0, 0.0, 0.0)
                if row.depth_km == 0
                else (slow.deaths_inside, slow.deaths_inside_low, slow.deaths_inside_high)
            )
            assert (row.deaths_inside, row.deaths_inside_low, row.deaths_inside_high) == expected
        assert (np.diff(curve["deaths_inside"]) >= 0).all()
        assert (curve["deaths_inside_low"] <= curve["deaths_inside"]).all()
        assert (curve["deaths_inside"] <= curve["deaths_inside_high"]).all()
    both = sensitivity(geo, "west", depths=[0, 40], window=(DEFAULT.events_from, DEFAULT.events_to))
    assert both.loc[1, "deaths_inside"] == assess(geo, DEFAULT).deaths_inside


def test_the_deaths_curve_names_its_window_and_source_on_every_mark(geo):
    from dashboard.model.impact import deaths_by_depth
    from dashboard.render import charts

    window = (dt.date(2019, 5, 1), dt.date(2020, 3, 31))
    curve = deaths_by_depth(geo, "west", *window)
    spec = charts.sensitivity_chart(curve, 30, 40, "deaths_inside", window).to_dict()
    assert "01 May 2019–31 Mar 2020" in spec["title"]["text"]
    said = " ".join(spec["title"]["subtitle"])
    assert "UCDP" in said and "lower bounds" in said and all(len(line) <= 105 for line in spec["title"]["subtitle"])
    for layer in spec["layer"][1:]:  # the range and the line; the first is the shaded band
        assert any(t.get("field") == "source" for t in layer["encoding"]["tooltip"])
        assert "UCDP" in layer["transform"][0]["calculate"]
    rows = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert set(rows[0]) == {"depth_km", "deaths_inside", "deaths_inside_low", "deaths_inside_high"}


def test_hand_made_events_at_the_settlements_are_inside_exactly_when_their_settlement_is(geo):
    """Events placed on the settlements, half of them in the window: inside the zone, in the band and in the
    corridor exactly as the settlements are (a count the engine makes by another path), deaths summed."""
    import geopandas as gpd

    from dashboard.model.geography import build_geography

    places = geo.layers_lonlat["settlements"].reset_index(drop=True)
    n = len(places)
    in_window = np.arange(n) % 2 == 0
    dates = np.where(in_window, "2020-02-27", "2021-02-27")  # the second year is outside every window drawn here
    events = gpd.GeoDataFrame(
        {
            "id": np.arange(n),
            "date": dates,
            "lon": places.geometry.x,
            "lat": places.geometry.y,
            "violence": "state-based",
            "sides": "A – B",
            "best": np.arange(n) + 1,
            "low": np.arange(n) + 1,
            "high": 2 * (np.arange(n) + 1),
        },
        geometry=places.geometry.values,
        crs=places.crs,
    )
    made = build_geography({**geo.layers_lonlat, "events": events})
    for scenario in (DEFAULT, replace(DEFAULT, segment="all", inner_km=20.0, outer_km=70.0, corridor_km=6.0)):
        impact = assess(made, scenario)
        table = impact.settlements.set_index("id").loc[places["id"]]
        inside = table["inside"].to_numpy() & in_window
        band = table["in_band"].to_numpy() & in_window
        assert impact.events_inside == int(inside.sum()) > 0
        assert impact.events_in_band == int(band.sum())
        assert impact.deaths_inside == float((np.arange(n) + 1)[inside].sum())
        assert impact.deaths_inside_high == 2 * impact.deaths_inside
        if scenario.corridor_km:
            corridor = table["in_corridor"].to_numpy() & in_window
            assert impact.events_in_corridor == int(corridor.sum()) > 0
