"""Briefing sequences and the one-file briefing pack (pure: no Streamlit).

The pack is a single self-contained HTML file: static maps and charts rendered server-side to PNG
(vl-convert, no browser, no network) and embedded as data URIs, the metrics, sources, attribution,
the method note, each scenario's link and a content hash of the inputs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
from dataclasses import replace

import altair as alt
import shapely

from dashboard.exchange.links import query_string
from dashboard.model import population
from dashboard.model.geography import AFRIN, IDLIB, Geography
from dashboard.model.impact import CONTROL_NOTE, POPULATION_COVERAGE, POPULATION_SOURCE, Impact
from dashboard.model.scenario import DEFAULT, Step
from dashboard.render import charts, maps, report
from dashboard.sources.layers import ATTRIBUTION, GEODATA_DIR, LAYERS
from dashboard.sources.seeds import SEEDS_DIR


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


def sequence_to_json(steps: list[Step]) -> str:
    return json.dumps(
        [{"title": s.title, "notes": s.notes, **s.scenario.to_dict()} for s in steps],
        indent=1,
        ensure_ascii=False,
    )


# --- static maps -----------------------------------------------------------------------------------


def _d3(geom) -> dict:
    """GeoJSON geometry with d3/Vega winding (clockwise exteriors), or a polygon fills the whole globe."""
    geom = shapely.orient_polygons(shapely.set_precision(geom, 1e-3), exterior_cw=True)
    return json.loads(shapely.to_geojson(geom))


def static_map(geo: Geography, impact: Impact, width: int = 720, height: int = 540):
    """An Altair geoshape map of one scenario (renders offline with vl-convert)."""
    ll = geo.layers_lonlat
    feats = []

    def add(geom, kind, name=""):
        if geom is not None and not geom.is_empty:
            feats.append({"type": "Feature", "geometry": _d3(geom), "properties": {"kind": kind, "name": name}})

    for geom, cid in zip(ll["countries"].geometry, ll["countries"]["id"], strict=True):
        add(geom, "syria" if cid == "SYR" else "neighbour")
    govs = ll["governorates"]
    add(govs.loc[govs["id"] == IDLIB].geometry.iloc[0], "idlib", "Idlib")
    add(ll["districts"].set_index("id").geometry[AFRIN], "afrin", "Afrin")
    add(geo.to_lonlat(impact.zone), "zone")
    add(geo.to_lonlat(impact.band), "band")
    add(geo.to_lonlat(impact.corridor), "corridor")
    add(geo.to_lonlat(impact.post_rings), "rings")
    for geom in govs.geometry:
        add(geom.boundary, "boundary")
    add(shapely.union_all(ll["border"].geometry.values), "border")
    order = [
        "neighbour",
        "syria",
        "idlib",
        "afrin",
        "zone",
        "band",
        "corridor",
        "rings",
        "boundary",
        "border",
    ]
    colours = [
        "#e4e4e4",
        "#faf8f2",
        "#f3d28a",
        "#e7b9d3",
        "#f6c9ad",
        "#d55e00",
        "#56b4e9",
        "#bfe3f6",
        "#8a8a8a",
        "#5a1414",
    ]
    extent = {"type": "Feature", "geometry": _d3(shapely.box(35.6, 34.9, 38.6, 37.3)), "properties": {}}
    shapes = (
        alt.Chart(alt.Data(values=feats))
        .mark_geoshape(strokeWidth=0.8, clip=True)
        .encode(
            fill=alt.Fill("properties.kind:N", scale=alt.Scale(domain=order, range=colours), legend=None),
            stroke=alt.Stroke(
                "properties.kind:N",
                scale=alt.Scale(
                    domain=order,
                    range=[
                        "#999999",
                        "#999999",
                        "#e69f00",
                        "#cc79a7",
                        "#d55e00",
                        "#d55e00",
                        "#0072b2",
                        "#56b4e9",
                        "#8a8a8a",
                        "#5a1414",
                    ],
                ),
                legend=None,
            ),
            fillOpacity=alt.condition(
                "datum.properties.kind == 'boundary' || datum.properties.kind == 'border'",
                alt.value(0),
                alt.value(0.85),
            ),
        )
    )
    posts = impact.posts.assign(lon=[g.x for g in ll["posts"].geometry], lat=[g.y for g in ll["posts"].geometry])
    points = (
        alt.Chart(posts)
        .mark_point(filled=True, size=60, stroke="black", strokeWidth=0.6, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "status:N",
                scale=alt.Scale(
                    domain=list(maps.STATUS_COLOURS),
                    range=["#{:02x}{:02x}{:02x}".format(*c[:3]) for c in maps.STATUS_COLOURS.values()],
                ),
                title="Post status",
            ),
        )
    )
    towns = ll["settlements"].set_index("id").loc[list(impact.towns["id"])]
    labels = (
        alt.Chart(
            alt.Data(
                values=[
                    {"name": n, "lon": g.x, "lat": g.y}
                    for n, g in zip(impact.towns["name"], towns.geometry, strict=True)
                ]
            )
        )
        .mark_text(fontSize=11, dy=-8, clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
    )
    return (
        alt.layer(shapes, points, labels)
        .project(type="mercator", fit=extent)
        .properties(width=width, height=height, title=impact.scenario.label())
    )


def render_png(chart) -> bytes:
    import vl_convert

    spec = json.loads(json.dumps(chart.to_dict()).replace('"container"', "760"))
    return vl_convert.vegalite_to_png(spec, scale=1.0)


def _img(png: bytes, alt_text: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt_text)}" style="max-width:100%">'


def inputs_hash(steps: list[Step]) -> str:
    """SHA-256 over the scenario parameters, the layers and the seed tables the pack was made from."""
    h = hashlib.sha256(sequence_to_json(steps).encode("utf-8"))
    for name in sorted(LAYERS):
        h.update((GEODATA_DIR / f"{name}.geojson").read_bytes())
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


def pack_html(
    geo: Geography,
    steps: list[Step],
    impacts: list[Impact],
    figure_charts: list,
    base_url: str,
    made: dt.datetime | None = None,
) -> str:
    """The briefing pack as one self-contained HTML document (no external references)."""
    made = made or dt.datetime.now(dt.UTC).replace(microsecond=0)
    digest = inputs_hash(steps)
    parts = []
    for i, (step, impact) in enumerate(zip(steps, impacts, strict=True), start=1):
        s = impact.scenario
        url = base_url.rstrip("/") + "/" + query_string(s)  # the landing page lives at the root, not /scenario
        towns = impact.towns
        posts = impact.posts
        rows = [
            ("Zone area (0–outer)", f"{impact.zone_area_km2:,.0f} km²"),
            ("Band area (inner–outer)", f"{impact.band_area_km2:,.0f} km²"),
            ("Idlib governorate inside", f"{impact.idlib_share:.0%}"),
            ("Afrin district inside", f"{impact.afrin_share:.0%}"),
            ("People inside (estimate)", report.people_with_range(impact)),
            ("People in the band (estimate)", report.people_with_range(impact, "band")),
            ("People in need inside (HNO 2023)", report.people_estimate(impact.people_in_need_inside)),
            (
                "Who governs the people inside (OCHA planning shares, early 2023)",
                "; ".join(
                    f"{label} {report.people_estimate(people)} ({share:.0%})"
                    for label, people, share in report.control_rows(impact)
                )
                or "nobody inside",
            ),
            ("Severity mix of the people inside (HNO 2023)", report.severity_text(impact)),
            ("Settlements inside (GeoNames)", f"{int(impact.settlements['inside'].sum())}"),
            ("Observation posts inside", f"{int(posts['inside'].sum())} of {len(posts)}"),
            ("Key towns inside", ", ".join(towns.loc[towns["inside"], "name"]) or "none"),
        ]
        if s.corridor_km:
            rows.append(("M4 corridor area", f"{impact.corridor_area_km2:,.0f} km²"))
        status = posts.groupby("status").size().to_dict()
        rows.append(("Posts by status on " + s.as_of.isoformat(), ", ".join(f"{k}: {v}" for k, v in status.items())))
        table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        parts.append(
            f"<section class='step'><h2>{i}. {html.escape(step.title)}</h2><p class='notes'>{html.escape(step.notes)}"
            f"</p>{_img(render_png(static_map(geo, impact)), 'Map: ' + s.label())}<table>{table}</table>"
            f"<p class='url'>Scenario link: <a href='{html.escape(url)}'>{html.escape(url)}</a></p></section>"
        )
    chart_html = "".join(f"<section class='chart'>{_img(render_png(c), 'chart')}</section>" for c in figure_charts)
    sources = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in LAYERS.items())
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}h1{font-size:1.8em}"
        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left}"
        "section{page-break-after:always}code{word-break:break-all}.notes{font-style:italic}"
        "@media print{section{page-break-inside:avoid}}"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>NW Syria scenario briefing</title>"
        f"<style>{style}</style></head><body><h1>NW Syria scenario briefing</h1>"
        f"<p>Prepared {made:%d %B %Y %H:%M} UTC. Inputs SHA-256: <code>{digest}</code></p>"
        f"{''.join(parts)}<h2>Figures from the source texts</h2>{chart_html}"
        f"<section><h2>Method</h2><p>{html.escape(report.METHOD_NOTE)}</p><p>People inside: "
        f"{html.escape(POPULATION_SOURCE)}; {html.escape(population.METHOD)}; coverage: "
        f"{html.escape(POPULATION_COVERAGE)}. {html.escape(population.ASSUMPTIONS)} Area of control: "
        f"{html.escape(CONTROL_NOTE)}."
        " Boundaries are administrative, not lines of control; settlement populations are old census figures; "
        "M4/M5 are schematic (~0.5–3 km).</p><h2>Sources</h2><ul>" + sources + "</ul>"
        f"<p>{html.escape(ATTRIBUTION)}</p></section></body></html>"
    )


def figure_charts_for_pack(registry, external, timeline) -> list:
    return [
        charts.syrians_in_turkiye(external, registry),
        charts.escalation_timeline(timeline, registry),
        charts.nw_displacement(external),
        charts.turkish_deaths(external, registry),
    ]
