"""Altair chart builders (pure: data in, chart spec out). Every mark carries its source in the tooltip.

Colours are the Okabe–Ito palette, readable by colour-blind viewers and on a projector; seed figures
are drawn in vermillion, external reference series in blue, context in grey.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import altair as alt
import pandas as pd

from dashboard.model import metrics
from dashboard.model.impact import EVENTS_CAVEAT, EVENTS_SOURCE, Impact
from dashboard.render import fonts
from dashboard.render.style import CHART, FONT
from dashboard.sources.seeds import Figure, dated_figures, figures_naming, parse_period

SEED = CHART["seed"].hex
REFERENCE = CHART["reference"].hex
CONTEXT = CHART["context"].hex
ACCENT = CHART["accent"].hex


SUBTITLE_CHARS = 105  # a line of sources under a title: Vega does not wrap, so a long one ran off the chart


def _titled(chart, title: str, sources: str):
    return (
        chart.properties(
            title=alt.Title(
                title,
                subtitle=textwrap.wrap(f"Sources: {sources}", SUBTITLE_CHARS),
                anchor="start",
                fontSize=FONT + 4,
                subtitleFontSize=FONT - 2,
                subtitleColor=CHART["subtitle"].hex,
            ),
        )
        .configure(font=fonts.FAMILY)
        .configure_axis(labelFontSize=FONT - 1, titleFontSize=FONT)
        .configure_legend(labelFontSize=FONT - 1, titleFontSize=FONT)
    )


def _tip(field: str | tuple) -> alt.Tooltip:
    """A tooltip line from "field:type", or (field, title) or (field, title, format)."""
    if isinstance(field, str):
        return alt.Tooltip(field)
    name, title, *fmt = field
    return alt.Tooltip(name, title=title or alt.Undefined, **({"format": fmt[0]} if fmt else {}))


def _sourced(*fields: str | tuple, then: str | None = None) -> list[alt.Tooltip]:
    """A mark's tooltip: what it shows, then its source (every mark in these charts names its source),
    then the record's ``status`` or ``confidence`` where it has one."""
    return [_tip(f) for f in (*fields, "source:N", *([f"{then}:N"] if then else []))]


def _reference_line(series: pd.DataFrame, x, y, tooltip) -> alt.Chart:
    """An external record's series: a line through its points, in the reference colour."""
    return (
        alt.Chart(series)
        .mark_line(point=alt.OverlayMarkDef(size=70), color=REFERENCE)
        .encode(x=x, y=y, tooltip=tooltip)
    )


