"""Plain serialisations of an Impact: a JSON-ready dict, a GeoJSON FeatureCollection, a text table.

Shared by the CLI, the app's downloads and the briefing pack, so every channel says the same thing.
"""

from __future__ import annotations

import json
import math

import shapely

from dashboard.model import population
from dashboard.model.geography import Geography
from dashboard.model.impact import CONTROL_NOTE, POPULATION_COVERAGE, POPULATION_METHODS, POPULATION_SOURCE, Impact

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
        "zone_area_km2": _num(impact.zone_area_km2),
        "band_area_km2": _num(impact.band_area_km2),
        "corridor_area_km2": _num(impact.corridor_area_km2),
        "post_rings_area_km2": _num(impact.post_rings_area_km2),
        "governorates": {r.name: _num(r.zone_share, 4) for r in gov.itertuples()},
        "governorates_band": {r.name: _num(r.band_share, 4) for r in gov.itertuples()},
        "districts": {r.name: _num(r.zone_share, 4) for r in dist.itertuples()},
        "districts_band": {r.name: _num(r.band_share, 4) for r in dist.itertuples()},
        "population_inside": round(impact.population_inside),
        "population_inside_low": round(impact.population_inside_low),
        "population_inside_high": round(impact.population_inside_high),
        "population_in_band": round(impact.population_in_band),
        "population_in_band_low": round(impact.population_in_band_low),
        "population_in_band_high": round(impact.population_in_band_high),
        "population_low_confidence": {
            "zone": low_confidence(impact, "zone"),
            "band": low_confidence(impact, "band"),
        },
        "population_method": POPULATION_METHODS[impact.population_method],
        "population_assumptions": population.ASSUMPTIONS if impact.population_method == "dasymetric" else None,
        "population_source": POPULATION_SOURCE,
        "population_coverage": POPULATION_COVERAGE,
        "people_in_need_inside": round(impact.people_in_need_inside),
        "people_inside_by_control": {k: round(v) for k, v in impact.people_by_control.items()},
        "people_inside_by_control_note": CONTROL_NOTE,
        "people_inside_by_severity": {str(k): round(v) for k, v in impact.people_by_severity.items()},
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
    features = []
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
    for kind, name, geom, area in parts:
        if geom is None or geom.is_empty:
            continue
        lonlat = shapely.set_precision(geo.to_lonlat(geom), 1e-5)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": kind,
                    "name": name,
                    "area_km2": _num(area),
                    **impact.scenario.to_dict(),
                },
                "geometry": json.loads(shapely.to_geojson(lonlat)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _count(flags) -> int:
    return int(flags.sum())


def _people(impact: Impact, where: str) -> tuple[float, float, float]:
    """(central, low, high) people in the zone or in the band."""
    if where == "zone":
        return impact.population_inside, impact.population_inside_low, impact.population_inside_high
    return impact.population_in_band, impact.population_in_band_low, impact.population_in_band_high


def low_confidence(impact: Impact, where: str = "zone") -> bool:
    """Whether the people figure's range is wider than ±15 % of its central value."""
    return population.low_confidence(*_people(impact, where))


def _people_short(people: float, millions: bool) -> str:
    return f"{people / 1e6:.2f}" if millions else f"{round(people, -3):,.0f}"


def people_with_range(impact: Impact, where: str = "zone") -> str:
    """The figure a briefer reads aloud: "≈ 5.73 M (range 5.46–5.87 M)", flagged when the range is wide."""
    central, low, high = _people(impact, where)
    millions = central >= 995_000
    unit = " M" if millions else ""
    text = f"≈ {_people_short(central, millions)}{unit}"
    if _people_short(low, millions) != _people_short(high, millions):
        text += f" (range {_people_short(low, millions)}–{_people_short(high, millions)}{unit})"
    return text + (", low confidence" if low_confidence(impact, where) else "")


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


def people_estimate(people: float, signed: bool = False) -> str:
    """An apportioned estimate to the nearest thousand: a count to the person would claim a precision
    that sub-district totals spread by area do not have."""
    rounded = round(people, -3)
    if rounded == 0:
        return "±0" if signed else "< 500"
    return f"≈{rounded:+,.0f}" if signed else f"≈{rounded:,.0f}"


def headline_metrics(impact: Impact, baseline: Impact, user=None, user_baseline=None) -> list[tuple[str, str, str]]:
    """(label, value, delta against ``baseline``) for the impact panel, in reading order."""
    r, b = impact, baseline
    rows = [
        ("Zone area (0–outer)", f"{r.zone_area_km2:,.0f} km²", f"{r.zone_area_km2 - b.zone_area_km2:+,.0f} km²"),
        ("Band area (inner–outer)", f"{r.band_area_km2:,.0f} km²", f"{r.band_area_km2 - b.band_area_km2:+,.0f} km²"),
        ("Idlib governorate inside", f"{r.idlib_share:.0%}", f"{(r.idlib_share - b.idlib_share) * 100:+.0f} pts"),
        ("Afrin district inside", f"{r.afrin_share:.0%}", f"{(r.afrin_share - b.afrin_share) * 100:+.0f} pts"),
    ]
    settle, settle_b = _count(r.settlements["inside"]), _count(b.settlements["inside"])
    rows.append(("Settlements inside (GeoNames)", f"{settle}", f"{settle - settle_b:+d}"))
    rows.append(
        (
            "People inside (estimate)",
            people_estimate(r.population_inside),
            people_estimate(r.population_inside - b.population_inside, signed=True),
        )
    )
    rows.append(
        (
            "People in the band (estimate)",
            people_estimate(r.population_in_band),
            people_estimate(r.population_in_band - b.population_in_band, signed=True),
        )
    )
    for label, frame, frame_b in (
        ("Observation posts inside", r.posts, b.posts),
        ("Key towns inside", r.towns, b.towns),
    ):
        n = _count(frame["inside"])
        rows.append((label, f"{n} of {len(frame)}", f"{n - _count(frame_b['inside']):+d}"))
    if user is not None:
        for label, column in (("Your layer in the band", "in_band"), ("Your layer in the zone", "in_zone")):
            n = _count(user[column])
            rows.append((label, f"{n} of {len(user)}", f"{n - _count(user_baseline[column]):+d}"))
    return rows


def impact_table(impact: Impact) -> str:
    """A plain-text summary for people preparing a briefing."""
    s = impact.scenario
    lines = [
        f"Scenario: {s.label()}",
        f"Zone (0–{s.outer_km:g} km) area: {impact.zone_area_km2:,.0f} km²",
        f"Band ({s.inner_km:g}–{s.outer_km:g} km) area: {impact.band_area_km2:,.0f} km²",
        f"Idlib governorate inside: {impact.idlib_share:.0%}   Afrin district inside: {impact.afrin_share:.0%}",
        f"People inside (est.): {people_with_range(impact)}",
        f"People in the band (est.): {people_with_range(impact, 'band')}",
        f"  [{POPULATION_SOURCE}; {POPULATION_METHODS[impact.population_method]}; coverage: {POPULATION_COVERAGE}]",
        f"People in need inside (HNO 2023 share of each sub-district): {people_estimate(impact.people_in_need_inside)}",
        f"Who governs the people inside, {CONTROL_NOTE}:",
        *(
            f"  {label:<30s} {people_estimate(people):>12s} {share:6.1%}"
            for label, people, share in control_rows(impact)
        ),
        f"Severity mix of the people inside (HNO 2023): {severity_text(impact)}",
    ]
    if s.corridor_km:
        lines.append(f"M4 corridor area: {impact.corridor_area_km2:,.0f} km²")
    if s.post_radius_km:
        lines.append(f"Area within {s.post_radius_km:g} km of manned posts: {impact.post_rings_area_km2:,.0f} km²")
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
