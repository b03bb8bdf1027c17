"""Saved briefing decks: named sequences of scenarios in SQLite, and their JSON export (pure: no Streamlit).

Every save appends a new version of the deck inside one SQLite transaction, so a save either lands whole
or not at all (a process killed mid-save leaves the store and every earlier version intact), and two
sessions saving the same deck at once both keep their work: each gets its own version, and the later
one is told which version it superseded. The database lives in the user's data directory unless
``NWSYRIA_DECKS_DB`` names another file.

A team shares its decks in PostgreSQL instead (dashboard/exchange/decks_pg.py, the same guarantees): one
setting, ``NWSYRIA_DECKS_URL``, in the environment or in ``.streamlit/secrets.toml``, chooses it
(``open_store``); without it nothing changes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
import tomllib
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.model import returns, timeline
from dashboard.model.scenario import DEFAULT, REQUIRED_FIELDS, ScenarioError, Step, scenario_from_record
from dashboard.sources.text import clean_text

DB_ENV = "NWSYRIA_DECKS_DB"
URL_ENV = "NWSYRIA_DECKS_URL"
# Where Streamlit reads its secrets: the project's folder (the server's working directory), then the user's.
SECRETS_FILES = (Path(".streamlit") / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")
FORMAT = "nwsyria-briefing-deck"
FORMAT_VERSION = 1
MAX_STEPS = 50
MAX_NAME = 80
MAX_NOTES = 2_000
MAX_JSON_BYTES = 1_000_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS deck_versions (
    name     TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    saved_at TEXT    NOT NULL,
    body     TEXT    NOT NULL,
    PRIMARY KEY (name, version)
)
"""


def default_sequence() -> list[Step]:
    return [
        Step(
            "Proposed 30 km",
            "The shallower reading of the 30–40 km safe zone.",
            replace(DEFAULT, inner_km=0.0, outer_km=30.0),
        ),
        Step(
            "Proposed 40 km",
            "The deeper reading; the band shows what the extra 10 km adds.",
            replace(DEFAULT, inner_km=30.0, outer_km=40.0),
        ),
        Step(
            "Moscow protocol: M4 corridor 6 + 6 km",
            "5 March 2020: a security corridor 6 km north and 6 km south of the M4.",
            replace(DEFAULT, corridor_km=6.0),
        ),
        Step(
            "Observation posts before the 2020 withdrawals",
            "Status of the posts on 1 October 2020, before Turkey began evacuating encircled posts.",
            replace(DEFAULT, post_radius_km=5.0, as_of=dt.date(2020, 10, 1)),
        ),
        Step(
            "Observation posts after the 2020 withdrawals",
            "Status of the posts on 15 January 2021, after the encircled posts were vacated.",
            replace(DEFAULT, post_radius_km=5.0, as_of=dt.date(2021, 1, 15)),
        ),
    ]


class DeckError(ValueError):
    """A deck (JSON or name) is not valid; ``problems`` lists each issue in plain words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class StoreUnavailable(RuntimeError):
    """The deck database cannot be reached just now. Nothing was saved or changed: the same call can be
    tried again once it is back (the message says where it is, never its password)."""


@dataclass(frozen=True)
class SavedDeck:
    name: str
    version: int
    saved_at: str
    steps: list[Step]


@dataclass(frozen=True)
class SaveResult:
    version: int
    superseded: int | None  # the version another session saved after the one this save was based on


def default_path() -> Path:
    """``$NWSYRIA_DECKS_DB``, else decks.sqlite3 in the platform's per-user data directory."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "nwsyria-dashboard" / "decks.sqlite3"


def configured_url() -> str | None:
    """The team's deck database: ``$NWSYRIA_DECKS_URL``, else the same key at the top of a secrets.toml
    Streamlit reads (Streamlit also exports such top-level keys as environment variables, so the server and
    the command line see one setting). None: the embedded SQLite store."""
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV]
    for path in SECRETS_FILES:
        try:
            with open(path, "rb") as fh:
                value = tomllib.load(fh).get(URL_ENV)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def open_store(url: str | None = None):
    """The deck store this installation is set to: PostgreSQL when a database URL is configured (or given),
    else SQLite. Opening never fails because the database is down: its calls raise StoreUnavailable."""
    url = url or configured_url()
    if url:
        from dashboard.exchange.decks_pg import PostgresDeckStore

        return PostgresDeckStore(url)
    return DeckStore()


def checked_body(name: object, steps: list[Step]) -> tuple[str, list[dict]]:
    """The deck's name and its step records as a save stores them; what could not be opened again is refused
    here with the same checks as opening, before any store is touched."""
    records = steps_to_records(steps)
    steps_from_records(records)
    return deck_name(name), records


def save_result(latest: int, based_on: int | None) -> SaveResult:
    """``latest``: the deck's newest version before this save. Told whenever the deck moved on without this
    editor: someone saved after the version it opened, or the name was already taken when this editor never
    opened that deck at all."""
    return SaveResult(latest + 1, latest if latest > (based_on or 0) else None)


def deck_name(name: object) -> str:
    text = clean_text(name)
    if not text:
        raise DeckError(["the deck needs a name"])
    if len(text) > MAX_NAME:
        raise DeckError([f"the deck name is longer than {MAX_NAME} characters"])
    return text


def steps_to_records(steps: list[Step]) -> list[dict]:
    """Step records of the JSON format; a step's returns what-if, where it has one, under "returns"."""
    return [
        {
            "title": s.title,
            "notes": s.notes,
            **s.scenario.to_dict(),
            **({"returns": s.returns.to_dict()} if s.returns is not None else {}),
            **({"months": {"from": s.months[0], "to": s.months[1]}} if s.months is not None else {}),
        }
        for s in steps
    ]


