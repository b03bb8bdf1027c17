"""Observation posts over time: the status of a post on a date, from the dates its reports give."""

from __future__ import annotations

import datetime as dt

DATE_COLUMNS = ("established", "encircled_from", "encircled", "evacuated_from", "evacuated")
ACTIVE_OR_ENCIRCLED = "active or encircled (date not reported)"
ENCIRCLED_OR_EVACUATED = "encircled or evacuated (date not reported)"
ACTIVE_OR_EVACUATED = "active or evacuated (date not reported)"
UNREPORTED = "active, encircled or evacuated (dates not reported)"
STATUSES = (
    "active",
    ACTIVE_OR_ENCIRCLED,
    "encircled",
    ENCIRCLED_OR_EVACUATED,
    ACTIVE_OR_EVACUATED,
    UNREPORTED,
    "evacuated",
    "not established",
)
# Manned on the date by every report: no report says its evacuation can have ended. A post whose evacuation
# may have ended (the "or evacuated" statuses) is counted apart as possibly manned, never as manned.
MANNED = ("active", "encircled", ACTIVE_OR_ENCIRCLED)
POSSIBLY_MANNED = (ENCIRCLED_OR_EVACUATED, ACTIVE_OR_EVACUATED, UNREPORTED)


def post_status(
    established: dt.date,
    encircled_from: dt.date | None,
    encircled: dt.date | None,
    evacuated_from: dt.date | None,
    evacuated: dt.date | None,
    on: dt.date,
) -> str:
    """Status of a post on a date, from the dates its sources give.

    ``encircled`` and ``evacuated`` are the dates by which the reports say it had happened (None: no report
    says it had); ``*_from`` the earliest date it can have happened. Between the two the status is
    reported as uncertain rather than guessed; after an evacuation that began but was never reported
    complete it stays uncertain.
    """
    if on < established:
        return "not established"
    encircled_now = _reported(encircled_from, encircled, on)
    evacuated_now = _reported(evacuated_from, evacuated, on)
    if evacuated_now == "yes":
        return "evacuated"
    if evacuated_now == "maybe":
        return {"yes": ENCIRCLED_OR_EVACUATED, "no": ACTIVE_OR_EVACUATED}.get(encircled_now, UNREPORTED)
    return {"yes": "encircled", "maybe": ACTIVE_OR_ENCIRCLED}.get(encircled_now, "active")


def _reported(start: dt.date | None, end: dt.date | None, on: dt.date) -> str:
    """Whether an event had happened on a date: "yes" from the date by which it had (``end``), "maybe"
    from the earliest date it can have happened (``start``) until then, else "no"."""
    if end is not None and on >= end:
        return "yes"
    if start is not None and on >= start:
        return "maybe"
    return "no"


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def status_dates(*dates: dt.date | None, withdrawal_began: dt.date | None = None) -> str:
    """The dates behind a post's status in words, saying where a source gives only "by" or "after".

    ``dates`` are a post's :data:`DATE_COLUMNS`, in that order, as :func:`post_status` takes them.
    ``withdrawal_began`` is the day reports say its evacuation began while its troops were still there
    (Tell Touqan: 16 Dec 2020, gone 12–13 Jan 2021); the post stays manned until ``evacuated_from``."""
    established, encircled_from, encircled, evacuated_from, evacuated = dates
    parts = [f"established {_day(established)}"]
    for what, start, end in (("encircled", encircled_from, encircled), ("evacuated", evacuated_from, evacuated)):
        if what == "evacuated" and withdrawal_began is not None:
            parts.append(f"withdrawal began {_day(withdrawal_began)}, still manned until it ended")
        if end is not None and (start is None or start == end):
            parts.append(f"{what} {_day(end)}")
        elif end is not None:
            parts.append(f"{what} between {_day(start)} and {_day(end)} (exact date not reported)")
        elif start is not None:
            parts.append(f"{what} after {_day(start)} (date not reported)")
    return "; ".join(parts)
