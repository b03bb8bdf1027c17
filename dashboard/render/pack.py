"""The briefing pack: one self-contained HTML file, rendered from a Jinja2 template (pure: no Streamlit).

Static maps and charts are rendered server-side to PNG (vl-convert: no browser, no network) and embedded
as data URIs, beside the catalogue's metrics, the sources, the attribution, the method note, each
scenario's link and a content hash of the inputs. The template autoescapes: it is handed plain values.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path

import altair as alt
import jinja2

from dashboard.exchange.decks import steps_to_records
from dashboard.exchange.links import query_string, returns_query_string
from dashboard.model import metrics, population, returns
from dashboard.model.geography import Geography
from dashboard.model.impact import CONTROL_NOTE, POPULATION_COVERAGE, POPULATION_SOURCE, Impact, deaths_by_depth
from dashboard.model.scenario import Step, month_run_label
from dashboard.render import charts, images, months, report, returns_map
from dashboard.render.static_map import print_map
from dashboard.render.style import PAGE
from dashboard.sources.layers import ATTRIBUTION, DATASETS, EVENTS_FILE, GEODATA_DIR, LAYERS
from dashboard.sources.seeds import SEEDS_DIR
from dashboard.sources.text import clean_notes, clean_text

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a value the template names but is not given fails loudly
    keep_trailing_newline=True,
)
PNG_WIDTH = 760  # pixels: charts drawn to the page's width on screen get a fixed width on paper


def render_png(chart) -> bytes:
    if getattr(chart, "width", None) == "container":  # a chart drawn to the page's width gets a fixed one
        chart = chart.properties(width=PNG_WIDTH)
    return images.png(chart)


def _base64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def inputs_hash(steps: list[Step]) -> str:
    """SHA-256 over the scenario parameters, the layers and the seed tables the pack was made from."""
    h = hashlib.sha256(json.dumps(steps_to_records(steps), indent=1, ensure_ascii=False).encode("utf-8"))
    for name in sorted(LAYERS):
        h.update((GEODATA_DIR / f"{name}.geojson").read_bytes())
    h.update((GEODATA_DIR / EVENTS_FILE).read_bytes())
    for path in sorted(SEEDS_DIR.iterdir()):
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def pack_failure_html() -> str:
    """What the briefer downloads if the pack could not be built: a page that says so and what to do."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Briefing pack not built</title></head>"
        "<body><h1>The briefing pack could not be built</h1><p>The error is in the dashboard's server log. "
        "Check the sequence on the Briefing page (every step needs a valid scenario) and download again; "
        "the map and figures in the dashboard are unaffected.</p></body></html>"
    )


def step_rows(impact: Impact, geo: Geography) -> list[tuple[str, str]]:
    """The table under a step's map: every catalogue metric read aloud, then the breakdowns (the key towns
    with their Arabic names)."""
    s, posts, towns = impact.scenario, impact.posts, impact.towns
    governed = "; ".join(
        f"{label} {metrics.people_estimate(people)} ({share:.0%})"
        for label, people, share in report.control_rows(impact)
    )
    status = posts.groupby("status").size().to_dict()
    return [
        *((m.label_for(impact), m.aloud(impact)) for m in metrics.shown(impact)),
        ("Who governs the people inside (OCHA planning shares, early 2023)", governed or "nobody inside"),
        ("Severity mix of the people inside (HNO 2023)", report.severity_text(impact)),
        ("Key towns inside, by name", _towns_named(geo, towns.loc[towns["inside"]]) or "none"),
        ("Posts by status on " + s.as_of.isoformat(), ", ".join(f"{k}: {v}" for k, v in status.items())),
    ]


def _towns_named(geo: Geography, towns) -> str:
    arabic = geo.layers_lonlat["settlements"].set_index("id")["name_ar"]
    return ", ".join(
        f"{name} ({arabic.get(tid)})" if isinstance(arabic.get(tid), str) else name
        for name, tid in zip(towns["name"], towns["id"], strict=True)
    )


