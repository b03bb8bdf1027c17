"""The live view's curves and annuli held to the engine: every figure read off the curves equals ``assess`` on
the grid, and the annuli of a band make up the engine's band."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import numpy as np
import pytest
import shapely

from dashboard.model import depth_curves, metrics
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario

PAIRS = 50
SETTINGS = {
    "west": Scenario(segment="west", corridor_km=6.0, post_radius_km=5.0),
    "east": Scenario(segment="east"),
    "all": Scenario(segment="all", events_from=dt.date(2016, 1, 1), events_to=dt.date(2020, 12, 31)),
}
# The band's area is the one figure that is not a difference of curves bit for bit: the engine corrects the
# band polygon's area for the projection at the band's own centroid (see the module's docstring).
# Measured: at most 0.25 km² (the whole border, a wide band), 0.03 % of a thin one.
BAND_AREA_KM2 = 0.5
PEOPLE_ABS = 1e-6  # a millionth of a person: the sums of a difference and of its parts, rounded apart


@pytest.fixture(scope="module")
def records(geo):
    return {
        segment: depth_curves.curves(geo, segment, settings.events_from, settings.events_to)
        for segment, settings in SETTINGS.items()
    }


def engine_figures(impact) -> dict[str, float]:
    """Every figure the live view paints, as the engine gives it (an independent reading: the Impact's
    attributes and the catalogue, not the curves' own code)."""
    out = {}
    for metric in metrics.CATALOGUE:
        out[metric.key] = metric.value(impact)
        spread = metric.range(impact)
        if spread:
            out[f"{metric.key}_low"], out[f"{metric.key}_high"] = spread
        for name, count in metric.parts(impact) if metric.parts else ():
            out[f"{metric.key}:{name}"] = count
    for key in ("events_in_band", "events_north_west", "deaths_north_west"):
        out[key] = float(getattr(impact, key))
    out["posts_total"] = len(impact.columns["posts"]["inside"])
    out["towns_total"] = len(impact.columns["towns"]["inside"])
    return out


@pytest.mark.parametrize("segment", list(SETTINGS))
def test_curves_equal_assess_on_random_grid_pairs(geo, records, segment):
    record = records[segment]
    chance = random.Random(f"curves-{segment}")
    steps = len(depth_curves.grid())
    pairs = {(0, 80), (60, 80), (0, 1), (199, 200), (0, 200)}
    while len(pairs) < PAIRS + 5:
        pairs.add(tuple(sorted(chance.sample(range(steps), 2))))
    for a, b in sorted(pairs):
        inner, outer = a * depth_curves.GRID_KM, b * depth_curves.GRID_KM
        scenario = replace(SETTINGS[segment], inner_km=inner, outer_km=outer)
        impact = assess(geo, scenario)
        expected = engine_figures(impact)
        constant = depth_curves.constants(assess(geo, replace(scenario, inner_km=10.0, outer_km=20.0)))
        got = depth_curves.figures(record, constant, inner, outer)
        assert set(expected) <= set(got), set(expected) - set(got)
        for key, value in expected.items():
            where = f"{segment} {inner:g}–{outer:g} km: {key}"
            if key == "band_area_km2":
                assert got[key] == pytest.approx(value, abs=BAND_AREA_KM2), where
                assert abs(round(got[key]) - round(value)) <= 1, where
            elif key.startswith("population_in_band"):
                assert got[key] == pytest.approx(value, abs=PEOPLE_ABS), where
            else:
                assert got[key] == value, where


def test_a_depth_off_the_grid_is_refused(records):
    with pytest.raises(ValueError, match="grid"):
        depth_curves.figures(records["west"], {}, 30.2, 40.0)


def test_a_sub_district_whose_people_fall_is_clamped_as_the_engine_clamps_it():
    """A made-up record: the total grows, but one sub-district's people fall between two depths; the engine
    counts that sub-district's band as 0, not as a negative number."""
    record = {
        "grid_km": 0.5,
        "zone": {},
        "nearer": {},
        "people": {"central": [0.0, 10.0, 12.0]},
        "variants": {"central|0": ["central", 0.0]},
        "central": "central|0",
        "people_fixes": [{"curve": "central", "values": [0.0, 5.0, 4.0]}],
    }
    # the others grow by 3 from 0.5 to 1 km; this one falls by 1 and counts 0: the band holds 3, not 2
    assert depth_curves.figures(record, {}, 0.5, 1.0)["population_in_band"] == 3.0
    assert depth_curves.figures(record, {}, 0.0, 1.0)["population_in_band"] == 12.0


@pytest.mark.parametrize("segment", ["west", "all"])
def test_annuli_make_up_the_engines_band(geo, segment):
    pieces, edges, zones = depth_curves.annuli(geo, segment)
    depths = depth_curves.grid()
    assert len(pieces) == len(edges) == len(zones) == len(depths) - 1
    chance = random.Random(f"annuli-{segment}")
    for _ in range(6):
        a, b = sorted(chance.sample(range(len(depths)), 2))
        band = assess(geo, Scenario(segment=segment, inner_km=depths[a], outer_km=depths[b])).band
        union = shapely.union_all(pieces[a:b])
        gap = shapely.symmetric_difference(union, band).area
        assert gap <= 1e-6 * band.area, (depths[a], depths[b], gap)  # m², against a band of ~1e9 m²
        zone = assess(geo, Scenario(segment=segment, inner_km=0.0, outer_km=depths[b])).zone
        assert shapely.symmetric_difference(zones[b - 1], zone).area <= 1e-6 * zone.area
    # an edge lies at its depth from the border: the points of the 30 km line are 30 km from it
    border = geo.borders[segment]
    points = shapely.get_coordinates(edges[59])[::25]  # depth 30 km
    distances = shapely.distance(border, shapely.points(points)) / 1000
    assert np.allclose(distances, 30.0, atol=0.04)  # a buffer's arcs are chords: 36 m at most


def test_packing_keeps_coordinates_to_the_step():
    coords = np.array([[36.1234, 35.9876], [36.2001, 35.9], [36.0, 36.5]])
    flat = depth_curves.packed(coords, 1e-4)
    assert all(isinstance(v, int) for v in flat)
    assert np.allclose(depth_curves.unpacked(flat, 1e-4), coords, atol=0.5e-4)


def test_the_drawing_is_small_enough_to_fetch_once(geo):
    import json

    for segment in ("west", "all"):
        body = json.dumps(depth_curves.drawing(geo, segment), separators=(",", ":"))
        assert len(body) < 2_000_000, (segment, len(body))  # as served, compressed: about a third