def _external(rows: list[dict], category: str, ids: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame([r for r in rows if r["category"] == category])
    if ids is not None:
        frame = frame.set_index("id").loc[ids].reset_index()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source"] = frame["source_title"] + " — " + frame["source_url"]
    return frame


def _figure(registry: list[Figure], figure_id: str) -> Figure:
    return next(f for f in registry if f.id == figure_id)


REFUGEE_SERIES = [
    "REF-2012a",
    "REF-2013a",
    "REF-2014",
    "REF-2015",
    "REF-2016",
    "REF-2017",
    "REF-2018",
    "REF-2019",
    "REF-2020",
    "REF-2021",
    "REF-2022",
    "REF-2023",
    "REF-2024",
]


def syrians_in_turkiye(external: list[dict], registry: list[Figure]):
    """Syrians under temporary protection in Türkiye by year, with the texts' 'nearly 4 million'."""
    series = _external(external, "refugees_tr", REFUGEE_SERIES)
    series["label"] = "Syrians under temporary protection (DGMM/PMM)"
    unhcr = _external(external, "refugees_tr", ["REF-2020-UNHCR"])
    unhcr["label"] = "Refugees and asylum-seekers, all nationalities (UNHCR)"
    seed = _figure(registry, "S16")
    start, end = parse_period(seed.refers_to)
    marker = pd.DataFrame(
        [
            {
                "date": pd.Timestamp(end),
                "value": seed.value,
                "low": seed.low,
                "high": seed.high,
                "quote": seed.quote,
                "file": seed.file,
                "note": seed.note,
                "label": "Source text: 'nearly 4 million'",
            }
        ]
    )
    y = alt.Y("value:Q", title="People (millions)", axis=alt.Axis(format="~s"), scale=alt.Scale(domainMin=0))
    x = alt.X("date:T", title="Year (end-of-year figures)", axis=alt.Axis(format="%Y"))
    tip = _sourced(("metric:N", "what"), ("value:Q", "people", ","), ("period:N", "when"), then="status")
    line = _reference_line(series, x, y, tip)
    other = (
        alt.Chart(unhcr)
        .mark_point(shape="diamond", size=120, color=CONTEXT, filled=True)
        .encode(
            x=x,
            y=y,
            tooltip=_sourced(("metric:N", "what"), ("value:Q", None, ","), ("period:N", "when")),
        )
    )
    tip = [
        alt.Tooltip("quote:N", title="quote"),
        alt.Tooltip("file:N", title="seed file"),
        alt.Tooltip("note:N", title="what it counts"),
    ]
    bar = alt.Chart(marker).mark_rule(color=SEED, strokeWidth=3).encode(x=x, y="low:Q", y2="high:Q", tooltip=tip)
    dot = (
        alt.Chart(marker)
        .mark_point(shape="triangle-up", size=220, color=SEED, filled=True)
        .encode(x=x, y=y, tooltip=tip)
    )
    text = (
        alt.Chart(marker)
        .mark_text(align="right", dx=-12, dy=-14, color=SEED, fontSize=FONT)
        .encode(x=x, y=y, text=alt.value("'nearly 4 million' (source text)"))
    )
    chart = alt.layer(line, other, bar, dot, text).properties(width="container", height=320)
    return _titled(
        chart,
        "Syrians in Türkiye by year",
        "Turkish Directorate General of Migration Management year-end series via press and IOM; UNHCR "
        "(27 Feb 2020, all nationalities); source text (seeds/000_39c0d70a619899c6.txt)",
    )


def escalation_timeline(timeline: list[dict], registry: list[Figure]):
    """Dated events 2011–2023: those the texts name highlighted (tooltip: the quote), others muted."""
    events = pd.DataFrame(timeline)
    events["date"] = pd.to_datetime(events["date"])
    events = events.loc[(events["date"].dt.year >= 2011) & (events["date"].dt.year <= 2023)].copy()
    dated = dated_figures(registry)
    quotes, named = [], []
    for when in events["date"].dt.date:
        hits = figures_naming(dated, when)
        named.append(bool(hits))
        quotes.append(" | ".join(f"{f.id}: “{f.quote}”" for f in hits) or "")
    events["named"] = named
    events["in_texts"] = ["named in the source texts" if n else "external record" for n in named]
    events["quote"] = quotes
    events["source"] = events["source_title"] + " — " + events["source_url"]
    chart = (
        alt.Chart(events)
        .mark_circle()
        .encode(
            x=alt.X("date:T", title="Date", axis=alt.Axis(format="%Y")),
            y=alt.Y("category:N", title=None, sort=sorted(events["category"].unique())),
            color=alt.Color(
                "in_texts:N",
                title=None,
                scale=alt.Scale(domain=["named in the source texts", "external record"], range=[SEED, CONTEXT]),
            ),
            size=alt.condition("datum.named", alt.value(260), alt.value(80)),
            opacity=alt.condition("datum.named", alt.value(1.0), alt.value(0.55)),
            tooltip=_sourced(
                ("date:T", None, "%d %b %Y"), "event:N", ("quote:N", "source-text quote"), then="confidence"
            ),
        )
        .properties(width="container", height=380)
    )
    return _titled(
        chart,
        "Escalation timeline, 2011–2023",
        "seeds/timeline.csv (each event's source in its tooltip); source-text quotes from seeds/figures.csv",
    )


DISPLACEMENT_SERIES = [
    "DSP-2020-01-01",
    "DSP-2020-01-14",
    "DSP-2020-01-29",
    "DSP-2020-02-02",
    "DSP-2020-02-11",
    "DSP-2020-02-13",
    "DSP-2020-02-17",
    "DSP-2020-02-23",
    "DSP-2020-03-05",
]
DISPLACEMENT_MARKS = [
    (dt.date(2020, 2, 5), "5 Feb deadline", "Erdoğan sets an end-of-February deadline (timeline 2020-02-05)"),
    (
        dt.date(2020, 3, 5),
        "5 Mar protocol",
        "external AGR-MOSCOW-CEASEFIRE; seed S04 “The March 5 agreement”",
    ),
]


def nw_displacement(external: list[dict]):
    """People displaced in NW Syria since 1 Dec 2019, with the 5 Feb deadline and 5 Mar agreement marked."""
    series = _external(external, "displacement_nws", DISPLACEMENT_SERIES)
    marks = pd.DataFrame([{"date": pd.Timestamp(d), "label": t, "source": s} for d, t, s in DISPLACEMENT_MARKS])
    x = alt.X("date:T", title="Date (2019–2020)", axis=alt.Axis(format="%d %b"))
    y = alt.Y("value:Q", title="People displaced since 1 Dec 2019", axis=alt.Axis(format="~s"))
    tip = _sourced(("date:T", None, "%d %b %Y"), ("value:Q", "people", ","), ("period:N", "period"), then="status")
    line = _reference_line(series, x, y, tip)
    rules = (
        alt.Chart(marks)
        .mark_rule(color=ACCENT, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=x, tooltip=[alt.Tooltip("label:N"), alt.Tooltip("source:N")])
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="right", baseline="top", dx=-4, color=CHART["accent_text"].hex, fontSize=FONT - 1)
        .encode(x=x, y=alt.value(4), text="label:N")  # at the top of the plot, whatever its height
    )
    chart = alt.layer(line, rules, labels).properties(width="container", height=320)
    return _titled(
        chart,
        "NW Syria displacement, December 2019 – March 2020",
        "OCHA situation reports and UN briefings (each point's source in its tooltip)",
    )


