"""Plain serialisations of an Impact: a JSON-ready dict, a GeoJSON FeatureCollection, a text table.

Shared by the CLI, the app's downloads and the briefing pack, so every channel says the same thing.
"""

from __future__ import annotations

import math

from dashboard.model import metrics, population
from dashboard.model.geography import Geography
from dashboard.model.impact import (
    CONTROL_NOTE,
    EVENTS_CAVEAT,
    EVENTS_SOURCE,
    POPULATION_COVERAGE,
    POPULATION_METHODS,
    POPULATION_SOURCE,
    Impact,
)
from dashboard.model.posts import MANNED
from dashboard.render.geojson import feature_collection

METHOD_NOTE = (
    "Distances are geodesic kilometres: zones are buffered in an azimuthal-equidistant projection centred "
    "on the middle of the Syria–Türkiye border (scale error < 0.2 % within 600 km), clipped to Syria; "
    "areas are corrected to true areas on the Earth. The border is Natural Earth 1:10m (0.9 km mean "
    "offset from OpenStreetMap's line)."
)


def _num(value, digits: int = 1):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def impact_dict(impact: Impact) -> dict:
    """Everything the CLI's ``--format json`` prints, as plain JSON types."""
    gov, dist = impact.governorates, impact.districts
    return {
        "scenario": impact.scenario.to_dict(),
        **metric_values(impact),
        "governorates": {r.name: _num(r.zone_share, 4) for r in gov.itertuples()},
        "governorates_band": {r.name: _num(r.band_share, 4) for r in gov.itertuples()},
        "districts": {r.name: _num(r.zone_share, 4) for r in dist.itertuples()},
        "districts_band": {r.name: _num(r.band_share, 4) for r in dist.itertuples()},
        "population_low_confidence": {
            "zone": metrics.BY_KEY["population_inside"].low_confidence(impact),
            "band": metrics.BY_KEY["population_in_band"].low_confidence(impact),
        },
        "population_method": POPULATION_METHODS[impact.population_method],
        "population_assumptions": population.ASSUMPTIONS if impact.population_method == "dasymetric" else None,
        "where_the_line_falls": metrics.where_the_line_falls(impact),
        "population_source": POPULATION_SOURCE,
        "population_coverage": POPULATION_COVERAGE,
        "people_inside_by_control": {k: round(v) for k, v in impact.people_by_control.items()},
        "people_inside_by_control_note": CONTROL_NOTE,
        "people_inside_by_severity": {str(k): round(v) for k, v in impact.people_by_severity.items()},
        "events_window": [impact.scenario.events_from.isoformat(), impact.scenario.events_to.isoformat()],
        "events_source": f"{EVENTS_SOURCE}; lower bounds: {EVENTS_CAVEAT}",
        "events_in_band": impact.events_in_band,
        "events_in_corridor": impact.events_in_corridor,
        "events_north_west": impact.events_north_west,
        "deaths_north_west": round(impact.deaths_north_west),
        "deaths_inside_by_violence": {k: round(v) for k, v in impact.deaths_inside_by_violence.items()},
        "subdistricts": [
            {
                "pcode": r.id,
                "name": r.name,
                "governorate": r.governorate,
                "people_zone": round(r.people_zone),
                "people_zone_low": round(r.people_zone_low),
                "people_zone_high": round(r.people_zone_high),
                "people_band": round(r.people_band),
                "people_band_low": round(r.people_band_low),
                "people_band_high": round(r.people_band_high),
            }
            for r in impact.subdistricts.sort_values("people_zone", ascending=False).itertuples()
            if r.people_zone_high >= 0.5
        ],
        "settlements": [
            {
                "id": r.id,
                "name": r.name,
                "population": None if r.population != r.population else int(r.population),
                "population_vintage": r.population_vintage if isinstance(r.population_vintage, str) else None,
                "subdistrict": r.subdistrict if isinstance(r.subdistrict, str) else None,
                "distance_to_border_km": _num(r.distance_to_border_km),
                "inside": bool(r.inside),
                "in_band": bool(r.in_band),
                "in_corridor": bool(r.in_corridor),
                "near_post": bool(r.near_post),
            }
            for r in impact.settlements.itertuples()
            if r.in_syria
        ],
        "posts": [
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "status": r.status,
                "manned": r.status in MANNED,
                "established": r.established,
                "distance_to_border_km": _num(r.distance_to_border_km),
                "inside": bool(r.inside),
                "in_band": bool(r.in_band),
                "in_corridor": bool(r.in_corridor),
                "coord_uncertainty_km": _num(r.coord_uncertainty_km),
                "sources": list(r.sources),
            }
            for r in impact.posts.itertuples()
        ],
        "towns": {
            r.name: {
                "distance_to_border_km": _num(r.distance_to_border_km),
                "inside": bool(r.inside),
                "in_band": bool(r.in_band),
            }
            for r in impact.towns.itertuples()
        },
        "method": METHOD_NOTE,
        "notes": impact.notes,
    }


def zones_geojson(geo: Geography, impact: Impact) -> dict:
    """The band, the full zone, the corridor and the post radii as a lon/lat FeatureCollection."""
    parts = [
        (
            "band",
            f"{impact.scenario.inner_km:g}–{impact.scenario.outer_km:g} km band",
            impact.band,
            impact.band_area_km2,
        ),
        ("zone", f"0–{impact.scenario.outer_km:g} km zone", impact.zone, impact.zone_area_km2),
        (
            "corridor",
            f"M4 corridor, {impact.scenario.corridor_km:g} km either side",
            impact.corridor,
            impact.corridor_area_km2,
        ),
        (
            "post_radii",
            f"{impact.scenario.post_radius_km:g} km around manned posts",
            impact.post_rings,
            impact.post_rings_area_km2,
        ),
    ]
    return feature_collection(
        [None if geom is None or geom.is_empty else geo.to_lonlat(geom) for _, _, geom, _ in parts],
        [
            {"kind": kind, "name": name, "area_km2": _num(area), **impact.scenario.to_dict()}
            for kind, name, _, area in parts
        ],
        precision=1e-5,
    )


