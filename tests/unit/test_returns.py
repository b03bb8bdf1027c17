"""The returns what-if: arrivals add up to N exactly under every rule, towns get everyone they are given and
nobody outside them, densities agree with an independent geodesic grid, bad input is refused in plain words."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.model import returns
from dashboard.model.impact import assess
from dashboard.model.returns import MAX_PEOPLE, ReturnsError, WhatIf
from dashboard.model.scenario import Scenario
from tests.unit.test_truth import Grid

SCENARIO = Scenario(inner_km=0, outer_km=40, segment="west")


@pytest.fixture(scope="module")
def zone(geo):
    return returns.zone_of(geo, assess(geo, SCENARIO))


def some_subdistricts(zone, k=3):
    inside = zone.ids[zone.inside]
    return tuple(inside[:k])


def some_towns(zone, k=4):
    rows = np.flatnonzero(zone.town_inside & (zone.town_population > 0))
    return tuple(zone.town_ids[rows[:k]])


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60), st.integers(0, MAX_PEOPLE))
def test_largest_remainder_adds_up_exactly_and_stays_within_one_of_the_quota(weights, total):
    out = returns.largest_remainder(total, weights)
    w = np.asarray(weights)
    if w.sum() <= 0:
        assert out.sum() == 0
        return
    assert out.sum() == total
    assert (out >= 0).all()
    assert np.all(np.abs(out - w / w.sum() * total) < 1.0 + 1e-6)
    assert (out[w == 0] == 0).all()


@pytest.mark.parametrize("rule", list(returns.RULES))
@pytest.mark.parametrize("people", [0, 1, 7, 999_999, 1_000_000, 1_234_567, MAX_PEOPLE])
def test_arrivals_add_up_to_n_exactly_under_every_rule(zone, rule, people):
    where = {"subdistricts": some_subdistricts(zone), "towns": some_towns(zone)}.get(rule, ())
    result = returns.outcome(WhatIf(people, rule, where), zone)
    assert result.arrivals_total == people
    assert result.totals["arrivals"] == people
    assert result.table["arrivals"].dtype.kind == "i"
    assert result.totals["people_after"] == pytest.approx(result.totals["people_today"] + people)


def test_into_chosen_towns_puts_nobody_outside_them(zone):
    chosen = some_towns(zone)
    result = returns.outcome(WhatIf(1_000_001, "towns", chosen), zone)
    assert set(result.towns["id"]) <= set(chosen)
    assert int(result.towns["arrivals"].sum()) == 1_000_001
    subs_of_towns = {zone.ids[zone.town_sub[list(zone.town_ids).index(t)]] for t in chosen}
    receiving = set(result.table["id"][result.table["arrivals"] > 0])
    assert receiving <= subs_of_towns


def test_into_chosen_subdistricts_puts_nobody_elsewhere(zone):
    chosen = some_subdistricts(zone, 2)
    result = returns.outcome(WhatIf(500_000, "subdistricts", chosen), zone)
    receiving = set(result.table["id"][result.table["arrivals"] > 0])
    assert receiving == set(chosen)


def test_population_rule_follows_todays_people_and_area_rule_follows_area(zone):
    by_people = returns.outcome(WhatIf(2_000_000, "population"), zone).table
    share = by_people["people_today"] / by_people["people_today"].sum()
    assert np.abs(by_people["arrivals"] - share * 2_000_000).max() < 1.0
    by_area = returns.outcome(WhatIf(2_000_000, "area"), zone).table
    share = by_area["zone_km2"] / by_area["zone_km2"].sum()
    assert np.abs(by_area["arrivals"] - share * 2_000_000).max() < 1.0


def test_figures_are_the_engines_people_and_need_ratio(geo, zone):
    impact = assess(geo, SCENARIO)
    result = returns.outcome(WhatIf(1_000_000), zone)
    subs = impact.subdistricts.set_index("id")
    t = result.table
    assert np.allclose(t["people_today"], subs.loc[t["id"], "people_zone"])
    assert np.allclose(t["people_today_low"], subs.loc[t["id"], "people_zone_low"])
    assert result.totals["people_today"] == pytest.approx(impact.population_inside)
    assert result.totals["in_need_before"] == pytest.approx(impact.people_in_need_inside, rel=1e-9)
    assert np.all(t["in_need_after"] >= t["in_need_before"])
    assert np.array_equal(t["housing_units"], np.ceil(t["arrivals"] / 5.0))


@pytest.fixture(scope="module")
def west_grid():
    return Grid("west", depths=(40.0,))


def test_densities_agree_with_an_independent_geodesic_grid(zone, west_grid):
    """People per km² before and after, with each sub-district's zone area measured on a 0.01° grid of
    geodesic cells (pyproj), not by the engine. Parts under 100 km² are left out: a ~1 km² cell grid
    measures them too coarsely to compare within 3 %."""
    result = returns.outcome(WhatIf(1_500_000, "population"), zone)
    t = result.table
    grid_ids = [f["properties"]["id"] for f in west_grid.subs]
    checked = 0
    for i, sub_id in enumerate(t["id"]):
        k = grid_ids.index(sub_id)
        km2 = west_grid.zone_km2(40.0, west_grid.sub == k)
        if km2 < 100:
            continue
        checked += 1
        assert t["density_before"][i] == pytest.approx(t["people_today"][i] / km2, rel=0.03), sub_id
        assert t["density_after"][i] == pytest.approx((t["people_today"][i] + t["arrivals"][i]) / km2, rel=0.03)
    assert checked >= 10
    total_km2 = west_grid.zone_km2(40.0)
    assert result.totals["density_after"] == pytest.approx(result.totals["people_after"] / total_km2, rel=0.01)


@pytest.mark.parametrize(
    "people, message",
    [(-1, "outside 0 to"), (4_000_001, "outside 0 to"), (2.5, "not a whole number"), ("lots", "whole number")],
)
def test_bad_numbers_are_refused_in_plain_words(people, message):
    with pytest.raises(ReturnsError, match=message):
        WhatIf(people)


def test_a_rule_naming_no_subdistrict_in_the_zone_is_refused(zone):
    with pytest.raises(ReturnsError, match="none of the chosen sub-districts lies in the zone"):
        returns.outcome(WhatIf(10, "subdistricts", ("SY999999",)), zone)
    with pytest.raises(ReturnsError, match="none of the chosen towns"):
        returns.outcome(WhatIf(10, "towns", ("gn0",)), zone)
    with pytest.raises(ReturnsError, match="needs at least one"):
        WhatIf(10, "towns", ())
    with pytest.raises(ReturnsError, match="rule must be one of"):
        WhatIf(10, "everywhere")


def test_record_round_trip():
    whatif = WhatIf(1_200_000, "subdistricts", ("SY020300", "SY070001"))
    assert returns.from_record(whatif.to_dict()) == whatif
    with pytest.raises(ReturnsError):
        returns.from_record({"people": 1, "colour": "red"})


def test_the_choropleth_shades_only_subdistricts_receiving_people_by_their_class(geo):
    from dashboard.render import returns_map
    from dashboard.render.style import INCREASE

    impact = assess(geo, SCENARIO)
    zone = returns.zone_of(geo, impact)
    result = returns.outcome(WhatIf(300_000, "subdistricts", some_subdistricts(zone, 2)), zone)
    features = returns_map.increase_layer(geo, impact, result).data["features"]
    assert len(features) == 2
    t = result.table
    for feature, i in zip(features, np.flatnonzero(t["arrivals"] > 0), strict=True):
        expected = INCREASE[int(np.searchsorted(returns_map.BREAKS, t["density_increase"][i], side="right")) - 1]
        assert feature["properties"]["fill"][:3] == expected.rgba[:3]
        assert t["name"][i] in feature["properties"]["tip"]
    five = returns.outcome(WhatIf(5, "area"), zone)  # five people: five sub-districts shaded, whatever their size
    assert len(returns_map.increase_layer(geo, impact, five).data["features"]) == 5
    assert returns_map.increase_class([0.0, 0.5, 49.0, 50.0, 5000.0]).tolist() == [0, 0, 1, 2, 5]


def test_chosen_places_outside_the_zone_are_said_not_dropped(geo):
    """Two sub-districts chosen, one of them beyond the zone: everyone goes to the one inside, and the
    outcome, its sentence and its JSON name the one left out."""
    impact = assess(geo, Scenario(inner_km=0, outer_km=30))
    zone = returns.zone_of(geo, impact)
    inside = str(zone.ids[zone.inside][0])
    outside = str(zone.ids[~zone.inside][0])
    result = returns.outcome(returns.WhatIf(1000, "subdistricts", (inside, outside)), zone)
    name = str(zone.names[list(zone.ids).index(outside)])
    assert result.left_out == (name,) and result.arrivals_total == 1000
    assert f"nobody placed there: {name}" in returns.summary(result)
    assert returns.to_json(result)["left_out"] == [name]
