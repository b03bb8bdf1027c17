"""Saved decks: versions, JSON export/import with validation, atomic saves under kill -9, concurrent saves.

The store's tests run against both stores: SQLite (a file per test) and PostgreSQL, when
``NWSYRIA_TEST_DECKS_URL`` names a database the tests may create schemas in (`.ci/run` starts a throwaway
cluster and sets it; without it the PostgreSQL cases are skipped and say why). Each PostgreSQL case has a
schema of its own, dropped afterwards.
"""

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
import uuid
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
TEST_URL_ENV = "NWSYRIA_TEST_DECKS_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request, tmp_path):
    """A function opening a new store object on one test database (each call: another session's store)."""
    opened = []
    if request.param == "sqlite":
        spec = str(tmp_path / "decks.sqlite3")

        def new_store():
            opened.append(DeckStore(spec))
            return opened[-1]

    else:
        url = os.environ.get(TEST_URL_ENV)
        if not url:
            pytest.skip(f"no PostgreSQL server for the tests: set {TEST_URL_ENV} (.ci/run starts one)")
        psycopg = pytest.importorskip("psycopg")
        from dashboard.exchange.decks_pg import PostgresDeckStore

        schema = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(f"CREATE SCHEMA {schema}")
        spec = psycopg.conninfo.make_conninfo(url, options=f"-c search_path={schema}")

        def new_store():
            opened.append(PostgresDeckStore(spec))
            return opened[-1]

    new_store.spec = spec
    new_store.kind = request.param
    yield new_store
    for store in opened:
        store.close()
    if request.param == "postgresql":
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(f"DROP SCHEMA {schema} CASCADE")


def test_save_load_and_every_version_is_kept(open_store):
    store = open_store()
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


def test_two_sessions_saving_at_once_keep_both_decks_and_both_versions(open_store):
    open_store().save("Shared", default_sequence(), based_on=None)
    results, errors = {}, []

    def session(who: str, depth: float):
        try:
            store = open_store()  # each session has its own store (for PostgreSQL: as each server would)
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
    store = open_store()
    assert [v for v, _ in store.versions("Shared")] == list(range(41, 0, -1))  # 1 + 2 × 20, none lost
    titles = {store.load("Shared", v).steps[0].title for v in range(2, 42)}
    assert titles == {"Ana view", "Ben view"}
    assert sum(r.superseded is not None for r in results.values()) == 39  # all but the first to land are told
    assert len(store.versions("Ana's own")) == 20 and len(store.versions("Ben's own")) == 20