FATALITY_INCIDENTS = ["TMF-2020-02-03", "TMF-2020-02-10", "TMF-2020-02-20", "TMF-2020-02-27"]
INCIDENT_PLACES = {
    "TMF-2020-02-03": "near Saraqib",
    "TMF-2020-02-10": "Taftanaz",
    "TMF-2020-02-20": "near Idlib",
    "TMF-2020-02-27": "Balyun",
}


def turkish_deaths(external: list[dict], registry: list[Figure]):
    """Turkish military deaths in February 2020 by incident; the texts' 'eight Turkish lives' linked."""
    frame = _external(external, "turkish_fatalities", FATALITY_INCIDENTS)
    seed = _figure(registry, "S22")
    linked = frame["date"].dt.date == parse_period(seed.refers_to)[0]
    frame["incident"] = [f"{d:%d %b} {INCIDENT_PLACES[i]}" for d, i in zip(frame["date"], frame["id"], strict=True)]
    frame["in_texts"] = ["named in the source texts" if x else "external record only" for x in linked]
    frame["quote"] = [f"“{seed.quote}” ({seed.file})" if x else "" for x in linked]
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "incident:N",
                title="Incident (February 2020)",
                sort=None,
                axis=alt.Axis(labelAngle=0, labelLimit=260),
            ),
            y=alt.Y("value:Q", title="Turkish personnel killed (people)"),
            color=alt.Color(
                "in_texts:N",
                title=None,
                scale=alt.Scale(domain=["named in the source texts", "external record only"], range=[SEED, REFERENCE]),
            ),
            tooltip=_sourced(
                ("metric:N", "what"), ("value:Q", "killed"), "unit:N", ("quote:N", "source-text quote"), then="status"
            ),
        )
        .properties(width="container", height=320)
    )
    return _titled(
        chart,
        "Turkish military deaths in Idlib, February 2020",
        "press reports of the Turkish Ministry of Defence (each bar's source in its tooltip); source "
        "text S22 “claimed eight Turkish lives”",
    )


BAND_LAYER = "current band"  # the sensitivity chart's shaded band: the one layer a slider step changes


def _band_row(inner_km: float, outer_km: float) -> dict:
    return {"start": inner_km, "end": outer_km, "label": f"current band {inner_km:g}–{outer_km:g} km"}


