"""The precomputed geography: named, typed arrays whose rows line up with the layers they came from."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import shapely

from dashboard.model.geography import KEY_TOWNS, HotArrays, SegmentArrays, reach_km


def test_every_hot_array_lines_up_with_its_layer(geo):
    hot = geo.hot
    assert isinstance(hot, HotArrays)
    n_sub, n_settle, n_post = len(geo.subdistricts), len(geo.settlements), len(geo.posts)
    assert {len(hot.sub_polys), len(hot.sub_areas), len(hot.sub_pop), len(hot.sub_control), len(hot.sub_gov)} == {n_sub}
    assert {len(hot.settle_geoms), len(hot.settle_pop), len(hot.settle_sub), len(hot.patrol_dist_settle)} == {n_settle}
    assert {len(hot.post_geoms), len(hot.post_dates), len(hot.patrol_dist_post)} == {n_post}
    assert list(hot.sub_static["id"]) == list(geo.subdistricts["id"])
    assert list(geo.settlements["id"].iloc[hot.town_index]) == list(KEY_TOWNS.values())


def test_every_segment_has_its_arrays_and_the_two_sides_split_syria(geo):
    assert set(geo.hot.segments) == {"west", "east", "all"}
    for seg in geo.hot.segments.values():
        assert isinstance(seg, SegmentArrays)
        assert len(seg.settle_dist) == len(geo.settlements) and seg.sub_reach.shape == (len(geo.subdistricts), 2)
    west, east, whole = (geo.hot.segments[s].sub_side for s in ("west", "east", "all"))
    assert not (west & east).any() and (west | east).all() and whole.all()
    with pytest.raises(dataclasses.FrozenInstanceError):
        geo.hot.segments["west"].settle_dist = np.zeros(1)


def test_a_subdistricts_reach_is_its_nearest_and_farthest_distance():
    """A 10 km square whose near side lies 5 km from a straight border (units are metres, as on the ground)."""
    border = shapely.LineString([(-50_000, 0), (50_000, 0)])
    square = shapely.box(0, 5_000, 10_000, 15_000)
    ((near, far),) = reach_km(np.array([square], dtype=object), border)
    assert near == pytest.approx(5.0) and far == pytest.approx(15.0)


def test_distances_are_kilometres_on_the_ground(geo):
    west = geo.hot.segments["west"]
    idlib = int(np.flatnonzero(geo.settlements["id"] == KEY_TOWNS["Idlib"])[0])
    assert 15 < west.settle_dist[idlib] < 40  # Idlib city is about 25 km from the border
    assert (west.settle_dist[geo.hot.settle_in_syria & west.settle_side] < 700).all()


def test_added_towns_and_border_towns_reach_the_people_model_as_towns_of_their_subdistrict(geo):
    """Issue 26: the people model reads each settlement's population and sub-district from these arrays. The
    towns added from the authored table (Sarmada 15,000 in 2007; Atmeh, Qah, Deir Hassan by the 2004 census)
    and Ayn al-Arab (50,000, its point 0.5 km beyond Natural Earth's line) are counted in their sub-district."""
    ids = list(geo.settlements["id"])
    subs = list(geo.subdistricts["id"])
    expected = {"au-sarmada": 15000, "au-atmeh": 2255, "au-qah": 2262, "au-deir-hassan": 1875, "gn172256": 50000}
    for pid, people in expected.items():
        row = ids.index(pid)
        assert geo.hot.settle_pop[row] == people, pid
        sub = geo.hot.settle_sub[row]
        assert sub >= 0 and subs[sub] == geo.settlements["subdistrict_id"].iloc[row], pid
        assert geo.hot.settle_in_syria[row] == pid.startswith("au-"), pid  # Ayn al-Arab's point is over the line
