"""Metrics on the real geography: reference figures, properties, and post status over time."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.model.impact import assess, population_share, sensitivity
from dashboard.model.posts import post_status
from dashboard.model.scenario import Scenario, ScenarioError

SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_whole_border_zones_match_the_reference_measurements(geo):
    # planar buffers in a metric CRS on the same Natural Earth polygon gave ~21,600 km² / ~40 % of
    # Idlib at 30 km and ~28,100 km² / ~52 % at 40 km (shared/reference/geodata-sources.md)
    z30 = assess(geo, Scenario(inner_km=0, outer_km=30, segment="all"))
    z40 = assess(geo, Scenario(inner_km=0, outer_km=40, segment="all"))
    assert z30.zone_area_km2 == pytest.approx(21_600, rel=0.01)
    assert z40.zone_area_km2 == pytest.approx(28_100, rel=0.01)
    assert z30.idlib_share == pytest.approx(0.40, abs=0.02)
    assert z40.idlib_share == pytest.approx(0.52, abs=0.02)


def test_band_is_zone_minus_inner_zone(geo):
    full = assess(geo, Scenario(inner_km=30, outer_km=40))
    inner = assess(geo, Scenario(inner_km=0, outer_km=30))
    assert full.band_area_km2 == pytest.approx(full.zone_area_km2 - inner.zone_area_km2, rel=1e-3)
    assert full.population_in_band == pytest.approx(full.population_inside - inner.population_inside, rel=1e-6)


def test_afrin_lies_wholly_within_40_km_of_the_border(geo):
    impact = assess(geo, Scenario())
    assert impact.afrin_share == pytest.approx(1.0, abs=1e-3)
    assert impact.districts["id"].iloc[0] == "SY0203"
    assert impact.governorates["id"].iloc[0] == "SY07"


def test_districts_sum_their_subdistricts(geo):
    impact = assess(geo, Scenario(inner_km=10, outer_km=35))
    subs = impact.subdistricts.groupby("district_id")["zone_km2"].sum()
    for row in impact.districts.itertuples():
        assert row.zone_km2 == pytest.approx(subs[row.id], rel=1e-9)


def test_population_inside_is_bounded_by_the_covered_subdistricts(geo):
    impact = assess(geo, Scenario(inner_km=0, outer_km=100, segment="all"))
    total = geo.subdistricts["pop_2023"].sum()
    assert 0.5 * total < impact.population_inside <= total + 1


def test_settlement_weighted_population_uses_places_and_falls_back_to_area():
    from types import SimpleNamespace

    hot = SimpleNamespace(
        sub_areas=np.array([100.0, 100.0]),
        settle_sub=np.array([0, 0, -1]),
        settle_pop=np.array([300.0, 100.0, 50.0]),
    )
    geo = SimpleNamespace(hot=hot)
    covered = np.array([10.0, 40.0])
    inside = np.array([False, True, True])
    assert population_share(geo, covered, inside, "area") == pytest.approx([0.1, 0.4])
    # sub-district 0: 100 of its 400 settlement people inside; sub-district 1 has no places: area share
    assert population_share(geo, covered, inside, "settlements") == pytest.approx([0.25, 0.4])


def test_towns_report_distance_and_band_membership(geo):
    towns = assess(geo, Scenario()).towns.set_index("name")
    assert list(towns.index)[:2] == ["Idlib", "Afrin"]
    assert 15 < towns.loc["Idlib", "distance_to_border_km"] < 40
    assert towns.loc["A'zaz", "distance_to_border_km"] < 10
    for name, row in towns.iterrows():
        assert row["inside"] == (row["distance_to_border_km"] <= 40), name
        assert row["in_band"] == (30 <= row["distance_to_border_km"] <= 40), name


def test_corridor_covers_the_m4_stretch(geo):
    impact = assess(geo, Scenario(corridor_km=6))
    # ~70 km stretch × 12 km wide plus end caps: roughly 800–1,000 km²
    assert 700 < impact.corridor_area_km2 < 1100
    assert impact.settlements["in_corridor"].any()
    assert assess(geo, Scenario()).corridor_area_km2 == 0


def test_post_rings_only_around_manned_posts(geo):
    before = assess(geo, Scenario(post_radius_km=5, as_of=dt.date(2017, 12, 1)))
    later = assess(geo, Scenario(post_radius_km=5, as_of=dt.date(2020, 3, 5)))
    assert 0 < before.post_rings_area_km2 < later.post_rings_area_km2


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2018, 1, 1), "not established"),
        (dt.date(2019, 1, 1), "active"),
        (dt.date(2019, 8, 23), "encircled"),
        (dt.date(2020, 10, 20), "evacuated"),
    ],
)
def test_post_status_follows_the_dated_reports(on, expected):
    # Morek: established 7 Apr 2018, encircled 23 Aug 2019, withdrawal 20 Oct 2020 (dates given as exact)
    morek = (dt.date(2018, 4, 7), None, dt.date(2019, 8, 23), None, dt.date(2020, 10, 20))
    assert post_status(*morek, on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2019, 4, 29), "active"),
        (dt.date(2019, 6, 1), "active or encircled (date not reported)"),
        (dt.date(2020, 3, 5), "encircled"),
        (dt.date(2020, 11, 1), "encircled or evacuated (date not reported)"),
        (dt.date(2020, 12, 1), "evacuated"),
    ],
)
def test_a_status_between_a_by_and_an_after_date_is_uncertain(on, expected):
    # a post encircled after 30 Apr 2019 and by 1 Jan 2020 (as Sher Mughar was once recorded), withdrawn 29 Oct –
    # 30 Nov 2020
    sher_mughar = (dt.date(2018, 5, 14), dt.date(2019, 4, 30), dt.date(2020, 1, 1), dt.date(2020, 10, 29))
    assert post_status(*sher_mughar, dt.date(2020, 11, 30), on) == expected


@pytest.mark.parametrize(
    ("day", "sher_mughar", "tell_touqan"),
    [
        ("2019-05-01", "active", "active"),  # Sher Mughar manned and not encircled: its siege came in Feb 2020
        ("2020-02-17", "active", "encircled"),  # not among the six posts reported besieged that day
        ("2020-03-05", "encircled", "encircled"),
        ("2020-12-31", "evacuated", "encircled"),  # Tell Touqan's withdrawal began 16 Dec, ended 12–13 Jan
        ("2021-01-12", "evacuated", "encircled or evacuated (date not reported)"),
        ("2021-01-13", "evacuated", "evacuated"),
    ],
)
def test_sher_mughar_and_tell_touqan_follow_their_reports(geo, day, sher_mughar, tell_touqan):
    """Issue 26, from the authored table as built: the two posts whose dates were wrong."""
    posts = assess(geo, Scenario(as_of=dt.date.fromisoformat(day))).posts.set_index("name")
    assert (posts.loc["Sher Mughar", "status"], posts.loc["Tell Tuqan", "status"]) == (sher_mughar, tell_touqan)


def test_posts_whose_end_is_not_reported_stay_uncertain_not_encircled_for_ever(geo):
    posts = assess(geo, Scenario(as_of=dt.date(2025, 12, 31))).posts.set_index("name")
    assert posts.loc["Saraqib ring posts", "status"] == "encircled or evacuated (date not reported)"
    assert posts.loc["Tell al-Eis", "status"] == "encircled or evacuated (date not reported)"
    assert "after 1 Oct 2020 (date not reported)" in posts.loc["Saraqib ring posts", "status_dates"]
    moscow = assess(geo, Scenario()).posts.set_index("name")
    assert moscow.loc["Sher Mughar", "status"] == "encircled"  # inside government-held area by 2020
    assert "exact date not reported" in moscow.loc["Sher Mughar", "status_dates"]


def test_morek_and_salwa_on_the_moscow_protocol_date(geo):
    posts = assess(geo, Scenario()).posts.set_index("name")
    assert posts.loc["Morek", "status"] == "encircled"
    assert posts.loc["Salwa", "status"] == "active"
    assert not posts.loc["Morek", "inside"]
    assert posts.loc["Salwa", "inside"]


@SLOW
@given(
    inner=st.integers(0, 60),
    widths=st.lists(st.integers(1, 40), min_size=2, max_size=2, unique=True),
    segment=st.sampled_from(["west", "east", "all"]),
)
def test_metrics_never_decrease_as_outer_grows(geo, inner, widths, segment):
    a, b = sorted(widths)
    small = assess(geo, Scenario(inner_km=inner, outer_km=inner + a, segment=segment))
    large = assess(geo, Scenario(inner_km=inner, outer_km=inner + b, segment=segment))
    assert large.zone_area_km2 >= small.zone_area_km2 - 1e-6
    assert large.band_area_km2 >= small.band_area_km2 - 1e-6
    assert large.population_inside >= small.population_inside - 1e-6
    assert large.settlements["inside"].sum() >= small.settlements["inside"].sum()
    assert large.posts["inside"].sum() >= small.posts["inside"].sum()
    big = large.districts.set_index("id")["zone_share"].sort_index()
    assert (big >= small.districts.set_index("id")["zone_share"].sort_index() - 1e-9).all()


@given(depth=st.floats(0, 100, allow_nan=False))
def test_inner_equal_to_outer_is_rejected(depth):
    with pytest.raises(ScenarioError):
        Scenario(inner_km=depth, outer_km=depth)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=2, max_size=3))
def test_results_do_not_depend_on_call_order(geo, pairs):
    scenarios = [Scenario(inner_km=i, outer_km=i + w) for i, w in pairs]
    forward = [assess(geo, s) for s in scenarios]
    backward = [assess(geo, s) for s in reversed(scenarios)][::-1]
    for f, b in zip(forward, backward, strict=True):
        assert f.zone_area_km2 == b.zone_area_km2
        assert f.population_inside == b.population_inside
        assert f.districts.equals(b.districts)


def test_sensitivity_is_monotone_and_agrees_with_assess(geo):
    curve = sensitivity(geo, "west", depths=[0, 10, 20, 30, 40])
    assert curve["zone_area_km2"].is_monotonic_increasing
    assert curve["population_inside"].is_monotonic_increasing
    at40 = assess(geo, Scenario(inner_km=0, outer_km=40))
    row = curve.set_index("depth_km").loc[40.0]
    assert row["zone_area_km2"] == pytest.approx(at40.zone_area_km2, rel=1e-6)
    # the curve sums Idlib's sub-districts, assess intersects the governorate: they tile it to < 1 km²
    assert row["idlib_share"] == pytest.approx(at40.idlib_share, rel=1e-4)
    assert row["population_inside"] == pytest.approx(at40.population_inside, rel=1e-6)


def test_people_are_shown_to_the_nearest_thousand(geo):
    from dashboard.model.metrics import people_estimate
    from dashboard.render.report import headline_metrics

    impact = assess(geo, Scenario())
    people = dict((label, (value, delta)) for label, value, delta in headline_metrics(impact, impact))
    assert people["People inside (estimate)"] == (people_estimate(impact.population_inside), "±0")
    assert people["People inside (estimate)"][0].endswith(",000")

    assert people_estimate(5_651_046) == "≈5,651,000"
    assert people_estimate(-12_400, signed=True) == "≈-12,000"
    assert people_estimate(120) == "< 500" and people_estimate(0, signed=True) == "±0"
    assert people_estimate(1_700, signed=True) == "≈+2,000"


def test_uncertain_dates_combine_rather_than_shadow_each_other():
    start = dt.date(2018, 1, 1)
    # only an "encircled after" date, then an evacuation window: encirclement is not known either way
    post = (start, dt.date(2019, 1, 1), None, dt.date(2020, 1, 1), dt.date(2020, 6, 1))
    assert post_status(*post, dt.date(2020, 2, 1)) == "active, encircled or evacuated (dates not reported)"
    # an evacuation window opening before the encirclement is reported: not "encircled" before it was
    post = (start, None, dt.date(2020, 3, 1), dt.date(2020, 1, 1), None)
    assert post_status(*post, dt.date(2020, 2, 1)) == "active or evacuated (date not reported)"
    assert post_status(*post, dt.date(2020, 4, 1)) == "encircled or evacuated (date not reported)"


def test_every_status_has_its_own_colour():
    from dashboard.model.posts import STATUSES
    from dashboard.render.style import STATUS as STATUS_COLOURS

    assert set(STATUS_COLOURS) == set(STATUSES)
    assert len({tuple(c.rgba) for c in STATUS_COLOURS.values()}) == len(STATUS_COLOURS)


def test_a_depth_reached_before_is_not_buffered_again(geo):
    """A slider moves one thumb at a time: the other depth's buffer and the sub-districts it covers are kept
    from the step before (~7 ms a step), the same as computed afresh, and only so many depths are kept."""
    import shapely

    from dashboard.model import impact as engine

    first = assess(geo, Scenario(inner_km=30, outer_km=41))
    second = assess(geo, Scenario(inner_km=30, outer_km=42))
    assert first.buffers[0] is second.buffers[0]  # the inner depth's, kept from the step before
    buffer, covered = engine.depth_reach(geo, "west", 30.0)
    assert shapely.equals_exact(buffer, engine.border_buffer(geo, "west", 30.0), 0)
    side = geo.hot.segments["west"].sub_side
    fresh = engine.covered_km2(geo.hot.sub_polys, geo.hot.sub_areas, engine.border_buffer(geo, "west", 30.0)) * side
    np.testing.assert_array_equal(covered, fresh)
    assert not covered.flags.writeable  # shared by every session: read-only
    geo.reaches.clear()
    for depth in range(engine.REACHES_KEPT):
        engine.depth_reach(geo, "west", 50.0 + depth)
    oldest = engine.reach_at(geo, "west", 50.0)  # asked for again: now the most recent
    engine.depth_reach(geo, "west", 99.0)  # one more: the least recently asked for goes
    assert len(geo.reaches) == engine.REACHES_KEPT
    assert ("west", 50.0) in geo.reaches and ("west", 51.0) not in geo.reaches
    assert engine.reach_at(geo, "west", 50.0) is oldest
