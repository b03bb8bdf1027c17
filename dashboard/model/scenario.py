"""A scenario: the parameters a briefer moves, as one frozen, validated value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace

SEGMENTS = {
    "west": "West of the Euphrates (Mediterranean to Jarablus)",
    "east": "East of the Euphrates (Jarablus to the Tigris)",
    "all": "The whole Syria–Türkiye border",
}
SEGMENT_SHORT = {
    "west": "the border west of the Euphrates",
    "east": "the border east of the Euphrates",
    "all": "the whole border",
}
DEPTH_MAX_KM = 100.0
CORRIDOR_MAX_KM = 25.0
POST_RADIUS_MAX_KM = 50.0
AS_OF_MIN = dt.date(2017, 1, 1)
# One date range for the URL, the widgets, saved decks and the CLI. The end is fixed, not "today", so a
# link or deck valid now stays valid, and it is the end earlier releases accepted, so no deck saved with
# them becomes unreadable. After a post's last report its status stays as reported (or uncertain).
AS_OF_MAX = dt.date(2030, 12, 31)
MOSCOW_PROTOCOL = dt.date(2020, 3, 5)
# The window of conflict events counted (UCDP GED 21.1 holds 2004 to the end of 2020). The default is the
# 2019–20 Idlib offensive, from its start in May 2019, through the 5 March 2020 ceasefire to the end of March.
EVENTS_MIN, EVENTS_MAX = dt.date(2004, 1, 1), dt.date(2020, 12, 31)
OFFENSIVE = (dt.date(2019, 5, 1), dt.date(2020, 3, 31))


# What a briefer calls each field: messages name fields in these words, never by their code names.
FIELD_WORDS = {
    "inner_km": "the inner depth",
    "outer_km": "the outer depth",
    "segment": "the border segment",
    "corridor_km": "the M4 corridor",
    "post_radius_km": "the radius around each post",
    "as_of": "the date of the posts' status",
    "events_from": "the start of the events window",
    "events_to": "the end of the events window",
}
KM_FIELDS = ("inner_km", "outer_km", "corridor_km", "post_radius_km")


def shown_value(field_name: str, value: object) -> str:
    """A value as a message quotes it: kilometres as "45 km", anything else as text in quotes, cut short."""
    if field_name in KM_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return f"{float(value):g} km"
        except OverflowError:  # an integer too large for a float (10**400 in a JSON file)
            pass
    text = value if isinstance(value, str) else str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


class ScenarioError(ValueError):
    """A scenario field is out of range; the message names the field in words, the value and what is allowed
    ("the outer depth (20 km) is not allowed: the inner depth (70 km) must be less than the outer").
    ``field`` keeps the code name for callers."""

    def __init__(self, field_name: str, value: object, allowed: str):
        self.field = field_name
        self.value = value
        self.allowed = allowed
        words = FIELD_WORDS.get(field_name, field_name)
        super().__init__(f"{words} ({shown_value(field_name, value)}) is not allowed: {allowed}")


@dataclass(frozen=True)
class Scenario:
    """What a briefer chooses: the zone's depth band, the border segment, the M4 corridor, post radii, a date.

    Depths are kilometres on the ground measured from the Syria–Türkiye border into Syria.
    The defaults are the "30-40 kilometers deep" safe zone of the source texts, west of the Euphrates,
    as of the 5 March 2020 Moscow protocol.
    """

    inner_km: float = 30.0
    outer_km: float = 40.0
    segment: str = "west"
    corridor_km: float = 0.0
    post_radius_km: float = 0.0
    as_of: dt.date = field(default=MOSCOW_PROTOCOL)
    events_from: dt.date = field(default=OFFENSIVE[0])
    events_to: dt.date = field(default=OFFENSIVE[1])

    def __post_init__(self):
        for name in ("inner_km", "outer_km", "corridor_km", "post_radius_km"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise ScenarioError(name, value, "a number of kilometres")
            object.__setattr__(self, name, float(value) + 0.0)  # -0 is 0: never "-0 km"
        if not 0.0 <= self.inner_km < DEPTH_MAX_KM:
            raise ScenarioError("inner_km", self.inner_km, f"from 0 to less than {DEPTH_MAX_KM:g} km")
        if self.outer_km <= self.inner_km:
            allowed = f"the inner depth ({self.inner_km:g} km) must be less than the outer"
            raise ScenarioError("outer_km", self.outer_km, allowed)
        if self.outer_km > DEPTH_MAX_KM:
            raise ScenarioError("outer_km", self.outer_km, f"at most {DEPTH_MAX_KM:g} km")
        if not isinstance(self.segment, str) or self.segment not in SEGMENTS:
            raise ScenarioError("segment", self.segment, f"one of {', '.join(SEGMENTS)}")
        if not 0.0 <= self.corridor_km <= CORRIDOR_MAX_KM:
            raise ScenarioError("corridor_km", self.corridor_km, f"0 to {CORRIDOR_MAX_KM:g} km (0 = off)")
        if not 0.0 <= self.post_radius_km <= POST_RADIUS_MAX_KM:
            raise ScenarioError("post_radius_km", self.post_radius_km, f"0 to {POST_RADIUS_MAX_KM:g} km (0 = off)")
        for name in ("as_of", "events_from", "events_to"):
            value = getattr(self, name)
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise ScenarioError(name, value, "a date (YYYY-MM-DD)")
        if not AS_OF_MIN <= self.as_of <= AS_OF_MAX:
            raise ScenarioError("as_of", self.as_of.isoformat(), f"{AS_OF_MIN} to {AS_OF_MAX}")
        if not EVENTS_MIN <= self.events_from <= EVENTS_MAX:
            raise ScenarioError("events_from", self.events_from.isoformat(), f"{EVENTS_MIN} to {EVENTS_MAX}")
        if self.events_to < self.events_from:
            allowed = f"the window must not end before it starts ({self.events_from})"
            raise ScenarioError("events_to", self.events_to.isoformat(), allowed)
        if self.events_to > EVENTS_MAX:
            raise ScenarioError("events_to", self.events_to.isoformat(), f"{EVENTS_MIN} to {EVENTS_MAX}")

    def to_dict(self) -> dict:
        """The scenario as a record of plain JSON values (the one mapping: see :func:`scenario_from_record`)."""
        out = asdict(self)
        for name in ("as_of", "events_from", "events_to"):
            out[name] = getattr(self, name).isoformat()
        return out

    def label(self) -> str:
        """A one-line human description, used in captions and alt text."""
        parts = [f"{self.inner_km:g}–{self.outer_km:g} km band along {SEGMENT_SHORT[self.segment]}"]
        if self.corridor_km:
            parts.append(f"M4 corridor {self.corridor_km:g} km either side")
        if self.post_radius_km:
            parts.append(f"{self.post_radius_km:g} km around each post")
        parts.append(f"as of {self.as_of:%d %b %Y}")
        return "; ".join(parts)


DEFAULT = Scenario()


@dataclass(frozen=True)
class Field:
    """One scenario parameter and how every channel names it: the form's widget, the link, the CLI.

    ``kind`` picks the widget and the parser: "depth" (the inner/outer pair, one range slider), "segment",
    "km" (a number of kilometres from 0 to ``maximum``, 0 = off) or "date".
    """

    name: str
    kind: str
    label: str
    widget: str  # widget key on the landing page; other forms add a prefix ("a_depth")
    param: str  # URL query parameter
    flag: str | None = None  # CLI option; None for the depth pair, which the CLI takes as --zone
    maximum: float | None = None
    first: dt.date | None = None  # a date field's range (the scenario checks it; the form offers only it)
    last: dt.date | None = None
    help: str = ""
    required: bool = True  # False for a field added after decks were saved: a record without it takes the default


FIELDS: tuple[Field, ...] = (
    Field(
        "inner_km",
        "depth",
        "Zone depth, km from the border",
        "depth",
        "inner",
        maximum=DEPTH_MAX_KM,
        help="Measured on the ground from the Syria–Türkiye border into Syria.",
    ),
    Field("outer_km", "depth", "Zone depth, km from the border", "depth", "outer", maximum=DEPTH_MAX_KM),
    Field("segment", "segment", "Border segment", "segment", "seg", flag="--segment"),
    Field(
        "corridor_km",
        "km",
        "M4 corridor, km either side (0 = off)",
        "corridor",
        "corridor",
        flag="--corridor",
        maximum=CORRIDOR_MAX_KM,
        help="The 5 March 2020 Moscow protocol set 6 km.",
    ),
    Field(
        "post_radius_km",
        "km",
        "Radius around each manned post, km (0 = off)",
        "radius",
        "radius",
        flag="--post-radius",
        maximum=POST_RADIUS_MAX_KM,
    ),
    Field("as_of", "date", "Post status as of", "as_of", "asof", flag="--as-of", first=AS_OF_MIN, last=AS_OF_MAX),
    Field(
        "events_from",
        "date",
        "Conflict events from",
        "events_from",
        "evfrom",
        flag="--events-from",
        first=EVENTS_MIN,
        last=EVENTS_MAX,
        required=False,
    ),
    Field(
        "events_to",
        "date",
        "Conflict events to",
        "events_to",
        "evto",
        flag="--events-to",
        first=EVENTS_MIN,
        last=EVENTS_MAX,
        required=False,
    ),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
REQUIRED_FIELDS = tuple(f.name for f in FIELDS if f.required)


_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def parse_field(spec: Field, raw: object) -> object:
    """A field's value from text or a plain JSON value (a link, a deck file, a table cell), or ValueError
    saying what was expected. Range checks are left to :class:`Scenario`, which names the allowed range."""
    if spec.kind == "segment":
        if not isinstance(raw, str) or raw not in SEGMENTS:
            raise ValueError(f"one of {', '.join(SEGMENTS)}")
        return raw
    if spec.kind == "date":
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        if not isinstance(raw, str):
            raise ValueError("a date (YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise ValueError("a date (YYYY-MM-DD)") from None
    if isinstance(raw, bool) or raw is None:
        raise ValueError("a number of kilometres")
    if not isinstance(raw, int | float):
        text = str(raw).strip()
        # digits with one decimal point, as a briefer writes them: Python's float() would also read "4_5" as 45,
        # "1e1" as 10 and "inf" or "nan"
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ValueError("a number of kilometres, in digits")
        raw = float(text)
    try:
        value = float(raw)
    except OverflowError:  # an integer too large for a float (10**400 in a JSON file)
        raise ValueError("a finite number of kilometres") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("a finite number of kilometres")
    return round(value, 3) + 0.0  # to the metre (1e-320 km is 0); + 0.0 makes -0 plain 0, never "-0 km"


def scenario_from_record(record: Mapping, *, text: bool = False) -> Scenario:
    """The one record -> Scenario mapping, for saved decks, the briefing editor and the CLI.

    A record has every field of :data:`FIELDS` by name. Numbers must be numbers unless ``text`` is set
    (a table cell or a command line may give "30"); the date is a date or YYYY-MM-DD. Raises
    :class:`ScenarioError` naming the first bad field.
    """
    values = {}
    for spec in FIELDS:
        raw = record.get(spec.name)
        if not spec.required and (raw is None or raw == "" or (isinstance(raw, float) and raw != raw)):
            continue  # an older record, or an empty cell: the scenario's default
        if spec.kind in ("depth", "km") and not text and not isinstance(raw, int | float):
            raise ScenarioError(spec.name, raw, "a number of kilometres")
        try:
            values[spec.name] = parse_field(spec, raw)
        except (ValueError, TypeError) as exc:
            raise ScenarioError(spec.name, raw, str(exc)) from None
    return Scenario(**values)


@dataclass(frozen=True)
class Step:
    """One named scenario in a briefing sequence (a deck is a list of steps)."""

    title: str
    notes: str
    scenario: Scenario
    returns: object = None  # a returns what-if (dashboard.model.returns.WhatIf) shown with this step, or None
    # A month or a run of months the step shows ("2019-05", "2019-07"; the same twice for one month), checked
    # against the events data's months where a deck is read (dashboard.exchange.decks), or None
    months: tuple[str, str] | None = None

    @property
    def shown(self) -> Scenario:
        """The scenario as the step shows it: with months, as the time control shows them (see
        :func:`month_run_view`); else the scenario as saved."""
        return self.scenario if self.months is None else month_run_view(self.scenario, *self.months)

    def months_label(self) -> str:
        return "" if self.months is None else month_run_label(*self.months)


def month_run_view(scenario: Scenario, first: str, last: str) -> Scenario:
    """A scenario seen over a run of months ("YYYY-MM"): their events as the window, the last month's last
    day as the posts' date. A month on the time control, a small multiple's panel and a deck step's months."""
    end = last_day(last)
    return replace(scenario, events_from=first_day(first), events_to=end, as_of=end)


def month_run_label(first: str, last: str) -> str:
    """ "May 2019", "May–Jul 2019" or "Nov 2019–Feb 2020"."""
    a, b = first_day(first), first_day(last)
    if a == b:
        return f"{a:%b %Y}"
    return f"{a:%b}–{b:%b %Y}" if a.year == b.year else f"{a:%b %Y}–{b:%b %Y}"


def first_day(month: str) -> dt.date:
    """The first day of a month ("YYYY-MM")."""
    return dt.date.fromisoformat(f"{month}-01")


def last_day(month: str) -> dt.date:
    """The last day of a month ("YYYY-MM")."""
    year, number = int(month[:4]), int(month[5:7])
    return dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