ZONE_SOURCES = "geodata/ layers (see Sources & method); distances geodesic"


def sensitivity_chart(curve: pd.DataFrame, inner_km: float, outer_km: float, metric: str, window=None):
    """A metric of the 0–d zone as d runs 0–100 km, with the current band shaded. An events metric's curve
    is of one window of events, given as (first day, last day) and named in the title and the sources."""
    entry = metrics.BY_KEY[metric]
    title, unit, fmt = entry.curve, entry.unit.name, entry.unit.d3
    if entry.group == "events":
        first, last = window
        title = f"{title}, {first:%d %b %Y}–{last:%d %b %Y}"
        sources = f"{EVENTS_SOURCE} (CC BY 4.0); distances geodesic; lower bounds: {EVENTS_CAVEAT}"
    else:
        sources = ZONE_SOURCES
    columns = [c for c in ("depth_km", metric, f"{metric}_low", f"{metric}_high") if c in curve.columns]
    curve = curve[columns]  # only what this chart draws: the spec carries its data
    band = pd.DataFrame([_band_row(inner_km, outer_km)])
    x = alt.X("depth_km:Q", title="Zone depth from the border (km)", scale=alt.Scale(domain=[0, 100]))
    source = alt.Tooltip("source:N", title="source")
    shade = (
        alt.Chart(band)
        .mark_rect(color=SEED, opacity=0.18)
        .encode(x="start:Q", x2="end:Q", tooltip=[alt.Tooltip("label:N")])
        .properties(name=BAND_LAYER)
    )
    line = (
        alt.Chart(curve)
        .mark_line(color=REFERENCE, strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y(
                f"{metric}:Q",
                title=f"{entry.curve.split(' (')[0]} ({unit})",
                axis=alt.Axis(format=fmt.replace(",.0f", "~s")),
            ),
            tooltip=[
                alt.Tooltip("depth_km:Q", title="depth (km)"),
                alt.Tooltip(f"{metric}:Q", title=entry.curve, format=fmt),
                source,
            ],
        )
    )
    layers = [shade, line]
    if {f"{metric}_low", f"{metric}_high"} <= set(curve.columns):  # an estimate: its range as a band
        spread = (
            alt.Chart(curve)
            .mark_area(color=REFERENCE, opacity=0.2)
            .encode(
                x=x,
                y=f"{metric}_low:Q",
                y2=f"{metric}_high:Q",
                tooltip=[
                    alt.Tooltip("depth_km:Q", title="depth (km)"),
                    alt.Tooltip(f"{metric}_low:Q", title="low", format=fmt),
                    alt.Tooltip(f"{metric}_high:Q", title="high", format=fmt),
                    source,
                ],
            )
        )
        layers = [shade, spread, line]
    # the source as a computed field: the curve's rows (a served file) stay numbers only
    layers = [layers[0], *(layer.transform_calculate(source=json.dumps(sources)) for layer in layers[1:])]
    chart = alt.layer(*layers).properties(width="container", height=260)
    return _titled(chart, f"{title} vs zone depth", sources)


def with_band(spec: dict, inner_km: float, outer_km: float) -> dict:
    """A sensitivity chart's Vega-Lite spec with another band shaded, without building the chart again.

    The curve depends on the segment and the metric only; building it with Altair is ~50 ms, so the UI
    keeps the spec per (segment, metric) and a slider step swaps the band layer's data. The spec given
    is shared and never changed: the result is a new top level and a new band layer over the same rest."""
    layers, datasets = [], dict(spec.get("datasets", {}))
    for layer in spec["layer"]:
        if layer.get("name") == BAND_LAYER:
            datasets.pop(layer["data"].get("name"), None)
            layer = {**layer, "data": {"values": [_band_row(inner_km, outer_km)]}}
        layers.append(layer)
    return {**spec, "layer": layers, "datasets": datasets}


MARKED_DAYS = ("2020-02-05", "2020-02-27", "2020-03-05")  # the deadline, Balyun, the Moscow protocol


