"""The static map of one scenario, drawn with Altair so it renders offline to PNG (vl-convert) for the pack.

It uses the same style as the on-screen map (:mod:`dashboard.render.style`): the same colours at the same
opacities, so a printed map and the dashboard agree.
"""

from __future__ import annotations

import altair as alt
import shapely

from dashboard.model.geography import AFRIN, IDLIB, Geography
from dashboard.model.impact import Impact
from dashboard.render.geojson import feature_collection
from dashboard.render.style import MAP, POINT, STATUS, TEXT, WHITE


def _d3(geoms: list) -> list:
    """Geometries snapped to ~100 m with d3/Vega winding (clockwise exteriors), or a polygon fills the globe."""
    return list(shapely.orient_polygons(shapely.set_precision(list(geoms), 1e-3), exterior_cw=True))


def static_map(geo: Geography, impact: Impact, width: int = 720, height: int = 540):
    """An Altair geoshape map of one scenario (renders offline with vl-convert)."""
    ll = geo.layers_lonlat
    geoms, props = [], []

    def add(geom, kind, name=""):
        if geom is not None and not geom.is_empty:
            look = MAP[kind]
            opacity = look.fill.opacity if look.fill is not None and geom.geom_type.endswith("Polygon") else 0
            geoms.append(geom)
            props.append({"kind": kind, "name": name, "opacity": opacity})

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
    order = ["neighbour", "syria", "idlib", "afrin", "zone", "band", "corridor", "rings", "boundary", "border"]
    looks = [MAP[kind] for kind in order]
    feats = feature_collection(_d3(geoms), props)["features"]
    extent = feature_collection(_d3([shapely.box(35.6, 34.9, 38.6, 37.3)]), [{}])["features"][0]
    shapes = (
        alt.Chart(alt.Data(values=feats))
        .mark_geoshape(strokeWidth=0.8, clip=True)
        .encode(
            fill=alt.Fill(
                "properties.kind:N",
                scale=alt.Scale(domain=order, range=[(look.fill or WHITE).hex for look in looks]),
                legend=None,
            ),
            stroke=alt.Stroke(
                "properties.kind:N",
                scale=alt.Scale(domain=order, range=[(look.line or look.fill).hex for look in looks]),
                legend=None,
            ),
            fillOpacity=alt.FillOpacity("properties.opacity:Q", scale=None, legend=None),
        )
    )
    posts = impact.posts.assign(lon=[g.x for g in ll["posts"].geometry], lat=[g.y for g in ll["posts"].geometry])
    points = (
        alt.Chart(posts)
        .mark_point(filled=True, size=POINT["static_post"], stroke=MAP["post"].line.hex, strokeWidth=0.6, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS), range=[paint.hex for paint in STATUS.values()]),
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
        .mark_text(fontSize=TEXT["static_town"][1], color=TEXT["static_town"][0].hex, dy=-8, clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
    )
    return (
        alt.layer(shapes, points, labels)
        .project(type="mercator", fit=extent)
        .properties(width=width, height=height, title=impact.scenario.label())
    )