def steps_from_records(records: object) -> list[Step]:
    """Validate step records (as in the JSON format); every problem is collected, then raised together."""
    if not isinstance(records, list):
        raise DeckError(['"steps" must be a list'])
    if not records:
        raise DeckError(["the deck has no steps"])
    if len(records) > MAX_STEPS:
        raise DeckError([f"{len(records)} steps; the limit is {MAX_STEPS}"])
    steps, problems = [], []
    for i, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(f"step {i}: not an object")
            continue
        title = clean_text(record.get("title"))
        notes = record.get("notes") or ""
        if not title:
            problems.append(f"step {i}: no title")
            continue
        if not isinstance(notes, str) or len(notes) > MAX_NOTES:
            problems.append(f"step {i} ({title}): notes must be text of at most {MAX_NOTES} characters")
            continue
        missing = [f for f in REQUIRED_FIELDS if f not in record]
        if missing:
            problems.append(f"step {i} ({title}): missing {', '.join(missing)}")
            continue
        try:
            scenario = scenario_from_record(record)
        except ScenarioError as exc:
            problems.append(f"step {i} ({title}): {exc}")
            continue
        whatif = None
        if record.get("returns") is not None:
            try:
                whatif = returns.from_record(record["returns"])
            except returns.ReturnsError as exc:
                problems.append(f"step {i} ({title}): returns what-if: {exc}")
                continue
        run = None
        if record.get("months") is not None:
            try:
                run = months_of(record["months"])
            except timeline.MonthError as exc:
                problems.append(f"step {i} ({title}): months: {exc}")
                continue
        steps.append(Step(title, _plain_notes(notes), scenario, whatif, run))
    if problems:
        raise DeckError(problems)
    return steps


def months_of(record: object) -> tuple[str, str]:
    """A step's months from {"from": "YYYY-MM", "to": "YYYY-MM"} ("to" left out: one month), within the events
    data's months and not backwards; MonthError says what is wrong."""
    if not isinstance(record, dict) or set(record) - {"from", "to"} or "from" not in record:
        raise timeline.MonthError('give {"from": "YYYY-MM", "to": "YYYY-MM"} ("to" may be left out for one month)')
    first = timeline.parse_month(record["from"])
    last = timeline.parse_month(record.get("to") or first)
    timeline.months_between(first, last)
    return first, last


def _plain_notes(notes: str) -> str:
    return "\n".join(clean_text(line, MAX_NOTES) for line in notes.splitlines())


def deck_to_json(name: str, steps: list[Step]) -> str:
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": name, "steps": steps_to_records(steps)}
    return json.dumps(doc, indent=1, ensure_ascii=False)


def deck_from_json(data: bytes | str) -> tuple[str, list[Step]]:
    """Parse an exported deck; anything else raises DeckError saying what is wrong."""
    if len(data) > MAX_JSON_BYTES:
        raise DeckError([f"the file is larger than {MAX_JSON_BYTES // 1000} kB"])
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise DeckError(["the file is not valid JSON"]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DeckError([f'not a briefing deck (expected "format": "{FORMAT}")'])
    version = doc.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:  # not "1", 1.0 or true: the number 1 itself
        raise DeckError([f"format_version {clean_text(json.dumps(version))} is not {FORMAT_VERSION}"])
    return deck_name(doc.get("name")), steps_from_records(doc.get("steps"))


class DeckStore:
    """The deck database. A new connection per call, so sessions on different threads never share one."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.location = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
            db.commit()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        return db

    def save(self, name: str, steps: list[Step], based_on: int | None = None) -> SaveResult:
        """Append a new version of ``name`` atomically; ``based_on`` is the version of ``name`` the editor
        loaded or last saved (None: it never had this deck)."""
        name, records = checked_body(name, steps)
        body = json.dumps(records, ensure_ascii=False)
        saved_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                (latest,) = db.execute(
                    "SELECT COALESCE(MAX(version), 0) FROM deck_versions WHERE name = ?", (name,)
                ).fetchone()
                db.execute(
                    "INSERT INTO deck_versions (name, version, saved_at, body) VALUES (?, ?, ?, ?)",
                    (name, latest + 1, saved_at, body),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return save_result(latest, based_on)

    def names(self) -> list[str]:
        with closing(self._connect()) as db:
            return [r[0] for r in db.execute("SELECT DISTINCT name FROM deck_versions ORDER BY name COLLATE NOCASE")]

    def versions(self, name: str) -> list[tuple[int, str]]:
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT version, saved_at FROM deck_versions WHERE name = ? ORDER BY version DESC", (name,)
            )
            return [(int(v), str(t)) for v, t in rows]

    def load(self, name: str, version: int | None = None) -> SavedDeck:
        with closing(self._connect()) as db:
            if version is None:
                row = db.execute(
                    "SELECT version, saved_at, body FROM deck_versions WHERE name = ? ORDER BY version DESC LIMIT 1",
                    (name,),
                ).fetchone()
            else:
                row = db.execute(
                    "SELECT version, saved_at, body FROM deck_versions WHERE name = ? AND version = ?",
                    (name, version),
                ).fetchone()
        if row is None:
            raise KeyError(f"no saved deck {name!r}" + (f" version {version}" if version else ""))
        return SavedDeck(name, int(row[0]), str(row[1]), steps_from_records(json.loads(row[2])))

    def integrity(self) -> str:
        with closing(self._connect()) as db:
            return str(db.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        """Nothing held open: a connection lives for one call."""
