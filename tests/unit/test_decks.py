"""Saved decks: versions, JSON export/import with validation, atomic saves under kill -9, concurrent saves."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.exchange.decks import (
    DB_ENV,
    DeckError,
    DeckStore,
    deck_from_json,
    deck_to_json,
    default_path,
    default_sequence,
)
from dashboard.model.scenario import DEFAULT, FIELD_WORDS, Step

ROOT = Path(__file__).resolve().parents[2]


def test_save_load_and_every_version_is_kept(tmp_path):
    store = DeckStore(tmp_path / "decks.sqlite3")
    steps = default_sequence()
    first = store.save("Morning brief", steps)
    second = store.save("Morning brief", steps[:2])
    assert (first.version, second.version) == (1, 2)
    assert len(store.load("Morning brief").steps) == 2
    assert store.load("Morning brief", version=1).steps == steps
    assert [v for v, _ in store.versions("Morning brief")] == [2, 1]
    assert store.names() == ["Morning brief"]
    with pytest.raises(KeyError):
        store.load("nothing")


def test_json_round_trip_and_validation_names_each_problem():
    steps = default_sequence()
    name, back = deck_from_json(deck_to_json("Morning brief", steps))
    assert name == "Morning brief" and back == steps
    doc = json.loads(deck_to_json("x", steps[:3]))
    doc["steps"][0]["outer_km"] = 500
    doc["steps"][1]["as_of"] = "yesterday"
    del doc["steps"][2]["segment"]
    with pytest.raises(DeckError) as err:
        deck_from_json(json.dumps(doc))
    assert err.value.problems == [
        "step 1 (Proposed 30 km): the outer depth (500 km) is not allowed: at most 100 km",
        "step 2 (Proposed 40 km): the date of the posts' status ('yesterday') is not allowed: a date (YYYY-MM-DD)",
        "step 3 (Moscow protocol: M4 corridor 6 + 6 km): missing segment",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a briefing deck"),
        ('{"format": "nwsyria-briefing-deck", "format_version": 9}', "format_version 9 is not 1"),
        ('{"format": "nwsyria-briefing-deck", "format_version": "1"}', 'format_version "1" is not 1'),
        ('{"format": "nwsyria-briefing-deck", "format_version": true}', "format_version true is not 1"),
        ('{"format": "nwsyria-briefing-deck", "format_version": 1.0}', "format_version 1.0 is not 1"),
        ('{"format": "nwsyria-briefing-deck", "format_version": 1, "name": " ", "steps": []}', "needs a name"),
        ('{"format": "nwsyria-briefing-deck", "format_version": 1, "name": "a", "steps": []}', "has no steps"),
        ('{"format": "nwsyria-briefing-deck", "format_version": 1, "name": "a", "steps": {}}', "must be a list"),
    ],
)
def test_invalid_deck_files_are_refused_with_the_reason(text, message):
    with pytest.raises(DeckError, match=message):
        deck_from_json(text)


@given(st.binary(max_size=500) | st.text(max_size=500))
def test_any_input_gives_a_deck_or_a_deck_error(data):
    try:
        name, steps = deck_from_json(data)
    except DeckError as exc:
        assert exc.problems
    else:
        assert name and steps


def test_database_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "elsewhere" / "d.sqlite3"))
    assert default_path() == tmp_path / "elsewhere" / "d.sqlite3"
    assert DeckStore().path.parent.is_dir()
    monkeypatch.delenv(DB_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert default_path() == tmp_path / "xdg" / "nwsyria-dashboard" / "decks.sqlite3"


def test_two_sessions_saving_at_once_keep_both_decks_and_both_versions(tmp_path):
    path = tmp_path / "decks.sqlite3"
    DeckStore(path).save("Shared", default_sequence(), based_on=None)
    results, errors = {}, []

    def session(who: str, depth: float):
        try:
            store = DeckStore(path)  # each session has its own store, as each Streamlit session would
            steps = [Step(f"{who} view", "", replace(DEFAULT, outer_km=depth))]
            for i in range(20):
                results[(who, i)] = store.save("Shared", steps, based_on=1)
                store.save(f"{who}'s own", steps)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(w, d)) for w, d in (("Ana", 45.0), ("Ben", 55.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = DeckStore(path)
    assert [v for v, _ in store.versions("Shared")] == list(range(41, 0, -1))  # 1 + 2 × 20, none lost
    titles = {store.load("Shared", v).steps[0].title for v in range(2, 42)}
    assert titles == {"Ana view", "Ben view"}
    assert sum(r.superseded is not None for r in results.values()) == 39  # all but the first to land are told
    assert len(store.versions("Ana's own")) == 20 and len(store.versions("Ben's own")) == 20


SAVER = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from dashboard.exchange.decks import DeckStore
    from dashboard.model.scenario import DEFAULT, Step
    store = DeckStore(sys.argv[1])
    notes = "n" * 1900
    i = 0
    while True:
        i += 1
        steps = [Step(f"save {i} step {k}", notes, replace(DEFAULT, outer_km=41 + k)) for k in range(50)]
        store.save("Kill test", steps)
        print(i, flush=True)
    """
)


