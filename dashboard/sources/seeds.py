"""Figures from the source texts: the registry, the external reference file, and the scanner.

The registry (``seeds/figures.csv``) holds every quantity, date and dated event in the texts, each with
the shortest verbatim quote that carries it. The scanner lists every numeric mention it can find, so a
new text shows what is not yet curated and a test proves no registry figure is missed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.sources.data_files import data_dir

SEEDS_DIR = data_dir("seeds")
REGISTRY = "figures.csv"
EXTERNAL = "external.csv"
TIMELINE = "timeline.csv"
INCIDENTS = "incidents.csv"  # figures that name an incident, matched to UCDP events (model/incidents.py)

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
HEDGES = "|".join(
    [
        "nearly",
        "almost",
        "about",
        "around",
        "roughly",
        "approximately",
        "some",
        "over",
        "more than",
        "less than",
        "fewer than",
        "up to",
        "at least",
    ]
)
VAGUE = {
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "several": (3, 9),
    "a few": (2, 5),
}

_NUM = r"\d+(?:[.,]\d+)*"
_WORD = "|".join(sorted(list(NUMBER_WORDS) + list(ORDINALS), key=len, reverse=True))
_MONTH = "|".join(m.capitalize() for m in MONTHS)
PATTERNS = [
    # order matters: longer, more specific forms first; a later match inside an earlier one is dropped
    ("range", rf"\b{_NUM}\s*[-–]\s*{_NUM}(?:\s*(?:kilometers|kilometres|km|miles|percent|%))?"),
    ("hedged", rf"\b(?:{HEDGES})\s+(?:{_NUM}|{_WORD})(?:\s+(?:thousand|million|billion))?\b"),
    ("vague", r"\b(?:dozens|hundreds|thousands)\s+of\b|\bseveral\b|\ba few\b"),
    (
        "compound",
        rf"\b(?:{_NUM}|{_WORD})-(?:year|hour|day|week|month|minute|km|kilometer|kilometre|mile)s?\b",
    ),
    ("date", rf"\b(?:{_MONTH})\s+\d{{1,2}}\b(?:,\s*\d{{4}})?|\b\d{{1,2}}\s+(?:{_MONTH})\b(?:\s+\d{{4}})?"),
    ("month_year", rf"\b(?:{_MONTH})\s+(?:19|20)\d{{2}}\b"),
    ("year", r"\b(?:19|20)\d{2}\b"),
    ("month", rf"\b(?:{_MONTH})\b"),
    ("roman", r"\bWorld War (?:I|II)\b"),
    ("number", rf"\b{_NUM}(?:\s+(?:thousand|million|billion))?\b"),
    ("word", rf"\b(?:{_WORD})\b"),
]
_COMPILED = [
    (kind, re.compile(p, re.IGNORECASE if kind in ("hedged", "vague", "word", "compound") else 0))
    for kind, p in PATTERNS
]


@dataclass(frozen=True)
class Mention:
    """A numeric mention found by the scanner."""

    file: str
    start: int
    end: int
    text: str
    kind: str
    sentence: str


@dataclass(frozen=True)
class Figure:
    """One curated figure: a value with its unit, what it measures, when, and the exact quote."""

    id: str
    kind: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    measures: str
    refers_to: str
    refers_to_note: str
    file: str
    quote: str
    note: str


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: split after . ! ? and at line breaks (headlines stand alone)."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+|\n+", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def scan_text(name: str, text: str) -> list[Mention]:
    """Every numeric mention in a text, with its sentence."""
    taken: list[tuple[int, int]] = []
    found = []
    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), kind))
    spans = sentences(text)
    out = []
    for start, end, kind in sorted(found):
        s, e = next(((a, b) for a, b in spans if a <= start < b), (start, end))
        out.append(Mention(name, start, end, text[start:end], kind, " ".join(text[s:e].split())))
    return out


def seed_texts(directory: Path | None = None) -> dict[str, str]:
    directory = directory or SEEDS_DIR
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))}


def _opt_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_registry(directory: Path | None = None) -> list[Figure]:
    path = (directory or SEEDS_DIR) / REGISTRY
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Figure(
                id=r["id"],
                kind=r["kind"],
                value=_opt_float(r["value"]),
                low=_opt_float(r["low"]),
                high=_opt_float(r["high"]),
                unit=r["unit"],
                measures=r["measures"],
                refers_to=r["refers_to"],
                refers_to_note=r["refers_to_note"],
                file=r["file"],
                quote=r["quote"],
                note=r["note"],
            )
            for r in csv.DictReader(fh)
        ]


def load_table(name: str, directory: Path | None = None) -> list[dict]:
    with ((directory or SEEDS_DIR) / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def quote_spans(figure: Figure, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(figure.quote), text)]


def mark_registered(mentions: list[Mention], registry: list[Figure], texts: dict[str, str]) -> dict[Mention, str]:
    """Map each mention that lies inside a registry quote's span to that figure's id."""
    spans = [(f, s, e) for f in registry if f.file in texts for s, e in quote_spans(f, texts[f.file])]
    out = {}
    for m in mentions:
        for f, s, e in spans:
            if f.file == m.file and s <= m.start and m.end <= e:
                out[m] = f.id
                break
    return out


def numbers_in(text: str) -> list[float]:
    """Every number a quote states: digits (with scale words), number words, ordinals, years, days."""
    values: list[float] = []
    for m in re.finditer(rf"{_NUM}(?:\s+(thousand|million|billion))?", text):
        digits = m.group(0).split()[0].replace(",", "")
        value = float(digits)
        if m.group(1):
            value *= SCALES[m.group(1).lower()]
        values.append(value)
    for m in re.finditer(rf"\b({_WORD})\b(?:\s+(thousand|million|billion))?", text, re.IGNORECASE):
        word = m.group(1).lower()
        value = float(NUMBER_WORDS.get(word, ORDINALS.get(word, 0)))
        if m.group(2):
            value *= SCALES[m.group(2).lower()]
        values.append(value)
    if re.search(r"World War II\b", text):
        values.append(2.0)
    return values


def check_figure(figure: Figure, text: str) -> list[str]:
    """Problems with one registry row: quote not verbatim, value not in the quote, bad date."""
    problems = []
    if figure.quote not in text:
        problems.append(f"{figure.id}: quote not found verbatim in {figure.file}")
    stated = numbers_in(figure.quote)
    for label, value in (("value", figure.value), ("low", figure.low), ("high", figure.high)):
        if value is None or figure.kind in ("vague", "not_a_figure"):
            continue
        if label != "value" and figure.kind == "hedged":
            continue  # a hedge's bounds are an interpretation of the hedge word, not stated numbers
        if not any(abs(v - value) < 1e-9 * max(1.0, abs(value)) for v in stated):
            problems.append(f"{figure.id}: {label} {value:g} is not stated in the quote {figure.quote!r}")
    if figure.kind == "vague":
        word = next((w for w in VAGUE if w in figure.quote.lower()), None)
        if word is None or (figure.low, figure.high) != tuple(float(x) for x in VAGUE[word]):
            problems.append(f"{figure.id}: vague amount must use the documented bounds {VAGUE}")
    if figure.kind == "hedged" and (figure.low is None or figure.high is None or not figure.low <= figure.high):
        problems.append(f"{figure.id}: a hedged figure needs low <= high")
    if figure.low is not None and figure.high is not None and figure.low > figure.high:
        problems.append(f"{figure.id}: low > high")
    if figure.kind in ("date", "month", "month_year", "year"):
        months = [MONTHS[w.lower()] for w in re.findall(rf"\b(?:{_MONTH})\b", figure.quote)]
        try:
            when = parse_period(figure.refers_to)[0]
        except ValueError as exc:
            problems.append(f"{figure.id}: refers_to {figure.refers_to!r}: {exc}")
        else:
            if months and when.month not in months:
                problems.append(f"{figure.id}: refers_to month differs from the quote's month")
    elif figure.refers_to:
        try:
            parse_period(figure.refers_to)
        except ValueError as exc:
            problems.append(f"{figure.id}: refers_to {figure.refers_to!r}: {exc}")
    return problems


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """'2020-03-05', '2020-03', '2020', or 'start/end' with either form -> (first day, last day)."""
    if "/" in text:
        a, b = text.split("/", 1)
        return parse_period(a)[0], parse_period(b)[1]
    parts = text.strip().split("-")
    if len(parts) == 1 and len(parts[0]) == 4:
        y = int(parts[0])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        last = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(y, m, 1), last
    day = dt.date.fromisoformat(text.strip())
    return day, day


def dated_figures(registry: list[Figure]) -> list[Figure]:
    """The figures that name a dated event: those referring to one day, or (a named month) to the month it
    fell in. The escalation timeline and the time control mark an event with the quotes of these."""
    return [
        f
        for f in registry
        if f.refers_to
        and f.kind != "not_a_figure"
        and (_days(f.refers_to) == 0 or (f.kind in ("month", "month_year") and _days(f.refers_to) <= 31))
    ]


def figures_naming(dated: list[Figure], day: dt.date) -> list[Figure]:
    """The figures of :func:`dated_figures` whose day or month holds ``day``."""
    return [f for f in dated if parse_period(f.refers_to)[0] <= day <= parse_period(f.refers_to)[1]]


def _days(period: str) -> int:
    start, end = parse_period(period)
    return (end - start).days


def validate_registry(directory: Path | None = None) -> list[str]:
    """Every problem in the registry: duplicate ids, missing files, quotes, values, dates."""
    texts = seed_texts(directory)
    registry = load_registry(directory)
    problems = []
    seen = set()
    for f in registry:
        if f.id in seen:
            problems.append(f"{f.id}: duplicate id")
        seen.add(f.id)
        if f.file not in texts:
            problems.append(f"{f.id}: no seed file {f.file}")
            continue
        problems += check_figure(f, texts[f.file])
    return problems


def unreviewed(directory: Path | None = None) -> list[Mention]:
    """Mentions no registry figure covers (what a newly added text still needs curated)."""
    texts = seed_texts(directory)
    mentions = [m for name, text in texts.items() for m in scan_text(name, text)]
    covered = mark_registered(mentions, load_registry(directory), texts)
    return [m for m in mentions if m not in covered]
