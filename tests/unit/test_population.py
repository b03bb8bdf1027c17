"""People where they live: the dasymetric model on hand-made towns, and on the real geography."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from dashboard.model import impact as engine
from dashboard.model import metrics, population
from dashboard.model.impact import assess, covered_km2
from dashboard.model.population import (
    AT_POINTS,
    CENTRAL_VARIANT,
    FOOTPRINTS,
    LINE_SHIFT_KM,
    URBAN_DENSITY_PER_KM2,
    people_at_depth,
    people_model,
    variants,
)
from dashboard.model.scenario import Scenario
from dashboard.render import report

DENSITIES = list(URBAN_DENSITY_PER_KM2)


def planar_km2(geoms) -> np.ndarray:
    return np.asarray(shapely.area(np.asarray(geoms, dtype=object)), dtype=float) / 1e6


def square(x0: float, y0: float, side_km: float):
    return shapely.box(x0 * 1e3, y0 * 1e3, (x0 + side_km) * 1e3, (y0 + side_km) * 1e3)


def toy(sub_people, towns, extents=None):
    """Sub-districts as 20 km squares side by side along y = 0 (the border is the line y = 0): ``towns`` are
    (x km, y km, people, sub-district) tuples."""
    subs = [square(20 * i, 0, 20) for i in range(len(sub_people))]
    points = [shapely.Point(x * 1e3, y * 1e3) for x, y, _, _ in towns]
    model = people_model(
        subs,
        planar_km2(subs),
        sub_people,
        points,
        np.array([p for _, _, p, _ in towns], dtype=float),
        np.array([s for _, _, _, s in towns]),
        extents or {},
        planar_km2,
    )
    return model, np.array([y for _, y, _, _ in towns], dtype=float), subs


def within(model, subs, town_dist, depth_km):
    """People of each toy sub-district within ``depth_km`` of the border y = 0, per variant."""
    cover = shapely.box(-1e7, -1e7, 1e7, depth_km * 1e3)
    covered = covered_km2(np.asarray(subs, dtype=object), planar_km2(subs), cover)
    return people_at_depth(model, covered_km2, cover, covered, np.ones(len(subs), bool), town_dist, depth_km)


def test_towns_never_hold_more_than_their_subdistrict_and_totals_stay_exact():
    # sub-district 0: 100,000 people, towns of 30,000 and 150,000 (scaled down to fit); 1: no towns
    model, dist, subs = toy([100_000, 50_000], [(5, 5, 30_000, 0), (12, 12, 150_000, 0), (25, 5, np.nan, 1)])
    assert model.town_people.sum() == pytest.approx(100_000)
    assert list(model.rest_people) == pytest.approx([0.0, 50_000])
    for people in within(model, subs, dist, 50.0).values():
        assert list(people) == pytest.approx([100_000, 50_000])  # the whole sub-district: its exact total


def test_people_follow_the_town_not_the_area():
    # one sub-district of 400 km² whose 200,000 people all live in one town 15 km from the border;
    # a 6 km zone covers 30 % of its area but none of its town (its disc is 2.5–5 km wide)
    model, dist, subs = toy([200_000], [(10, 15, 200_000, 0)])
    people = within(model, subs, dist, 6.0)
    for variant in FOOTPRINTS:
        assert people[variant][0] == pytest.approx(0.0, abs=1)
    assert people[AT_POINTS][0] == pytest.approx(0.0, abs=1)


def test_a_town_is_never_drawn_beyond_its_own_subdistrict():
    # 300,000 people at 5,000 per km² need 60 km², more than the 20 km square's corner can give: the disc is
    # cut to the square, and the square's neighbour gets none of the town
    model, dist, subs = toy([300_000, 10_000], [(19, 1, 300_000, 0), (30, 10, 1_000, 1)])
    for variant in FOOTPRINTS:
        k = list(model.towns).index(0)
        assert shapely.difference(model.footprints[variant][k], subs[0]).area < 1.0  # m²
    people = within(model, subs, dist, 20.0)
    # the neighbour holds only its own (to the areal-scale correction covered_km2 applies to toy squares)
    assert people["sparse"][1] == pytest.approx(10_000, rel=1e-5)


def test_footprints_in_one_subdistrict_do_not_overlap_so_the_rest_share_stays_within_one():
    model, dist, subs = toy([100_000], [(10, 10, 60_000, 0), (11, 10, 30_000, 0)])
    for variant in FOOTPRINTS:
        a, b = model.footprints[variant]
        assert shapely.intersection(a, b).area < 1.0
        assert model.rest_km2[variant][0] == pytest.approx(400 - planar_km2([a, b]).sum())
    for depth in np.arange(0.5, 20.5, 0.5):
        people = within(model, subs, dist, depth)
        for variant in FOOTPRINTS:
            assert people[variant][0] <= 100_000 + 1e-6


def test_the_rest_is_spread_over_the_area_outside_the_towns():
    model, dist, subs = toy([120_000], [(10, 18, 100_000, 0)])
    disc = 100_000 / URBAN_DENSITY_PER_KM2["central"]  # 10 km², wholly beyond 10 km
    people = within(model, subs, dist, 10.0)
    assert people["central"][0] == pytest.approx(20_000 * 200 / (400 - disc), rel=1e-3)


def test_a_city_with_a_sourced_extent_is_placed_on_it_not_on_a_disc():
    # 100,000 people whose town point is 10 km from the border; its sourced extent reaches from 9 to 14 km
    extent = shapely.box(5e3, 9e3, 15e3, 14e3)
    model, dist, subs = toy([100_000], [(10, 10, 100_000, 0)], extents={0: extent})
    assert model.shaped[0]
    tight = within(model, subs, dist, 8.0)
    assert tight["dense"][0] == pytest.approx(0.0)  # the extent as published starts at 9 km
    part = within(model, subs, dist, 10.5)
    assert part["dense"][0] == pytest.approx(30_000, rel=1e-4)  # 1.5 km of its 5 km depth
    assert part["central"][0] > part["dense"][0]  # widened by 0.5 km towards the border too


def test_the_range_moves_both_lines_together_and_takes_in_towns_at_their_points():
    # a town of 80,000 whose point lies on the 10 km line: its disc is half in, its point counts whole
    model, dist, subs = toy([100_000], [(10, 10.0, 80_000, 0)])

    def at(depth_km):
        return within(model, subs, dist, depth_km)

    zone = variants(at, 0.0, 10.0)["zone"]
    assert set(zone) == {(f, s) for f in FOOTPRINTS for s in (0.0, -LINE_SHIFT_KM, LINE_SHIFT_KM)} | {AT_POINTS}
    centre = zone[CENTRAL_VARIANT][0]
    assert zone[("central", -LINE_SHIFT_KM)][0] < centre < zone[("central", LINE_SHIFT_KM)][0]
    assert zone[AT_POINTS][0] - centre == pytest.approx(40_000, rel=0.01)
    band = variants(at, 5.0, 10.0)["band"]
    moved = at(10.0 + LINE_SHIFT_KM)["central"][0] - at(5.0 + LINE_SHIFT_KM)["central"][0]
    assert band[("central", LINE_SHIFT_KM)][0] == pytest.approx(moved)
    assert variants(at, 0.0, 10.0)["zone"][("dense", LINE_SHIFT_KM)][0] == pytest.approx(at(12.5)["dense"][0])


def test_a_subdistrict_off_the_segment_side_counts_nobody():
    model, dist, subs = toy([10_000], [(5, 5, 5_000, 0)])
    cover = shapely.box(-1e7, -1e7, 1e7, 50e3)
    covered = covered_km2(np.asarray(subs, dtype=object), planar_km2(subs), cover)
    people = people_at_depth(model, covered_km2, cover, covered, np.array([False]), dist, 50.0)
    assert all(v[0] == 0 for v in people.values())


def test_low_confidence_is_a_range_wider_than_15_percent():
    assert not population.low_confidence(100, 90, 110)
    assert population.low_confidence(100, 80, 101)
    assert population.low_confidence(100, 99, 116)
    assert population.low_confidence(0, 0, 10) and not population.low_confidence(0, 0, 0)


def test_aleppo_city_is_counted_where_it_is(geo):
    """Jebel Saman (Aleppo city, 1.67 M) is ~39 % inside 40 km by area, but the city lies on its sourced extent,
    whose published northern edge (Sheikh Maqsood) is 43 km from the border: under 0.1 M count inside."""
    impact = assess(geo, Scenario(inner_km=30, outer_km=40))
    area = assess(geo, Scenario(inner_km=30, outer_km=40), population_method="area")
    jebel = impact.subdistricts.set_index("id").loc["SY020000"]
    jebel_area = area.subdistricts.set_index("id").loc["SY020000"]
    assert jebel_area["people_zone"] > 0.3 * 1_667_719
    assert jebel["people_zone"] < 100_000  # against ~0.66 M by area (0.24 M with the city as a disc)
    assert jebel["people_zone_low"] < 10_000  # with the lines 2.5 km nearer the border, none of the city
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


def test_the_rest_share_never_exceeds_one_on_any_subdistrict(geo):
    """On every sub-district, at depths from 0.5 to 100 km on each segment: the share of its rest covered is
    within [0, 1] before any clipping, and no sub-district counts more people than it has."""
    model = geo.hot.people_model
    subs = model.town_sub[model.towns]
    for segment in ("west", "east"):
        for depth in (0.5, 5.0, 17.5, 30.0, 37.5, 40.0, 42.5, 60.0, 100.0):
            buffer, covered = engine.depth_reach(geo, segment, depth)
            for variant in FOOTPRINTS:
                inside = covered_km2(model.footprints[variant], model.footprint_km2[variant], buffer)
                rest_inside = covered - np.bincount(subs, weights=inside, minlength=len(covered))
                rest = model.rest_km2[variant]
                counted = (rest > 1e-6) & geo.hot.segments[segment].sub_side  # the others count nobody
                share = rest_inside[counted] / rest[counted]
                assert share.min() >= -1e-6 and share.max() <= 1 + 1e-6, (segment, depth, variant)
            for people in engine.depth_people(geo, segment, depth).values():
                assert (people <= geo.hot.sub_pop + 1e-6).all()


def test_every_town_lies_within_its_own_subdistrict(geo):
    model = geo.hot.people_model
    polys = geo.hot.sub_polys[model.town_sub[model.towns]]
    for variant in FOOTPRINTS:
        spill = shapely.area(shapely.difference(model.footprints[variant], polys))
        assert spill.max() < 1.0  # m²


def test_whole_subdistricts_inside_a_deep_zone_count_their_exact_totals(geo):
    impact = assess(geo, Scenario(inner_km=0, outer_km=100, segment="west"))
    reach = geo.hot.segments["west"].sub_reach[:, 1]  # whole even with the line moved 2.5 km nearer
    subs = impact.subdistricts.set_index("id").loc[geo.subdistricts["id"][reach < 100 - LINE_SHIFT_KM]]
    whole = subs.loc[subs["zone_share"] > 0.999999]
    assert len(whole) > 50
    for column in ("people_zone_low", "people_zone", "people_zone_high"):
        assert whole[column].to_numpy() == pytest.approx(whole["pop_2023"].to_numpy(dtype=float), rel=1e-6)


def test_a_large_town_on_a_line_is_named_on_every_surface(geo):
    """al-Bab (≈ 0.13 M people) has its centre 29.9 km from the border: the JSON, the CLI's table, the town's
    card and the pack say that whether its people count depends on where the 30 km line falls."""
    from dashboard.exchange.decks import Step
    from dashboard.model import places
    from dashboard.render import pack

    impact = assess(geo, Scenario())
    sentence = next(s for s in metrics.where_the_line_falls(impact) if s.startswith("al-Bab's centre"))
    assert sentence.startswith("al-Bab's centre is 29.9 km from the border: whether its ~0.13 M people count")
    assert "the 30 km line" in sentence
    assert sentence in report.impact_dict(impact)["where_the_line_falls"]
    assert sentence in report.impact_table(impact)
    gazetteer = places.Gazetteer(places.build_gazetteer(geo.layers_lonlat))
    al_bab = next(m.place for m in gazetteer.search("al-Bab") if m.place.id == "gn174018")
    card = dict(places.card(geo, impact, al_bab))
    assert sentence in card["Where the line falls"]
    html = pack.pack_html(geo, [Step("t", "", impact.scenario)], [impact], [], "http://localhost:8501", [])
    assert "al-Bab&#39;s centre is 29.9 km" in html or "al-Bab's centre is 29.9 km" in html
    far = assess(geo, Scenario(inner_km=0, outer_km=15))
    assert not any(s.startswith("al-Bab") for s in metrics.where_the_line_falls(far))
