"""Issue 30: a deck step carries a month or a run of months. The step then shows the scenario over those months
(their events as the window, the posts as of the last month's last day), in the presenter, the pack, the
slides and the CLI; decks and the sequence editor keep the months and refuse a bad one in words."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.exchange.decks import DeckError, deck_from_json, deck_to_json, default_sequence
from dashboard.model import metrics, timeline
from dashboard.model.geography import load_geography
from dashboard.model.impact import assess
from dashboard.model.scenario import Step, month_run_label
from dashboard.ui import sequence_editor


def with_months(step: Step, first: str, last: str) -> Step:
    return Step(step.title, step.notes, step.scenario, step.returns, (first, last))


def test_a_step_with_months_shows_their_events_and_the_posts_on_the_last_day():
    plain = default_sequence()[1]
    step = with_months(plain, "2019-11", "2020-02")
    assert plain.shown == plain.scenario and plain.months_label() == ""
    shown = step.shown
    assert (shown.events_from, shown.events_to, shown.as_of) == (
        dt.date(2019, 11, 1),
        dt.date(2020, 2, 29),  # a leap year's February
        dt.date(2020, 2, 29),
    )
    assert (shown.inner_km, shown.outer_km, shown.segment) == (30.0, 40.0, plain.scenario.segment)
    assert step.months_label() == "Nov 2019–Feb 2020" == month_run_label("2019-11", "2020-02")
    assert (
        month_run_label("2019-05", "2019-05") == "May 2019" and month_run_label("2019-05", "2019-07") == "May–Jul 2019"
    )


def test_the_months_said_are_what_the_time_control_shows_for_those_months():
    """A step over Dec 2019–Jan 2020 says the events and deaths inside that the time control's two months add
    up to (its per-month counts are held to an independent count in tests/unit/test_timeline.py)."""
    geo = load_geography()
    step = with_months(default_sequence()[1], "2019-12", "2020-01")
    impact = assess(geo, step.shown)
    months = timeline.event_months(geo, step.scenario, "2019-12", "2020-01")
    assert impact.events_inside == int(months["events_inside"].sum()) > 0
    assert impact.deaths_inside == pytest.approx(float(months["best_inside"].sum()))
    said = metrics.months_shown(step, impact)
    assert said.startswith(f"Dec 2019–Jan 2020: {impact.events_inside:,} events and {impact.deaths_inside:,.0f} deaths")
    assert said.endswith("posts as of 31 Jan 2020")


def test_decks_keep_a_steps_months_and_refuse_bad_ones_in_words():
    steps = default_sequence()
    steps[0] = with_months(steps[0], "2019-05", "2019-05")
    steps[2] = with_months(steps[2], "2019-11", "2020-03")
    name, back = deck_from_json(deck_to_json("Offensive", steps))
    assert back == steps and back[0].months == ("2019-05", "2019-05")
    doc = json.loads(deck_to_json("x", steps[:4]))
    assert doc["steps"][0]["months"] == {"from": "2019-05", "to": "2019-05"} and "months" not in doc["steps"][1]
    doc["steps"][0]["months"] = {"from": "2019-5"}
    doc["steps"][1]["months"] = {"from": "2021-01"}
    doc["steps"][2]["months"] = {"from": "2020-03", "to": "2019-11"}
    doc["steps"][3]["months"] = "2019-05"
    with pytest.raises(DeckError) as err:
        deck_from_json(json.dumps(doc))
    said = err.value.problems
    assert len(said) == 4
    assert "months: '2019-5' is not a month: YYYY-MM, 2017-01 to 2020-12" in said[0]
    assert "months: 2021-01 is outside the events data's months" in said[1]
    assert "months: the run of months goes backwards: 2020-03 to 2019-11" in said[2]
    assert 'months: give {"from": "YYYY-MM", "to": "YYYY-MM"}' in said[3]
    only_from = json.loads(deck_to_json("x", steps[:1]))
    only_from["steps"][0]["months"] = {"from": "2019-06"}
    assert deck_from_json(json.dumps(only_from))[1][0].months == ("2019-06", "2019-06")


def test_the_sequence_editor_keeps_the_months_and_says_what_is_wrong():
    steps = default_sequence()
    steps[1] = with_months(steps[1], "2019-05", "2019-07")
    table = sequence_editor.table_of(steps)
    assert list(table.loc[1, ["months_from", "months_to"]]) == ["2019-05", "2019-07"]
    back, problems = sequence_editor.steps_from_table(table)
    assert back == steps and problems == []
    table.loc[0, "months_from"] = "May 2019"
    table.loc[2, ["months_from", "months_to"]] = [None, "2019-07"]
    table.loc[3, "months_from"] = "2019-08"  # no last month: one month
    back, problems = sequence_editor.steps_from_table(table)
    assert [s.title for s in back] == ["Proposed 40 km", steps[3].title, steps[4].title]
    assert back[1].months == ("2019-08", "2019-08")
    assert "row 1 (Proposed 30 km): months: 'May 2019' is not a month" in problems[0]
    assert "row 3" in problems[1] and "needs its first month" in problems[1]