def test_killing_the_process_mid_save_leaves_the_store_intact(tmp_path):
    path = tmp_path / "decks.sqlite3"
    DeckStore(path).save("Kill test", default_sequence())
    for delay in (0.7, 1.1, 1.6):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert proc.stdout.readline().strip() == "1"  # at least one save landed: it is saving now
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        store = DeckStore(path)
        assert store.integrity() == "ok"
        versions = [v for v, _ in store.versions("Kill test")]
        assert versions == list(range(max(versions), 0, -1))  # no gap, no half-written version
        latest = store.load("Kill test")
        assert len(latest.steps) == 50 and all(s.notes == "n" * 1900 for s in latest.steps)
        assert store.load("Kill test", versions[1]).steps  # the previous version is readable
    assert store.load("Kill test", 1).steps == default_sequence()


def test_a_step_dated_after_the_shared_limit_is_refused_by_name():
    from dashboard.model.scenario import AS_OF_MAX

    doc = json.loads(deck_to_json("Late", default_sequence()))
    doc["steps"][1]["as_of"] = "2031-01-01"
    with pytest.raises(
        DeckError, match=rf"step 2 \(Proposed 40 km\): the date of the posts' status \('2031-01-01'\) .*{AS_OF_MAX}"
    ):
        deck_from_json(json.dumps(doc))


def test_the_first_save_under_a_taken_name_reports_the_version_it_follows(tmp_path):
    store = DeckStore(tmp_path / "decks.sqlite3")
    assert store.save("Mine", default_sequence()).superseded is None
    assert store.save("Mine", default_sequence(), based_on=1).superseded is None
    assert store.save("Mine", default_sequence()).superseded == 2  # never opened here: told what it follows


def test_a_deck_dated_after_today_but_within_the_range_opens(tmp_path):
    """Decks saved when the date picker allowed dates up to today (2026) must stay readable."""
    doc = json.loads(deck_to_json("Late", default_sequence()))
    doc["steps"][0]["as_of"] = "2026-11-29"
    name, steps = deck_from_json(json.dumps(doc))
    assert steps[0].scenario.as_of.isoformat() == "2026-11-29"


@pytest.mark.parametrize("segment", [["west"], {"a": 1}, None, 3])
def test_a_step_with_a_segment_of_the_wrong_type_is_refused_by_name(segment):
    doc = json.loads(deck_to_json("Odd", default_sequence()))
    doc["steps"][0]["segment"] = segment
    with pytest.raises(DeckError, match=r"step 1 \(Proposed 30 km\): the border segment "):
        deck_from_json(json.dumps(doc))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@given(
    st.sampled_from(["inner_km", "outer_km", "segment", "corridor_km", "post_radius_km", "as_of", "title", "notes"]),
    JSON_VALUES,
)
def test_any_value_in_any_step_field_gives_a_deck_or_a_deck_error(field, value):
    doc = json.loads(deck_to_json("Fuzz", default_sequence()))
    doc["steps"][0][field] = value
    with contextlib.suppress(DeckError):  # anything else (TypeError, KeyError…) fails the test
        deck_from_json(json.dumps(doc))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("segment", ["west"], "one of west, east, all"),
        ("segment", {"a": 1}, "one of west, east, all"),
        ("inner_km", 10**400, "a finite number of kilometres"),  # too large for a float
        ("corridor_km", -(10**400), "a finite number of kilometres"),
    ],
)
def test_a_wrong_value_is_refused_in_plain_words_not_pythons(field, value, says):
    doc = json.loads(deck_to_json("Odd", default_sequence()))
    doc["steps"][0][field] = value
    with pytest.raises(DeckError, match=rf"step 1 \(Proposed 30 km\): {FIELD_WORDS[field]} .*{says}"):
        deck_from_json(json.dumps(doc))
