"""The returns what-if on the map: each sub-district's part of the zone, shaded by the people per km² its
arrivals add (pure: data in, layer out). The part is the sub-district cut by the zone in the ground CRS,
so the colour covers the zone and nothing outside it."""

from __future__ import annotations

import weakref

import numpy as np
import pydeck as pdk
import shapely

from dashboard.model.geography import Geography
from dashboard.model.returns import Outcome
from dashboard.render.geojson import feature_collection
from dashboard.render.style import INCREASE, INCREASE_LINE

LAYER_ID = "returns_increase"
# Class breaks in people per km² added: fixed, so two what-ifs side by side share one legend.
BREAKS = (1.0, 50.0, 150.0, 400.0, 1000.0)
PRECISION = 1e-3  # degrees, the basemap's display grid
FILL_ALPHA = 215  # on the interactive map: the basemap's lines still show through


def increase_class(per_km2: np.ndarray) -> np.ndarray:
    """0 for no arrivals, else 1..5: the class of :data:`BREAKS` each increase falls in."""
    return np.searchsorted(np.asarray(BREAKS), np.asarray(per_km2, dtype=float), side="right")


def legend() -> list[tuple[str, object]]:
    """(label, paint) of each class, for the page and the pack."""
    bounds = [*BREAKS, None]
    labels = [
        f"{lo:,.0f}–{hi:,.0f}" if hi is not None else f"{lo:,.0f} or more"
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    labels[0] = f"under {BREAKS[1]:,.0f}"
    return [(f"{label} people per km²", paint) for label, paint in zip(labels, INCREASE, strict=True)]


_PARTS: dict[int, tuple] = {}  # id(impact) -> (weak reference to it, sub-district ids, parts in lon/lat)
PARTS_KEPT = 16


def zone_parts(geo: Geography, impact) -> dict[str, dict]:
    """Each sub-district's part of the zone as a lon/lat GeoJSON geometry, by p-code. The parts depend on the
    scenario alone, not on the what-if, so they are cut and written once per scenario's result (80–190 ms on
    this machine) and a new what-if only recolours them. Kept for the last few results while those live."""
    held = _PARTS.get(id(impact))
    if held is not None and held[0]() is impact:
        return held[1]
    covered = np.asarray(impact.columns["subdistricts"]["zone_km2"]) > 0
    ids = np.asarray(impact.columns["subdistricts"]["id"], dtype=object)[covered]
    index = {sub_id: i for i, sub_id in enumerate(geo.subdistricts["id"])}
    polys = geo.hot.sub_polys[[index[sub_id] for sub_id in ids]]
    parts = geo.to_lonlat(shapely.intersection(polys, impact.zone)) if len(polys) else np.array([], dtype=object)
    written = feature_collection(parts, [{"id": sub_id} for sub_id in ids], precision=PRECISION)["features"]
    out = {f["properties"]["id"]: f["geometry"] for f in written}  # GeoJSON, snapped and written once
    while len(_PARTS) >= PARTS_KEPT:
        _PARTS.pop(next(iter(_PARTS)))
    _PARTS[id(impact)] = (weakref.ref(impact), out)
    return out


def increase_layer(geo: Geography, impact, result: Outcome) -> pdk.Layer:
    """Sub-districts' parts of the zone with arrivals, coloured by class, each with its figures as tooltip."""
    t = result.table
    parts = zone_parts(geo, impact)
    features = []
    classes = increase_class(t["density_increase"])
    for i, sub_id in enumerate(t["id"]):
        part = parts.get(sub_id)
        if t["arrivals"][i] <= 0 or part is None:
            continue
        properties = {
            "tip": (
                f"{t['name'][i]} ({t['district'][i]}): +{t['arrivals'][i]:,} people\n"
                f"{t['density_before'][i]:,.0f} → {t['density_after'][i]:,.0f} people per km² of the zone\n"
                f"{t['housing_units'][i]:,} housing units"
            ),
            "fill": INCREASE[max(int(classes[i]) - 1, 0)].at(FILL_ALPHA).rgba,
        }
        features.append({"type": "Feature", "properties": properties, "geometry": part})
    return pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id=LAYER_ID,
        filled=True,
        stroked=True,
        get_fill_color="properties.fill",
        get_line_color=INCREASE_LINE.rgba,
        line_width_min_pixels=1,
        pickable=True,
    )


def increase_chart(geo: Geography, impact, result: Outcome, width: int = 640, height: int = 460):
    """The choropleth on paper (the pack and the slides): the same parts and classes as :func:`increase_layer`,
    over the zone's outline, as a Vega chart (vl-convert draws it offline)."""
    import altair as alt

    from dashboard.render.style import CHART, FONT, MAP

    layer = increase_layer(geo, impact, result)
    features = layer.data["features"]
    labels = [label for label, _ in legend()]
    for feature in features:
        fill = feature["properties"]["fill"]
        feature["properties"]["class"] = labels[[p.at(FILL_ALPHA).rgba for _, p in legend()].index(fill)]
    zone = feature_collection([geo.to_lonlat(impact.zone)], [{}], precision=PRECISION)["features"]
    outline = (
        alt.Chart(alt.Data(values=zone))
        .mark_geoshape(filled=False, stroke=MAP["edge_outer"].line.hex, strokeWidth=1.5)
        .project(type="mercator")
    )
    parts = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke=CHART["subtitle"].hex, strokeWidth=0.3)
        .encode(
            color=alt.Color(
                "properties.class:N",
                title="People per km² added",
                scale=alt.Scale(domain=labels, range=[p.hex for _, p in legend()]),
                sort=labels,
            ),
            opacity=alt.value(1.0),
        )
        .project(type="mercator")
    )
    return (
        alt.layer(parts, outline)
        .properties(
            width=width,
            height=height,
            title=alt.Title(
                f"Where {result.whatif.people:,} people would settle: people per km² added",
                subtitle=f"Rule: {result.whatif.rule}; zone: {impact.scenario.label()}",
                anchor="start",
                fontSize=FONT + 2,
            ),
        )
        .configure_legend(
            labelFontSize=FONT - 2, titleFontSize=FONT - 1, orient="right", labelLimit=320, symbolType="square"
        )
        .configure_view(stroke=None)
    )
