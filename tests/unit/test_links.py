"""URL codec: round trips, and hostile input never raises (hypothesis)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dashboard.exchange.links import decode, encode, query_string
from dashboard.model.scenario import DEFAULT, FIELDS, Scenario


def test_round_trip_and_defaults_dropped():
    s = Scenario(inner_km=12.5, outer_km=33, segment="all", corridor_km=6, post_radius_km=5, as_of=dt.date(2021, 1, 2))
    params = encode(s)
    assert params == {
        "inner": "12.5",
        "outer": "33",
        "seg": "all",
        "corridor": "6",
        "radius": "5",
        "asof": "2021-01-02",
    }
    assert decode(params) == (s, [])
    assert encode(DEFAULT) == {} and query_string(DEFAULT) == ""


def test_one_bad_value_keeps_the_good_ones():
    s, warnings = decode({"outer": "55", "seg": "nowhere", "corridor": "6"})
    assert (s.outer_km, s.segment, s.corridor_km) == (55, "west", 6)
    assert len(warnings) == 1 and "seg" in warnings[0]


def test_inconsistent_depths_fall_back_together():
    s, warnings = decode({"inner": "70", "outer": "20"})
    assert (s.inner_km, s.outer_km) == (30, 40)
    assert warnings and "zone depth" in warnings[0]


def test_repeated_and_overlong_values_are_handled():
    s, warnings = decode({"outer": ["45", "50"], "seg": "x" * 10_000})
    assert s.outer_km == 50 and len(warnings) == 1 and len(warnings[0]) < 200


@given(
    st.dictionaries(st.sampled_from([f.param for f in FIELDS] + ["junk"]), st.one_of(st.text(), st.lists(st.text())))
)
def test_decoder_never_raises_and_always_returns_a_valid_scenario(params):
    scenario, warnings = decode(params)
    assert isinstance(scenario, Scenario)
    assert all(isinstance(w, str) for w in warnings)


def test_a_word_where_a_number_belongs_is_named_in_plain_words():
    _, warnings = decode({"corridor": "abc"})
    assert warnings == ["ignored corridor='abc' (a number of kilometres); using 0.0"]
