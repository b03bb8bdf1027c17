"""People where they live: the dasymetric model on hand-made towns, and on the real geography."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from dashboard.model import metrics, population
from dashboard.model.impact import assess
from dashboard.model.population import URBAN_DENSITY_PER_KM2, disc_share, people_within, town_model
from dashboard.model.scenario import Scenario
from dashboard.render import report

DENSITIES = list(URBAN_DENSITY_PER_KM2)


def test_a_disc_is_cut_by_a_straight_edge():
    radius = np.array([2.0, 2.0, 2.0, 2.0, 0.0])
    distance = np.array([10.0, 12.0, 8.0, 13.0, 9.0])
    share = disc_share(10.0, distance, radius)
    assert share[0] == pytest.approx(0.5)  # centred on the edge: half in
    assert share[1] == pytest.approx(0.0) and share[2] == pytest.approx(1.0)  # wholly out, wholly in
    assert share[3] == pytest.approx(0.0) and share[4] == 1.0  # a place with no people is a point
    assert disc_share(11.0, distance[:1], radius[:1])[0] == pytest.approx(
        1 - disc_share(9.0, distance[:1], radius[:1])[0]
    )  # symmetric about the centre
    assert (disc_share(0.0, distance, radius) == 0).all()


def test_towns_never_hold_more_than_their_subdistrict_and_totals_stay_exact():
    # sub-district 0: 100,000 people, towns of 30,000 and 150,000 (scaled down to fit); 1: no towns
    model = town_model([100_000, 50_000], [400.0, 200.0], np.array([30_000, 150_000, np.nan]), np.array([0, 0, 1]))
    assert model.town_people.sum() == pytest.approx(100_000)
    assert list(model.rest_people) == pytest.approx([0.0, 50_000])
    everywhere = np.array([400.0, 200.0])
    for density in DENSITIES:
        people = people_within(model, density, 50.0, everywhere, np.array([1.0, 2.0, 3.0]), np.array([True, True]))
        assert list(people) == pytest.approx([100_000, 50_000])  # the whole sub-district: its exact total


def test_people_follow_the_town_not_the_area():
    # one sub-district of 1,000 km² whose 200,000 people all live in one town 20 km from the border;
    # a 10 km zone covers 30 % of its area but none of its town
    model = town_model([200_000], [1000.0], np.array([200_000.0]), np.array([0]))
    covered = np.array([300.0])
    people = people_within(model, "central", 10.0, covered, np.array([20.0]), np.array([True]))
    assert people[0] == pytest.approx(0.0, abs=1)
    by_area = 0.3 * 200_000
    assert people[0] < by_area


def test_the_rest_is_spread_over_the_area_outside_the_towns():
    model = town_model([120_000], [1000.0], np.array([100_000.0]), np.array([0]))
    disc = 100_000 / URBAN_DENSITY_PER_KM2["central"]  # 10 km²
    covered = np.array([500.0])  # half the sub-district, the town far outside
    people = people_within(model, "central", 10.0, covered, np.array([60.0]), np.array([True]))
    assert people[0] == pytest.approx(20_000 * 500 / (1000 - disc))


def test_a_subdistrict_off_the_segment_side_counts_nobody():
    model = town_model([10_000], [100.0], np.array([5_000.0]), np.array([0]))
    people = people_within(model, "central", 50.0, np.array([0.0]), np.array([1.0]), np.array([False]))
    assert people[0] == 0


def test_low_confidence_is_a_range_wider_than_15_percent():
    assert not population.low_confidence(100, 90, 110)
    assert population.low_confidence(100, 80, 101)
    assert population.low_confidence(100, 99, 116)
    assert population.low_confidence(0, 0, 10) and not population.low_confidence(0, 0, 0)


def test_aleppo_city_is_counted_where_it_is(geo):
    """Jebel Saman (Aleppo city, 1.67 M) is ~39 % inside 40 km by area, but the city centre is ~44 km away."""
    impact = assess(geo, Scenario(inner_km=30, outer_km=40))
    area = assess(geo, Scenario(inner_km=30, outer_km=40), population_method="area")
    jebel = impact.subdistricts.set_index("id").loc["SY020000"]
    jebel_area = area.subdistricts.set_index("id").loc["SY020000"]
    assert jebel_area["people_zone"] > 0.3 * 1_667_719
    assert jebel["people_zone"] < 0.5 * jebel_area["people_zone"]  # ~0.24 M against ~0.66 M by area
    assert jebel["people_zone_high"] < 0.7 * jebel_area["people_zone"]
    assert jebel["people_zone_low"] <= jebel["people_zone"] <= jebel["people_zone_high"]
    assert impact.population_in_band < area.population_in_band


@pytest.mark.parametrize("segment", ["west", "east", "all"])
def test_every_estimate_has_a_range_around_it(geo, segment):
    impact = assess(geo, Scenario(inner_km=20, outer_km=45, segment=segment))
    assert impact.population_inside_low <= impact.population_inside <= impact.population_inside_high
    assert impact.population_in_band_low <= impact.population_in_band <= impact.population_in_band_high
    subs = impact.subdistricts
    assert (subs["people_zone_low"] <= subs["people_zone"] + 1e-6).all()
    assert (subs["people_zone"] <= subs["people_zone_high"] + 1e-6).all()
    assert sum(impact.people_by_control.values()) == pytest.approx(impact.population_inside, rel=0.011)
    assert sum(impact.people_by_severity.values()) == pytest.approx(impact.population_inside, rel=1e-6)
    assert 0 < impact.people_in_need_inside <= impact.population_inside


def test_the_whole_border_counts_people_on_its_whole_length(geo):
    east = assess(geo, Scenario(inner_km=0, outer_km=30, segment="east"))
    governorates = set(east.subdistricts.loc[east.subdistricts["people_zone"] > 0, "governorate"])
    assert {"Al-Hasakeh", "Ar-Raqqa"} <= governorates
    assert east.population_inside > 500_000
    assert east.people_by_control["North-east (SDF) areas"] > 0.5 * east.population_inside
    west = assess(geo, Scenario(inner_km=0, outer_km=30, segment="west"))
    whole = assess(geo, Scenario(inner_km=0, outer_km=30, segment="all"))
    assert whole.population_inside == pytest.approx(west.population_inside + east.population_inside, rel=0.01)
    lattakia = west.subdistricts.loc[west.subdistricts["governorate"] == "Lattakia", "people_zone"].sum()
    assert lattakia > 0  # Lattakia governorate is counted too


def test_segments_end_at_the_euphrates(geo):
    subs = geo.subdistricts
    east_bank = shapely.union_all(subs.loc[subs["side"] == "east"].geometry.values)
    west_bank = shapely.union_all(subs.loc[subs["side"] == "west"].geometry.values)
    west = assess(geo, Scenario(inner_km=0, outer_km=40, segment="west"))
    east = assess(geo, Scenario(inner_km=0, outer_km=40, segment="east"))
    assert geo.area_km2(shapely.intersection(west.zone, east_bank)) < 1.0
    assert geo.area_km2(shapely.intersection(east.zone, west_bank)) < 1.0
    ain_al_arab = west.districts.set_index("id").loc["SY0206"]
    assert ain_al_arab["zone_share"] == 0 and ain_al_arab["people_zone"] == 0
    manbij = east.districts.set_index("name").loc["Menbij"] if "Menbij" in set(east.districts["name"]) else None
    assert manbij is None or manbij["zone_share"] == 0
    towns = west.towns.set_index("name")
    assert towns.loc["Jarablus", "inside"] and towns.loc["Manbij", "inside"]  # west bank
    assert not east.towns.set_index("name").loc["Manbij", "inside"]


def test_the_json_lists_people_per_subdistrict_with_ranges(geo):
    impact = assess(geo, Scenario())
    data = report.impact_dict(impact)
    for key in ("population_inside", "population_in_band"):
        assert data[f"{key}_low"] <= data[key] <= data[f"{key}_high"]
    rows = data["subdistricts"]
    assert rows[0]["people_zone"] >= rows[-1]["people_zone"]
    assert {"pcode", "name", "governorate", "people_zone_low", "people_band_high"} <= set(rows[0])
    assert sum(r["people_zone"] for r in rows) == pytest.approx(data["population_inside"], rel=1e-3)
    assert set(data["people_inside_by_control"]) >= {"Government of Syria", "North-west opposition areas"}
    assert data["population_low_confidence"]["band"] is True  # the 30–40 km band hinges on Aleppo's edge


def test_a_briefer_reads_the_figure_with_its_range(geo):
    text = metrics.BY_KEY["population_inside"].aloud(assess(geo, Scenario()))
    assert text.startswith("≈ ") and " M (range " in text and text.endswith(" M)")
    band = metrics.BY_KEY["population_in_band"].aloud(assess(geo, Scenario()))
    assert band.endswith("low confidence")


@pytest.mark.parametrize("density", DENSITIES)
def test_a_town_drawn_wider_than_its_subdistrict_is_whole_when_the_subdistrict_is(geo, density):
    """Lattakia city (934,064 people in 120 km²): at 5,000 people per km² its disc is larger than its
    sub-district, so without the sub-district's reach a zone covering all of it undercounted the city."""
    model = geo.hot.town_model
    subs = list(geo.subdistricts["id"])
    i = subs.index("SY060000")
    west = geo.hot.segments["west"]
    reach = west.sub_reach
    covered = geo.hot.sub_areas.copy()  # as if the zone covered every sub-district whole
    depth = float(reach[i, 1]) + 0.1
    people = people_within(model, density, depth, covered, west.settle_dist, west.sub_side, reach)
    assert people[i] == pytest.approx(geo.hot.sub_pop[i], rel=1e-9)
    none = people_within(
        model,
        density,
        float(reach[i, 0]) - 0.1,
        np.zeros(len(subs)),
        west.settle_dist,
        west.sub_side,
        reach,
    )
    assert none[i] == 0


def test_whole_subdistricts_inside_a_deep_zone_count_their_exact_totals(geo):
    impact = assess(geo, Scenario(inner_km=0, outer_km=100, segment="west"))
    whole = impact.subdistricts.loc[impact.subdistricts["zone_share"] > 0.999999]
    assert len(whole) > 50
    for column in ("people_zone_low", "people_zone", "people_zone_high"):
        assert whole[column].to_numpy() == pytest.approx(whole["pop_2023"].to_numpy(dtype=float), rel=1e-6)
