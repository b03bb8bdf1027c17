"""One URL codec for scenarios: query parameters <-> Scenario, never pickle, never a traceback.

``decode`` accepts anything (a hostile or truncated link included) and returns a valid Scenario plus
plain-language warnings for what it had to ignore; ``encode`` drops defaults so links stay short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from dashboard.model.scenario import DEFAULT, FIELD_WORDS, FIELDS, Scenario, ScenarioError, parse_field, shown_value
from dashboard.model.timeline import MonthError, parse_month

PARAM_OF = {f.name: f.param for f in FIELDS}
MAX_PARAM_LENGTH = 32


def _first(value) -> str:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)[:MAX_PARAM_LENGTH].strip()


def _using(field: str, value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return shown_value(field, value).strip("'")


def decode(params: Mapping, base: Scenario = DEFAULT) -> tuple[Scenario, list[str]]:
    """Scenario from query parameters; invalid values fall back to ``base`` with a warning each, in words
    ("the outer depth (outer='4_5') was ignored: …"): the link's own text is quoted as text, for the page to
    show escaped."""
    warnings: list[str] = []
    values: dict = {}
    for spec in FIELDS:
        if spec.param not in params:
            continue
        raw = _first(params[spec.param])
        try:
            values[spec.name] = parse_field(spec, raw)
        except ValueError as exc:
            warnings.append(
                f"{FIELD_WORDS[spec.name]} ({spec.param}={raw!r}) was ignored: it must be {exc}; "
                f"using {_using(spec.name, getattr(base, spec.name))}"
            )
    try:
        return replace(base, **values), warnings
    except ScenarioError:
        pass
    # apply what is valid field by field, so one bad value does not discard the others
    scenario = base
    for field, value in values.items():
        if field in PAIRED:
            continue  # the two depths, and the window's two ends, are only valid together: tried below
        try:
            scenario = replace(scenario, **{field: value})
        except ScenarioError as exc:
            warnings.append(
                f"{FIELD_WORDS[field]} ({PARAM_OF[field]}={_first(params[PARAM_OF[field]])!r}) was ignored: "
                f"it must be {exc.allowed}; using {_using(field, getattr(scenario, field))}"
            )
    for pair, what in (("inner_km", "outer_km"), "the zone depth"), (("events_from", "events_to"), "the events window"):
        given = {k: values[k] for k in pair if k in values}
        if not given:
            continue
        try:
            scenario = replace(scenario, **given)
        except ScenarioError as exc:
            first, last = (_using(k, getattr(scenario, k)) for k in pair)
            joined = f"{first.removesuffix(' km')}–{last}" if pair[0] == "inner_km" else f"{first} to {last}"
            warnings.append(f"{what} was ignored: {exc}; using {joined}")
    return scenario, warnings


PAIRED = ("inner_km", "outer_km", "events_from", "events_to")


def encode(scenario: Scenario, base: Scenario = DEFAULT, prefix: str = "") -> dict[str, str]:
    """Query parameters for a scenario, values equal to ``base``'s left out; each name after ``prefix``
    (a page's second scenario: "b_inner")."""
    out = {}
    for spec in FIELDS:
        value = getattr(scenario, spec.name)
        if value == getattr(base, spec.name):
            continue
        out[prefix + spec.param] = (
            value.isoformat()
            if isinstance(value, dt.date)
            else (f"{value:g}" if isinstance(value, float) else str(value))
        )
    return out


def prefixed(params: Mapping, prefix: str) -> dict:
    """The parameters named with ``prefix``, without it: what :func:`decode` reads of a second scenario."""
    return {key[len(prefix) :]: value for key, value in params.items() if key.startswith(prefix)}


MONTH_PARAM = "month"  # the time control's month (YYYY-MM); not a scenario field: a month is a view of one


def decode_month(params: Mapping) -> tuple[str | None, list[str]]:
    """The month a link asks the time control to show, or None; a month it cannot show is ignored with a
    warning saying which months it can."""
    if MONTH_PARAM not in params:
        return None, []
    raw = _first(params[MONTH_PARAM])
    try:
        return parse_month(raw), []
    except MonthError as exc:
        return None, [f"the month ({MONTH_PARAM}={raw!r}) was ignored: {exc}"]


DEFAULT_MONTH = "2019-05"  # the month the time control opens on (the 2019 offensive's first full month)


def month_params(month: str | None) -> dict[str, str]:
    """The month's link parameter; none for the default month (defaults are dropped so links stay short)."""
    return {MONTH_PARAM: month} if month and month != DEFAULT_MONTH else {}


def query_string(scenario: Scenario, month: str | None = None) -> str:
    from urllib.parse import urlencode

    params = {**encode(scenario), **month_params(month)}
    return "?" + urlencode(params) if params else ""


# The returns what-if travels in the same link, in parameters of its own (absent: no what-if). ``ret_in`` lists
# the chosen sub-districts or towns, comma-separated, so it may be longer than a scenario parameter.
RETURNS_PARAMS = {"people": "ret_n", "rule": "ret_rule", "where": "ret_in"}
MAX_WHERE_LENGTH = 600


def decode_returns(params: Mapping, base=None) -> tuple[object, list[str]]:
    """The returns what-if of a link (None when it has none), or ``base`` with a warning when its values
    make no what-if: a link never breaks the page."""
    from dashboard.model.returns import ReturnsError, WhatIf

    if not any(p in params for p in RETURNS_PARAMS.values()):
        return base, []
    fallback = base or WhatIf()
    people = _first(params.get("ret_n", str(fallback.people)))
    rule = _first(params.get("ret_rule", fallback.rule))
    raw_where = params.get("ret_in", ",".join(fallback.where))
    if isinstance(raw_where, list | tuple):
        raw_where = raw_where[-1] if raw_where else ""
    where = str(raw_where)[:MAX_WHERE_LENGTH]
    try:
        return WhatIf(people, rule, where), []
    except ReturnsError as exc:
        return base, [f"ignored the returns what-if in the link: {exc}; keeping the previous values"]


def encode_returns(whatif) -> dict[str, str]:
    """Query parameters of a returns what-if (none for None)."""
    if whatif is None:
        return {}
    out = {"ret_n": str(whatif.people), "ret_rule": whatif.rule}
    if whatif.where:
        out["ret_in"] = ",".join(whatif.where)
    return out


def returns_query_string(scenario: Scenario, whatif) -> str:
    """The Returns page's query string: the scenario's parameters and the what-if's."""
    from urllib.parse import urlencode

    return "?" + urlencode({**encode(scenario), **encode_returns(whatif)})