def deaths_by_month_chart(impact: Impact, timeline: list[dict]):
    """Deaths per month (UCDP best) inside the zone and in the rest of the north-west, 2017–2020, with the
    scenario's window shaded and the texts' dates marked: the 5 Feb 2020 deadline, the 27 Feb 2020 strike at
    Balyun, the 5 Mar 2020 protocol (each from the timeline, with its source)."""
    s = impact.scenario
    monthly = impact.deaths_by_month
    rows = [
        {"month": month, "where": where, "deaths": deaths, "source": f"{EVENTS_SOURCE}; lower bounds"}
        for where in ("inside", "rest of the north-west")
        for month, deaths in zip(monthly["month"], monthly[where], strict=True)
    ]
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y"))
    bars = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("deaths:Q", stack=True, title="deaths per month (UCDP best)"),
            color=alt.Color(
                "where:N",
                scale=alt.Scale(domain=["inside", "rest of the north-west"], range=[SEED, CONTEXT]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("month:T", format="%b %Y"),
                alt.Tooltip("where:N"),
                alt.Tooltip("deaths:Q", format=","),
                alt.Tooltip("source:N"),
            ],
        )
    )
    window = pd.DataFrame(
        [{"start": s.events_from.isoformat(), "end": s.events_to.isoformat(), "label": "the scenario's window"}]
    )
    shade = (
        alt.Chart(window)
        .mark_rect(color=ACCENT, opacity=0.15)
        .encode(x="start:T", x2="end:T", tooltip=[alt.Tooltip("label:N"), alt.Tooltip("start:T"), alt.Tooltip("end:T")])
    )
    marks = pd.DataFrame(
        [
            {"date": row["date"], "what": row["event"][:90], "source": row["source_title"]}
            for row in timeline
            if row["date"] in MARKED_DAYS
        ]
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(color=CHART["accent_text"].hex, strokeDash=[4, 3])
        .encode(x="date:T", tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "what:N", "source:N"])
    )
    chart = alt.layer(shade, bars, rules).properties(width="container", height=260)
    return _titled(
        chart,
        f"Deaths per month inside the zone (0–{s.outer_km:g} km) and in the rest of the north-west",
        f"{EVENTS_SOURCE} (CC BY 4.0); lower bounds: {EVENTS_CAVEAT}",
    )


def refugees_and_returns(external: list[dict], people: int):
    """The Figures page's Syrians-in-Türkiye series with the returns what-if's N drawn across it, and the
    returns UNHCR recorded since December 2024: how N compares with who is there and who has gone back."""
    series = _external(external, "refugees_tr", REFUGEE_SERIES)
    returned = _external(external, "returns_since_2024")
    y = alt.Y("value:Q", title="People (millions)", axis=alt.Axis(format="~s"), scale=alt.Scale(domainMin=0))
    x = alt.X("date:T", title="Year", axis=alt.Axis(format="%Y"))
    line = _reference_line(
        series, x, y, _sourced(("metric:N", "what"), ("value:Q", "people", ","), ("period:N", "when"), then="status")
    )
    back = (
        alt.Chart(returned)
        .mark_point(shape="square", size=180, color=CONTEXT, filled=True)
        .encode(x=x, y=y, tooltip=_sourced(("metric:N", "what"), ("value:Q", "people", ","), ("period:N", "when")))
    )
    what_if = pd.DataFrame([{"value": people, "label": f"what-if: {people:,} people settle in the zone"}])
    rule = (
        alt.Chart(what_if)
        .mark_rule(color=ACCENT, strokeWidth=3, strokeDash=[8, 4])
        .encode(y="value:Q", tooltip=[alt.Tooltip("label:N", title="what-if")])
    )
    text = (
        alt.Chart(what_if)
        .mark_text(align="left", x=8, dy=-10, color=ACCENT, fontSize=FONT, fontWeight="bold")
        .encode(y="value:Q", text="label:N")
    )
    chart = alt.layer(line, back, rule, text).properties(width="container", height=300)
    return _titled(
        chart,
        "Syrians under temporary protection in Türkiye, with the what-if's N",
        "Turkish Directorate General of Migration Management year-end series via press and IOM (line); UNHCR "
        "returns since 8 Dec 2024 (squares); the what-if (dashed)",
    )