def control_rows(impact: Impact) -> list[tuple[str, float, float]]:
    """(area of control, people inside, share of the people inside), largest first, empty ones left out."""
    total = sum(impact.people_by_control.values()) or 1.0
    rows = [(label, people, people / total) for label, people in impact.people_by_control.items() if people >= 500]
    return sorted(rows, key=lambda r: -r[1])


def severity_text(impact: Impact) -> str:
    """People inside by the HNO's inter-sector severity (1 minimal … 5 catastrophic)."""
    total = sum(impact.people_by_severity.values()) or 1.0
    parts = [
        f"severity {level}: {people / total:.0%}"
        for level, people in sorted(impact.people_by_severity.items(), reverse=True)
        if people >= 500
    ]
    return ", ".join(parts) if parts else "nobody inside"


def metric_values(impact: Impact) -> dict:
    """Every catalogue metric of a scenario as JSON numbers (areas to 0.1 km², shares to 4 places, people
    to the person as computed, with ``_low``/``_high`` beside each estimate)."""
    out = {}
    for m in metrics.CATALOGUE:
        digits = {"km²": 1, "share": 4}.get(m.unit.name, 0)
        out[m.key] = _num(m.value(impact), digits) if digits else round(m.value(impact))
        if m.range(impact):
            out[f"{m.key}_low"], out[f"{m.key}_high"] = (round(v) for v in m.range(impact))
        for name, count in m.parts(impact) if m.parts else ():
            out[f"{m.key}_{name.replace(' ', '_')}"] = count
    return out


def headline_metrics(impact: Impact, baseline: Impact, user=None, user_baseline=None) -> list[tuple[str, str, str]]:
    """(label, value, delta against ``baseline``) for the impact panel, in the catalogue's order."""
    rows = [(m.label, m.text(impact), m.delta(impact, baseline)) for m in metrics.shown(impact) if m.group == "zone"]
    if user is not None:
        rows += [(m.label, m.text(user), m.delta(user, user_baseline)) for m in metrics.LAYER_CATALOGUE]
    return rows


def _compact(metric, impact: Impact) -> str:
    """A figure with its range in few characters ("2,994 (2,877–3,188)"): the sentence says once what they are."""
    spread = metric.range(impact)
    if not spread or spread[0] == spread[1]:
        return metric.text(impact)
    return f"{metric.value(impact):,.0f} ({spread[0]:,.0f}–{spread[1]:,.0f})"


def events_sentence(impact: Impact) -> str:
    """The conflict-event metrics as one sentence under the panel's grid (five tiles were 2 kB of every
    slider step): each metric's label and its value, deaths with UCDP's low–high."""
    s = impact.scenario
    said = "; ".join(
        f"{m.label.replace(' (UCDP)', '')}: {_compact(m, impact)}" for m in metrics.shown(impact) if m.group == "events"
    )
    window = f"{s.events_from:%d %b %Y} – {s.events_to:%d %b %Y}"
    return f"Conflict events, {window} (UCDP GED 21.1; best (low–high); lower bounds): {said}."


def impact_table(impact: Impact) -> str:
    """A plain-text summary for people preparing a briefing."""
    s = impact.scenario
    lines = [f"Scenario: {s.label()}"]
    lines += [f"{m.label_for(impact)}: {m.aloud(impact)}" for m in metrics.shown(impact)]
    lines += [
        f"  [people: {POPULATION_SOURCE}; {POPULATION_METHODS[impact.population_method]}; "
        f"coverage: {POPULATION_COVERAGE}]",
        f"Who governs the people inside, {CONTROL_NOTE}:",
        *(
            f"  {label:<30s} {metrics.people_estimate(people):>12s} {share:6.1%}"
            for label, people, share in control_rows(impact)
        ),
        f"Severity mix of the people inside (HNO 2023): {severity_text(impact)}",
    ]
    line_falls = metrics.where_the_line_falls(impact)
    if line_falls:
        lines += ["Where the line falls:", *(f"  {sentence}" for sentence in line_falls)]
    lines += ["", "Governorates (share inside zone / band):"]
    for r in impact.governorates.itertuples():
        if r.zone_share > 0:
            lines.append(f"  {r.name:<22s} {r.zone_share:6.1%} {r.band_share:6.1%}")
    lines += ["", "Districts (share inside zone / band):"]
    for r in impact.districts.itertuples():
        lines.append(f"  {r.name:<22s} {r.zone_share:6.1%} {r.band_share:6.1%}")
    lines += ["", f"Key towns (distance to the border, {s.segment} segment):"]
    for r in impact.towns.itertuples():
        where = "in band" if r.in_band else ("inside" if r.inside else "outside")
        lines.append(f"  {r.name:<22s} {r.distance_to_border_km:6.1f} km  {where}")
    lines += ["", f"Observation posts on {s.as_of.isoformat()}:"]
    for r in impact.posts.itertuples():
        where = "in band" if r.in_band else ("inside" if r.inside else "outside")
        lines.append(f"  {r.name:<38s} {r.status:<16s} {r.distance_to_border_km:6.1f} km  {where}")
    inside = impact.settlements.loc[impact.settlements["inside"]]
    lines += ["", f"Settlements inside the zone: {len(inside)} (GeoNames)", "", METHOD_NOTE]
    return "\n".join(lines)