SAVER = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from dashboard.exchange.decks import DeckStore, open_store
    from dashboard.model.scenario import DEFAULT, Step
    store = DeckStore(sys.argv[2]) if sys.argv[1] == "sqlite" else open_store(sys.argv[2])
    notes = "n" * 1900
    i = 0
    while True:
        i += 1
        steps = [Step(f"save {i} step {k}", notes, replace(DEFAULT, outer_km=41 + k)) for k in range(50)]
        store.save("Kill test", steps)
        print(i, flush=True)
    """
)


def test_killing_the_process_mid_save_leaves_the_store_intact(open_store):
    open_store().save("Kill test", default_sequence())
    for delay in (0.7, 1.1, 1.6):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, open_store.kind, open_store.spec],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert proc.stdout.readline().strip() == "1"  # at least one save landed: it is saving now
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        store = open_store()
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


def test_the_first_save_under_a_taken_name_reports_the_version_it_follows(open_store):
    store = open_store()
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


def test_one_setting_chooses_the_store(tmp_path, monkeypatch):
    """The environment, else a secrets.toml Streamlit reads, else SQLite; a malformed secrets file is no setting."""
    from dashboard.exchange import decks

    monkeypatch.delenv(decks.URL_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(decks, "SECRETS_FILES", (tmp_path / ".streamlit" / "secrets.toml",))
    assert decks.configured_url() is None
    assert isinstance(decks.open_store(), DeckStore)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('NWSYRIA_DECKS_URL = "postgresql://a@db:5433/decks"\n')
    assert decks.configured_url() == "postgresql://a@db:5433/decks"
    monkeypatch.setenv(decks.URL_ENV, "postgresql://b@other/decks")
    assert decks.configured_url() == "postgresql://b@other/decks"
    monkeypatch.delenv(decks.URL_ENV)
    (tmp_path / ".streamlit" / "secrets.toml").write_text("NWSYRIA_DECKS_URL = [")
    assert decks.configured_url() is None


def test_the_database_is_named_without_its_password():
    pytest.importorskip("psycopg")
    from dashboard.exchange.decks_pg import where

    assert where("postgresql://app:s3cret@db.example:6432/decks") == "PostgreSQL database decks on db.example:6432"
    assert "s3cret" not in where("host=db password=s3cret dbname=decks")


def test_an_unreachable_database_says_so_and_the_schema_is_made_when_it_is_back(pg_cluster, monkeypatch):
    """A server started while PostgreSQL is down still starts; each call says the database cannot be reached;
    once it is up, the first call creates the schema and saves."""
    from dashboard.exchange import decks, decks_pg
    from dashboard.exchange.decks_pg import MIGRATIONS

    monkeypatch.setattr(decks_pg, "WAIT_S", 1.0)  # each call gives up sooner: the same path, less waiting

    pg_cluster.stop()
    try:
        store = decks.open_store(pg_cluster.url)  # does not raise
        with pytest.raises(decks.StoreUnavailable, match=rf"decks on 127.0.0.1:{pg_cluster.port} cannot be reached"):
            store.save("While down", default_sequence())
        with pytest.raises(decks.StoreUnavailable):
            store.names()
    finally:
        pg_cluster.start()
    assert store.save("While down", default_sequence()).version == 1
    assert store.names() == ["While down"]
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(pg_cluster.url) as db:
        assert db.execute("SELECT version FROM deck_schema").fetchone() == (len(MIGRATIONS),)
    store.close()


def test_restarting_postgresql_during_saves_loses_no_version(pg_cluster):
    """Two savers (two servers) save 50-step decks without pause while PostgreSQL is restarted three times.
    Every save either returns its version, which then holds that save's content in full, or says the
    database cannot be reached (the user is told to retry); nothing else, and no gap in the versions."""
    from dashboard.exchange import decks

    landed, refused, errors = {}, [], []
    stop = threading.Event()

    def saver(who: str):
        store = decks.open_store(pg_cluster.url)
        i = 0
        while not stop.is_set():
            i += 1
            title = f"{who} save {i}"
            steps = [Step(f"{title} step {k}", "n" * 1900, replace(DEFAULT, outer_km=41 + k)) for k in range(50)]
            try:
                landed[store.save("Restart test", steps).version] = title
            except decks.StoreUnavailable:
                refused.append(title)
            except Exception as exc:  # noqa: BLE001 - anything but "cannot be reached" fails the test
                errors.append(exc)
        store.close()

    threads = [threading.Thread(target=saver, args=(w,)) for w in ("Ana", "Ben")]
    for t in threads:
        t.start()

    def saves_land():  # five more saves land: the savers are saving now (or again, after a restart)
        target, give_up = len(landed) + 5, time.monotonic() + 300  # a hang guard, not a timing window
        while len(landed) < target and not errors:
            assert time.monotonic() < give_up, f"saves stopped landing: {refused[-3:]}"
            time.sleep(0.02)

    try:
        for _ in range(3):
            saves_land()
            pg_cluster.restart()
        saves_land()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    store = decks.open_store(pg_cluster.url)
    assert store.integrity() == "ok"
    versions = [v for v, _ in store.versions("Restart test")]
    assert versions == list(range(max(versions), 0, -1))
    for version, title in landed.items():  # every save that said it landed, read back in full
        steps = store.load("Restart test", version).steps
        assert len(steps) == 50 and steps[0].title == f"{title} step 0" and steps[-1].notes == "n" * 1900
    store.close()
