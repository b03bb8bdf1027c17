"""The metric catalogue: every headline number of a scenario, defined once.

The landing panel, the compare table, presenter mode, the briefing pack, the CLI's table and JSON, the
map's alt text and the sensitivity selector all loop over :data:`CATALOGUE`. Adding a metric is one
record here (plus its computation in :mod:`dashboard.model.impact` if it is new); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from dashboard.model import population
from dashboard.model.geography import KEY_TOWNS
from dashboard.model.impact import EVENTS_CAVEAT, Impact
from dashboard.model.posts import MANNED, POSSIBLY_MANNED

NAMES = {gid: name for name, gid in KEY_TOWNS.items()}  # the briefing's spelling of its key towns


def people_estimate(people: float, signed: bool = False) -> str:
    """An apportioned estimate to the nearest thousand: a count to the person would claim a precision
    that sub-district totals spread by area do not have."""
    rounded = round(people, -3)
    if rounded == 0:
        return "±0" if signed else "< 500"
    return f"≈{rounded:+,.0f}" if signed else f"≈{rounded:,.0f}"


def _people_short(people: float, millions: bool) -> str:
    return f"{people / 1e6:.2f}" if millions else f"{round(people, -3):,.0f}"


def people_with_range(central: float, low: float, high: float) -> str:
    """The figure a briefer reads aloud: "≈ 5.73 M (range 5.46–5.87 M)", flagged when the range is wide."""
    millions = central >= 995_000
    unit = " M" if millions else ""
    text = f"≈ {_people_short(central, millions)}{unit}"
    if _people_short(low, millions) != _people_short(high, millions):
        text += f" (range {_people_short(low, millions)}–{_people_short(high, millions)}{unit})"
    return text + (", low confidence" if population.low_confidence(central, low, high) else "")


def _about(people: float) -> str:
    return f"~{people / 1e6:.2f} M" if people >= 100_000 else f"~{round(people, -3):,.0f}"


def where_the_line_falls(impact: Impact) -> list[str]:
    """A sentence for each large town that a line of the zone crosses, within the line's own uncertainty:
    whether its people count depends on where that line falls (see :func:`impact.straddling_towns`)."""
    out = []
    for town in impact.straddling:
        name = NAMES.get(town["id"], town["name"])
        out.append(
            f"{name}'s centre is {town['distance_km']:.1f} km from the border: whether its {_about(town['people'])} "
            f"people count depends on where the {town['edge_km']:g} km line falls (its built-up area as placed "
            f"reaches {town['near_km']:.1f}–{town['far_km']:.1f} km out)."
        )
    return out


def months_shown(step, impact: Impact, short: bool = False) -> str:
    """What a deck step with months shows, in words: "May–Jul 2019: 212 events and 1,034 deaths inside the
    zone (UCDP GED 21.1); posts as of 31 Jul 2019" (``short``: "May–Jul 2019: 212 events, 1,034 deaths inside",
    for a slide's lead, which says the posts' date already). ``impact`` is the step as shown (``Step.shown``)."""
    if step.months is None:
        return ""
    if short:
        return f"{step.months_label()}: {impact.events_inside:,} events, {impact.deaths_inside:,.0f} deaths inside"
    return (
        f"{step.months_label()}: {impact.events_inside:,} events and {impact.deaths_inside:,.0f} deaths inside the "
        f"zone (UCDP GED 21.1); posts as of {impact.scenario.as_of:%d %b %Y}"
    )


def towns_on_the_lines(impact: Impact) -> str:
    """The same in a few words, for a slide's table: "al-Bab, Manbij (30 km line); Latakia (40 km line)"
    (the sentences go into the slide's speaker notes)."""
    edges = dict.fromkeys(t["edge_km"] for t in impact.straddling)
    return "; ".join(
        ", ".join(NAMES.get(t["id"], t["name"]) for t in impact.straddling if t["edge_km"] == edge)
        + f" ({edge:g} km line)"
        for edge in edges
    )


@dataclass(frozen=True)
class Unit:
    """How a kind of number is written: its value, a difference, its Vega axis format, and how a table of
    plain numbers labels and scales it (``column``: the suffix after the metric's name, None to keep the
    whole label; shares are given there in per cent)."""

    name: str
    text: Callable[[float], str]
    delta: Callable[[float], str]
    d3: str
    column: str | None = ""
    in_tables: float = 1.0
    table_digits: int = 1  # people are estimates to the nearest thousand (-3), areas to 0.1 km²
    large: Callable[[float], str] | None = None  # shorter, for presenter mode's large type (default: text)
    with_range: Callable[[float, float, float], str] | None = None  # an estimate read aloud with its range


def _whole(v: float) -> str:
    return f"{v:.0f}"


def _signed(d: float) -> str:
    return f"{d:+.0f}"


KM2 = Unit("km²", lambda v: f"{v:,.0f} km²", lambda d: f"{d:+,.0f} km²", ",.0f", column=" (km²)")
SHARE = Unit("share", lambda v: f"{v:.0%}", lambda d: f"{d * 100:+.0f} pts", ".0%", column=" (%)", in_tables=100.0)
PEOPLE = Unit(
    "people",
    people_estimate,
    lambda d: people_estimate(d, signed=True),
    ",.0f",
    column=None,
    table_digits=-3,
    large=lambda v: f"{v / 1e6:.2f} M",
)
PLACES, POSTS, TOWNS = (Unit(name, _whole, _signed, ",.0f") for name in ("places", "posts", "towns"))


def deaths_with_range(best: float, low: float, high: float) -> str:
    """UCDP's best estimate with its low and high: "2,994 (UCDP low–high 2,877–3,188)"."""
    text = f"{best:,.0f}"
    return text if low == high == best else f"{text} (UCDP low–high {low:,.0f}–{high:,.0f})"


EVENTS = Unit("events", lambda v: f"{v:,.0f}", lambda d: f"{d:+,.0f}", ",.0f")
DEATHS = Unit("deaths", lambda v: f"{v:,.0f}", lambda d: f"{d:+,.0f}", ",.0f", with_range=deaths_with_range)


def _always(_impact: Impact) -> bool:
    return True


@dataclass(frozen=True)
class Metric:
    """One headline number: what it is called, how it is read off an :class:`Impact`, and how it is said.

    ``read`` takes it from an Impact (default: the Impact's attribute named ``key``); ``of`` the total a
    count is out of ("4 of 12"); ``ranged`` says it is an estimate whose low and high are the attributes
    ``key``_low and ``key``_high; ``parts`` are counts of the rows inside that the figure goes on to say
    ("12 of 18 inside; 9 manned"), each (name, count), in its text, its table rows and its JSON; ``curve`` is the
    title of its sensitivity curve (the column :func:`impact.sensitivity` fills under ``key``; an events metric's
    when it is given the window), None when it has none; ``shown`` whether a scenario has it at all (the
    corridor's area only when there is a corridor).
    """

    key: str
    label: str
    unit: Unit
    note: str
    read: Callable[[Impact], float] | None = None
    of: Callable[[Impact], int] | None = None
    ranged: bool = False
    parts: Callable[[Impact], list[tuple[str, int]]] | None = None
    curve: str | None = None
    shown: Callable[[Impact], bool] = _always
    spelled: str = ""  # the label with the scenario's own numbers, for text ("Zone (0–{outer_km:g} km) area")
    compared: bool = True  # False where the panel's baseline shares the input, so a delta would always be 0
    headline: bool = True  # on a scenario's slide, where room is short (the comparison slide has them all)
    group: str = "zone"  # "zone": a tile in the landing panel's grid; "events": one sentence under it

    def label_for(self, impact: Impact) -> str:
        """The label in a text about one scenario (the CLI table, the pack, alt text): with its numbers."""
        return self.spelled.format(**asdict(impact.scenario)) if self.spelled else self.label

    @property
    def column(self) -> str:
        """Its row in a table of plain numbers (the compare page): its name with the unit it is counted in."""
        if self.unit.column is None:
            return self.label
        return self.label.split(" (")[0] + self.unit.column

    def value(self, impact: Impact) -> float:
        return float(self.read(impact) if self.read else getattr(impact, self.key))

    def table_rows(self, impact: Impact) -> list[tuple[str, float]]:
        """(row label, plain number) for a table: the value, then the low and high of its range if it has one
        ("People inside (estimate)", "People inside, low", "People inside, high")."""
        rows = [(self.column, self.value(impact) * self.unit.in_tables)]
        rows += [(f"{self.label}, {name}", count) for name, count in self.parts(impact)] if self.parts else []
        spread = self.range(impact)
        if spread:
            name = self.label.removesuffix(" (estimate)")
            rows += [(f"{name}, low", spread[0]), (f"{name}, high", spread[1])]
        return [(label, round(value, self.unit.table_digits)) for label, value in rows]

    def text(self, impact: Impact) -> str:
        """The value as text says it ("12,190 km²", "4 of 12", "12 of 18 inside; 9 manned", "≈4,660,000")."""
        if self.of is not None and self.parts:
            return f"{self.count_text(impact)} inside; {self.parts_text(impact)}"
        return self.count_text(impact)

    def count_text(self, impact: Impact) -> str:
        """The value alone, without the parts it goes on to say ("12 of 18"): what a tile's large type holds."""
        value = self.value(impact)
        return f"{value:,.0f} of {self.of(impact):,}" if self.of is not None else self.unit.text(value)

    def parts_text(self, impact: Impact, short: bool = False) -> str:
        """Its parts in words ("9 manned, 1 possibly manned"; ``short``: "9 manned, 1 possibly", for a tile's
        small print); a part other than the first is said only when there is one. "" without parts."""
        if not self.parts:
            return ""
        said = []
        for i, (name, count) in enumerate(self.parts(impact)):
            if i == 0:
                said.append(f"{count:,} {name}")
            elif count:
                said.append(f"{count:,} {name.split()[0] if short else name}")
        return ", ".join(said)

    def in_large_type(self, impact: Impact) -> str:
        """The value for presenter mode, where a long figure would not fit ("5.73 M"; "12 of 18", its parts in the
        tile's label)."""
        if self.unit.large and self.of is None:
            return self.unit.large(self.value(impact))
        return self.count_text(impact)

    def delta(self, impact: Impact, baseline: Impact) -> str | None:
        if not self.compared:
            return None
        return self.unit.delta(self.value(impact) - self.value(baseline))

    def range(self, impact: Impact) -> tuple[float, float] | None:
        if not self.ranged:
            return None
        return float(getattr(impact, f"{self.key}_low")), float(getattr(impact, f"{self.key}_high"))

    def aloud(self, impact: Impact) -> str:
        """What a briefer reads out: the value, with its range where it is an estimate."""
        spread = self.range(impact)
        if not spread:
            return self.text(impact)
        return (self.unit.with_range or people_with_range)(self.value(impact), *spread)

    def low_confidence(self, impact: Impact) -> bool:
        spread = self.range(impact)
        return bool(spread) and self.unit is PEOPLE and population.low_confidence(self.value(impact), *spread)


def _inside(table: str) -> Callable[[Impact], float]:
    """How many of a table's rows are inside, read from its column: the panel's grid built the settlements'
    DataFrame (pandas' string columns) for each new depth to count them, ~12 ms of a slider step."""
    return lambda impact: int(np.count_nonzero(impact.columns[table]["inside"]))


def _rows(table: str) -> Callable[[Impact], int]:
    return lambda impact: len(impact.columns[table]["inside"])


def manned_inside(impact: Impact) -> list[tuple[str, int]]:
    """How many of the posts inside are manned on the as-of date, and how many more may still be: a post
    whose evacuation may have ended is never counted as manned, and an evacuated post not at all."""
    posts = impact.columns["posts"]
    inside = np.asarray(posts["inside"], dtype=bool)
    status = np.asarray(posts["status"], dtype=object)
    return [
        ("manned", int(np.count_nonzero(inside & np.isin(status, MANNED)))),
        ("possibly manned", int(np.count_nonzero(inside & np.isin(status, POSSIBLY_MANNED)))),
    ]


def _switched_area(key: str, label: str, note: str, parameter: str, numbers: str) -> Metric:
    """An area a scenario has only while ``parameter`` is on (above 0). The panel's baseline shares the
    parameter, so it gets no delta; in text its label carries the parameter's value (``numbers``)."""
    return Metric(
        key,
        label,
        KM2,
        note,
        shown=lambda r: getattr(r.scenario, parameter) > 0,
        spelled=f"{label} {numbers}",
        compared=False,
    )


AREA = "geodesic: buffered on the ground and corrected to true areas on the Earth"
SHARE_NOTE = "share of the unit's area on the Earth inside the zone (Natural Earth outline)"
PEOPLE_NOTE = "OCHA 2023 HNO sub-district totals placed where people live (dasymetric), with a low–high range"
NEED_NOTE = "each sub-district's people inside times its share of people in need in the OCHA 2023 HNO"
POSTS_NOTE = (
    "Turkish observation posts and points inside the zone, from cited reports; manned: active or encircled on the "
    "as-of date (possibly manned: its evacuation may have ended, dates not reported; an evacuated post is neither)"
)
TOWNS_NOTE = "the briefing's eleven key towns (GeoNames positions) inside the zone"
CORRIDOR_NOTE = AREA + "; either side of the 2020 patrol stretch of the M4 (schematic)"
RINGS_NOTE = AREA + "; discs around the posts manned, or possibly manned, on the as-of date"

WINDOW = "{events_from:%d %b %Y}–{events_to:%d %b %Y}"
EVENTS_NOTE = (
    "UCDP GED 21.1 (CC BY 4.0): events between the scenario's two dates, both included; an event is inside "
    f"when it lies on the segment's side within the zone's depth; lower bounds: {EVENTS_CAVEAT}"
)
EVENT_METRICS = (
    Metric(
        "events_inside",
        "Conflict events inside (UCDP)",
        EVENTS,
        EVENTS_NOTE,
        of=lambda r: r.events_north_west,
        spelled=f"Conflict events inside, {WINDOW} (UCDP; of all in the north-west)",
        headline=False,
        group="events",
    ),
    Metric(
        "deaths_inside",
        "Deaths inside (UCDP)",
        DEATHS,
        EVENTS_NOTE,
        ranged=True,
        curve="Deaths inside in the window (UCDP best, low–high)",
        spelled=f"Deaths in conflict events inside, {WINDOW} (UCDP best, low–high)",
        headline=False,
        group="events",
    ),
    Metric(
        "deaths_share_inside",
        "Share of north-west deaths inside (UCDP)",
        SHARE,
        EVENTS_NOTE + "; the north-west is Aleppo, Idlib, Hama and Lattakia governorates",
        read=lambda r: r.deaths_inside / r.deaths_north_west if r.deaths_north_west else 0.0,
        spelled=f"Share of the north-west's deaths inside, {WINDOW} (UCDP)",
        headline=False,
        group="events",
    ),
    Metric(
        "deaths_in_band",
        "Deaths in the band (UCDP)",
        DEATHS,
        EVENTS_NOTE,
        ranged=True,
        spelled=f"Deaths in conflict events in the band, {WINDOW} (UCDP best, low–high)",
        headline=False,
        group="events",
    ),
    Metric(
        "deaths_in_corridor",
        "Deaths in the M4 corridor (UCDP)",
        DEATHS,
        EVENTS_NOTE,
        ranged=True,
        shown=lambda r: r.scenario.corridor_km > 0,
        spelled=f"Deaths in conflict events in the M4 corridor, {WINDOW} (UCDP best, low–high)",
        headline=False,
        group="events",
    ),
)

CATALOGUE: tuple[Metric, ...] = (
    Metric(
        "zone_area_km2", "Zone area (0–outer)", KM2, AREA, curve="Zone area", spelled="Zone (0–{outer_km:g} km) area"
    ),
    Metric("band_area_km2", "Band area (inner–outer)", KM2, AREA, spelled="Band ({inner_km:g}–{outer_km:g} km) area"),
    Metric("idlib_share", "Idlib governorate inside", SHARE, SHARE_NOTE, curve="Share of Idlib governorate"),
    Metric("afrin_share", "Afrin district inside", SHARE, SHARE_NOTE, curve="Share of Afrin district", headline=False),
    Metric(
        "settlements_inside",
        "Settlements inside",
        PLACES,
        "GeoNames populated places inside the zone, with the towns GeoNames' extract lacks (Sarmada, Atmeh, Qah, "
        "Deir Hassan: authored with their sources)",
        read=_inside("settlements"),
        curve="Settlements inside",
        headline=False,
    ),
    Metric(
        "population_inside",
        "People inside (estimate)",
        PEOPLE,
        PEOPLE_NOTE,
        ranged=True,
        curve="People inside (estimate, with its range)",
    ),
    Metric("population_in_band", "People in the band (estimate)", PEOPLE, PEOPLE_NOTE, ranged=True),
    Metric(
        "people_in_need_inside",
        "In need inside (HNO 2023)",
        PEOPLE,
        NEED_NOTE,
        spelled="People in need inside (HNO 2023)",
    ),
    Metric(
        "people_in_severe_need_areas_inside",
        "People in severity 4–5 areas",
        PEOPLE,
        "people inside in sub-districts the OCHA 2023 HNO rates 4 (extreme) or 5 (catastrophic) on its "
        "inter-sector severity scale (1 minimal, 2 stress, 3 severe)",
        read=lambda r: sum(people for level, people in r.people_by_severity.items() if level >= 4),
        spelled="People inside in HNO 2023 severity 4–5 areas (extreme or catastrophic need)",
        headline=False,
    ),
    Metric(
        "posts_inside",
        "Observation posts inside",
        POSTS,
        POSTS_NOTE,
        read=_inside("posts"),
        of=_rows("posts"),
        parts=manned_inside,
        curve="Observation posts inside",
    ),
    Metric("towns_inside", "Key towns inside", TOWNS, TOWNS_NOTE, read=_inside("towns"), of=_rows("towns")),
    _switched_area(
        "corridor_area_km2", "M4 corridor area", CORRIDOR_NOTE, "corridor_km", "({corridor_km:g} km either side)"
    ),
    _switched_area(
        "post_rings_area_km2",
        "Area around manned posts",
        RINGS_NOTE,
        "post_radius_km",
        "(radius {post_radius_km:g} km)",
    ),
    *EVENT_METRICS,
)
BY_KEY = {m.key: m for m in CATALOGUE}
WITH_CURVE = tuple(m for m in CATALOGUE if m.curve)


def shown(impact: Impact) -> list[Metric]:
    """The metrics this scenario has, in reading order."""
    return [m for m in CATALOGUE if m.shown(impact)]


def headlines(impact: Impact) -> list[Metric]:
    """The metrics of a scenario's slide: those it has that are headlines."""
    return [m for m in shown(impact) if m.headline]


@dataclass(frozen=True)
class LayerMetric:
    """A count of the analyst's uploaded features, read off its coverage table (see ``uploads.coverage``)."""

    key: str
    label: str
    column: str

    def count(self, table) -> int:
        return int(table[self.column].sum())

    def text(self, table) -> str:
        return f"{self.count(table)} of {len(table)}"

    def delta(self, table, baseline) -> str:
        return f"{self.count(table) - self.count(baseline):+d}"


LAYER_CATALOGUE: tuple[LayerMetric, ...] = (
    LayerMetric("layer_in_band", "Your layer in the band", "in_band"),
    LayerMetric("layer_in_zone", "Your layer in the zone", "in_zone"),
)
