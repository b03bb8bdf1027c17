import datetime as dt

import pytest

from dashboard.model.scenario import DEFAULT, Scenario, ScenarioError
from dashboard.model.scenario import FIELD_WORDS as sc_words


def test_default_is_the_30_to_40_km_zone_west_of_the_euphrates():
    assert (DEFAULT.inner_km, DEFAULT.outer_km, DEFAULT.segment) == (30.0, 40.0, "west")
    assert DEFAULT.corridor_km == 0 and DEFAULT.post_radius_km == 0
    assert DEFAULT.as_of == dt.date(2020, 3, 5)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"inner_km": 40, "outer_km": 40}, "outer_km"),
        ({"inner_km": 50, "outer_km": 40}, "outer_km"),
        ({"inner_km": -1, "outer_km": 40}, "inner_km"),
        ({"inner_km": 0, "outer_km": 100.5}, "outer_km"),
        ({"segment": "north"}, "segment"),
        ({"corridor_km": -2}, "corridor_km"),
        ({"corridor_km": 30}, "corridor_km"),
        ({"post_radius_km": 51}, "post_radius_km"),
        ({"as_of": dt.date(2016, 1, 1)}, "as_of"),
        ({"as_of": "2020-03-05"}, "as_of"),
        ({"outer_km": float("nan")}, "outer_km"),
        ({"outer_km": True}, "outer_km"),
    ],
)
def test_invalid_values_name_the_field_value_and_range(kwargs, field):
    with pytest.raises(ScenarioError) as err:
        Scenario(**kwargs)
    assert err.value.field == field
    message = str(err.value)
    assert message.startswith(sc_words[field])  # in words, never the code name
    assert err.value.allowed in message


def test_extremes_are_allowed():
    Scenario(inner_km=0, outer_km=100)
    Scenario(inner_km=99, outer_km=100)
    Scenario(inner_km=0, outer_km=0.5)


def test_scenario_is_frozen_and_hashable():
    with pytest.raises(AttributeError):
        DEFAULT.outer_km = 50
    assert hash(Scenario()) == hash(DEFAULT)


def test_label_says_band_segment_and_date():
    label = Scenario(corridor_km=6).label()
    assert "30–40 km band" in label and "west of the Euphrates" in label
    assert "M4 corridor 6 km" in label and "05 Mar 2020" in label


def test_one_record_mapping_round_trips_and_names_a_bad_field(monkeypatch):
    import dataclasses

    from dashboard.model import scenario as sc

    s = Scenario(inner_km=5, outer_km=25.5, segment="all", corridor_km=6, post_radius_km=2, as_of=dt.date(2021, 1, 1))
    assert sc.scenario_from_record(s.to_dict()) == s
    assert sc.scenario_from_record({k: str(v) for k, v in s.to_dict().items()}, text=True) == s
    with pytest.raises(ScenarioError, match="the M4 corridor"):
        sc.scenario_from_record({**s.to_dict(), "corridor_km": "6"})  # a deck holds numbers, not text
    # a field added later (not required) lets an older record open with the default
    later = tuple(dataclasses.replace(f, required=f.name != "post_radius_km") for f in sc.FIELDS)
    monkeypatch.setattr(sc, "FIELDS", later)
    old = {k: v for k, v in s.to_dict().items() if k != "post_radius_km"}
    assert sc.scenario_from_record(old).post_radius_km == sc.DEFAULT.post_radius_km


def test_a_scenarios_repr_tells_every_field_apart():
    """The app's caches key a scenario by its repr (ui/engine_results.SCENARIO_KEY): a field left out of it, or shown
    inexactly, would give two scenarios one cached result."""
    import dataclasses
    import datetime as dt

    other = {
        "inner_km": 30.000000000000004,
        "outer_km": 40.5,
        "segment": "east",
        "corridor_km": 6.0,
        "post_radius_km": 5.0,
        "as_of": DEFAULT.as_of + dt.timedelta(days=1),
        "events_from": DEFAULT.events_from + dt.timedelta(days=1),
        "events_to": DEFAULT.events_to - dt.timedelta(days=1),
    }
    assert set(other) == {f.name for f in dataclasses.fields(Scenario)}
    for name, value in other.items():
        assert repr(dataclasses.replace(DEFAULT, **{name: value})) != repr(DEFAULT), name