def pack_html(
    geo: Geography,
    steps: list[Step],
    impacts: list[Impact],
    figure_charts: list,
    base_url: str,
    timeline: list[dict],
    made: dt.datetime | None = None,
    grids: tuple = (),
) -> str:
    """The briefing pack as one self-contained HTML document (no external references). Each step has its
    map, its figures and its conflict events (deaths per month with the timeline's dates marked, and deaths
    against the zone's depth)."""
    made = made or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return TEMPLATES.get_template("pack.html.j2").render(
        made=made,
        digest=inputs_hash(steps),
        steps=[
            {
                "title": clean_text(step.title, 10_000),  # no control characters or direction overrides
                "notes": clean_notes(step.notes),
                "months": metrics.months_shown(step, impact),
                "map_png": _base64(render_png(print_map(geo, impact))),
                "map_alt": "Map: " + impact.scenario.label(),
                "rows": step_rows(impact, geo),
                "line_falls": metrics.where_the_line_falls(impact),
                "event_charts": [
                    {"png": _base64(render_png(chart)), "alt": _chart_title(chart)}
                    for chart in event_charts(geo, impact, timeline)
                ],
                # the landing page lives at the root, not /scenario
                "url": base_url.rstrip("/") + "/" + query_string(impact.scenario),
                "returns": returns_section(geo, impact, step.returns, base_url),
            }
            for step, impact in zip(steps, impacts, strict=True)
        ],
        charts=[{"png": _base64(render_png(c)), "alt": _chart_title(c)} for c in figure_charts],
        grids=[  # the small multiples of each grid chosen (months.Grid), a picture per twelve panels
            {
                "title": months.grid_title(grid, panels),
                "png": _base64(render_png(months.grid_chart(geo, grid, panels))),
                "alt": "Small multiples: " + ", ".join(month_run_label(a, b) for a, b in panels),
            }
            for grid in grids
            for panels in grid.chunks()
        ],
        method=report.METHOD_NOTE,
        people_source=POPULATION_SOURCE,
        people_method=population.METHOD,
        people_coverage=POPULATION_COVERAGE,
        people_assumptions=population.ASSUMPTIONS,
        control_note=CONTROL_NOTE,
        metrics=metrics.CATALOGUE,
        sources=list(DATASETS.items()),
        attribution=ATTRIBUTION,
        ink=PAGE["ink"].hex,
        rule=PAGE["rule"].hex,
    )


def returns_section(geo: Geography, impact: Impact, whatif, base_url: str) -> dict | None:
    """A step's returns what-if in the pack: its sentence, the zone's and the top sub-districts' figures, the
    choropleth, the assumption and the household size's source (or why it cannot be computed for this zone)."""
    result = returns.of_step(geo, impact, whatif)
    if result is None:
        return None
    if isinstance(result, str):
        return {"problem": result, "sentence": "", "rows": [], "map_png": "", "map_alt": "", "notes": [], "url": ""}
    chart = returns_map.increase_chart(geo, impact, result)
    return {
        "problem": "",
        "sentence": returns.summary(result),
        "rows": returns.briefing_rows(result),
        "map_png": _base64(render_png(chart)),
        "map_alt": _chart_title(chart),
        "notes": [
            returns.NEED_ASSUMPTION,
            f"{returns.METHOD} Household size: seeds/external.csv {returns.HOUSEHOLD_SOURCE}.",
        ],
        "url": base_url.rstrip("/") + "/returns" + returns_query_string(impact.scenario, whatif),
    }


def event_charts(geo: Geography, impact: Impact, timeline: list[dict]) -> list:
    """A scenario's conflict events as the landing page charts them: deaths per month inside and in the rest
    of the north-west, and the window's deaths against the zone's depth with its band shaded."""
    s = impact.scenario
    window = (s.events_from, s.events_to)
    curve = deaths_by_depth(geo, s.segment, *window)
    return [
        charts.deaths_by_month_chart(impact, timeline),
        charts.sensitivity_chart(curve, s.inner_km, s.outer_km, "deaths_inside", window),
    ]


def _chart_title(chart) -> str:
    title = chart.title
    text = title.text if isinstance(title, alt.TitleParams) else title
    return "Chart: " + ("" if text is alt.Undefined else str(text))


def figure_charts_for_pack(registry, external, timeline) -> list:
    return [
        charts.syrians_in_turkiye(external, registry),
        charts.escalation_timeline(timeline, registry),
        charts.nw_displacement(external),
        charts.turkish_deaths(external, registry),
    ]
