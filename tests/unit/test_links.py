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
    assert warnings == [
        "the M4 corridor (corridor='abc') was ignored: it must be a number of kilometres, in digits; using 0 km"
    ]


# --- rough edges (issue 27): values read as a briefer writes them, messages in a briefer's words ---------


def test_minus_zero_is_zero_and_never_printed_with_a_sign():
    scenario, warnings = decode({"inner": "-0"})
    assert warnings == [] and scenario.label().startswith("0–40 km band")
    assert Scenario(inner_km=-0.0).label().startswith("0–40 km")


def test_a_number_is_digits_only():
    for raw in ("4_5", "1e2", "inf", "0x2d"):
        scenario, warnings = decode({"outer": raw})
        assert scenario.outer_km == 40 and len(warnings) == 1, raw
        assert "the outer depth" in warnings[0] and "in digits" in warnings[0]


def test_a_reversed_events_window_is_refused_with_a_message():
    scenario, warnings = decode({"evfrom": "2020-06-01", "evto": "2020-05-01"})
    assert (scenario.events_from, scenario.events_to) == (DEFAULT.events_from, DEFAULT.events_to)
    assert len(warnings) == 1 and "the events window was ignored" in warnings[0]
    assert "must not end before it starts" in warnings[0]


def test_messages_use_a_briefers_words_not_code_names():
    _, warnings = decode({"inner": "60", "outer": "50", "corridor": "30", "radius": "x"})
    text = " ".join(warnings)
    assert "the inner depth (60 km) must be less than the outer" in text
    assert "the M4 corridor" in text and "the radius around each post" in text
    assert not any(code in text for code in ("inner_km", "outer_km", "corridor_km", "post_radius_km"))
