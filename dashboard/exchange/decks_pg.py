"""Saved decks in PostgreSQL, for a team: every app server of the team reads and writes the same decks.

The same guarantees as the SQLite store (dashboard/exchange/decks.py). A save is one transaction: it bumps
the deck's row in ``decks`` (an upsert, which locks that row, so two saves of one deck queue and each gets
the next version) and inserts the version; PostgreSQL commits both or neither, so a server killed, a
connection cut or the database restarted mid-save leaves every earlier version intact and no half-written
one. The schema is created or migrated on start, under an advisory lock so that servers starting together
do it once. Connections come from a pool (psycopg_pool), checked before use, so a restarted database costs
no failed save once it is back; while it is down, each call raises StoreUnavailable after a few seconds,
and the page says so instead of failing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from dashboard.exchange.decks import (
    SavedDeck,
    SaveResult,
    StoreUnavailable,
    checked_body,
    save_result,
    steps_from_records,
)
from dashboard.model.scenario import Step

log = logging.getLogger("dashboard")

# Each entry moves the schema one version on; applied in order, each in the start-up transaction.
MIGRATIONS = (
    """
    CREATE TABLE decks (
        name   text    PRIMARY KEY,
        latest integer NOT NULL CHECK (latest > 0)
    );
    CREATE TABLE deck_versions (
        name     text        NOT NULL REFERENCES decks (name),
        version  integer     NOT NULL CHECK (version > 0),
        saved_at timestamptz NOT NULL DEFAULT now(),
        body     jsonb       NOT NULL,
        PRIMARY KEY (name, version)
    );
    """,
)
SCHEMA_LOCK = 7_366_102_301  # pg_advisory_xact_lock key: one server migrates at a time
WAIT_S = 5.0  # how long a call waits for a connection before saying the database cannot be reached
WAIT_DOWN_S = 0.5  # a read while the database is known to be down: each page run would otherwise wait WAIT_S


def where(url: str) -> str:
    """The database as a person would name it, without its password: "decks on db.example:5432"."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unreadable database URL"
    host = info.get("host") or "localhost"
    return f"PostgreSQL database {info.get('dbname') or info.get('user') or '?'} on {host}:{info.get('port', 5432)}"


class PostgresDeckStore:
    """The team's deck database. One pool per server process, shared by its sessions (psycopg connections are
    thread-safe, and each call takes its own connection from the pool)."""

    def __init__(self, url: str, max_size: int = 8):
        self.location = where(url)
        self._ready = False
        self._down = False  # the last call found the database unreachable
        try:
            self._pool = ConnectionPool(
                url,
                min_size=1,
                max_size=max_size,
                open=False,
                timeout=WAIT_S,
                check=ConnectionPool.check_connection,
                reconnect_timeout=2,  # then a new attempt at once on the next call, not after a growing backoff
                kwargs={"connect_timeout": 3, "application_name": "nwsyria-dashboard"},
                name="decks",
            )
            self._pool.open(wait=False)
        except psycopg.Error as exc:  # a malformed URL: every call will say so
            self._pool, self._broken = None, str(exc)
        try:
            with self._connection():
                pass  # creates or migrates the schema now if the database is up; else on the first call
        except StoreUnavailable as exc:
            log.warning("deck store: %s", exc)

    @contextmanager
    def _connection(self, read: bool = True) -> Iterator[psycopg.Connection]:
        """A pooled connection with the schema in place; the database being unreachable (or going away
        during the call) becomes StoreUnavailable, and the transaction it interrupted is rolled back. A save
        waits up to WAIT_S for the database; a read waits less while the database is known to be down."""
        if self._pool is None:
            raise StoreUnavailable(f"the deck database setting is not valid: {self._broken}")
        try:
            with self._pool.connection(timeout=WAIT_DOWN_S if read and self._down else WAIT_S) as db:
                if not self._ready:
                    migrate(db)
                    self._ready = True
                yield db
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._down = True
            raise StoreUnavailable(f"the {self.location} cannot be reached ({type(exc).__name__})") from exc
        self._down = False

    def save(self, name: str, steps: list[Step], based_on: int | None = None) -> SaveResult:
        """Append a new version of ``name`` in one transaction; ``based_on`` as in the SQLite store."""
        name, records = checked_body(name, steps)
        with self._connection(read=False) as db, db.transaction():
            (version,) = db.execute(
                "INSERT INTO decks (name, latest) VALUES (%s, 1) "
                "ON CONFLICT (name) DO UPDATE SET latest = decks.latest + 1 RETURNING latest",
                (name,),
            ).fetchone()
            db.execute(
                "INSERT INTO deck_versions (name, version, body) VALUES (%s, %s, %s)", (name, version, Jsonb(records))
            )
        return save_result(version - 1, based_on)

    def names(self) -> list[str]:
        with self._connection() as db:
            return [r[0] for r in db.execute("SELECT name FROM decks ORDER BY lower(name), name")]

    def versions(self, name: str) -> list[tuple[int, str]]:
        with self._connection() as db:
            rows = db.execute(
                "SELECT version, saved_at FROM deck_versions WHERE name = %s ORDER BY version DESC", (name,)
            ).fetchall()
        return [(int(v), _iso(t)) for v, t in rows]

    def load(self, name: str, version: int | None = None) -> SavedDeck:
        with self._connection() as db:
            if version is None:
                row = db.execute(
                    "SELECT version, saved_at, body FROM deck_versions WHERE name = %s ORDER BY version DESC LIMIT 1",
                    (name,),
                ).fetchone()
            elif -(2**31) <= version < 2**31:
                row = db.execute(
                    "SELECT version, saved_at, body FROM deck_versions WHERE name = %s AND version = %s",
                    (name, version),
                ).fetchone()
            else:
                row = None  # no such version (and beyond what the column holds)
        if row is None:
            raise KeyError(f"no saved deck {name!r}" + (f" version {version}" if version else ""))
        return SavedDeck(name, int(row[0]), _iso(row[1]), steps_from_records(row[2]))

    def integrity(self) -> str:
        """ "ok", or what is wrong: every deck's versions run 1…latest with none missing or extra."""
        with self._connection() as db:
            bad = db.execute(
                "SELECT d.name FROM decks d LEFT JOIN deck_versions v ON v.name = d.name "
                "GROUP BY d.name, d.latest HAVING count(v.version) <> d.latest OR max(v.version) <> d.latest"
            ).fetchall()
        return "ok" if not bad else "versions missing for " + ", ".join(r[0] for r in bad)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def migrate(db: psycopg.Connection) -> int:
    """Bring the schema to the latest version in one transaction; returns the version it is now at."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        db.execute(
            "CREATE TABLE IF NOT EXISTS deck_schema (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
            "version integer NOT NULL)"
        )
        row = db.execute("SELECT version FROM deck_schema").fetchone()
        current = row[0] if row else 0
        for sql in MIGRATIONS[current:]:
            db.execute(sql)
        if current < len(MIGRATIONS):
            db.execute(
                "INSERT INTO deck_schema (version) VALUES (%s) "
                "ON CONFLICT (one) DO UPDATE SET version = excluded.version",
                (len(MIGRATIONS),),
            )
    return len(MIGRATIONS)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
