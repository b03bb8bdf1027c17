"""What a scenario covers: areas, shares, people, settlements, posts, towns, and sensitivity curves.

Definitions used everywhere (CLI, app, briefing pack):
- the *zone* is everything in Syria within ``outer_km`` of the chosen border segment (0 to outer);
- the *band* is the part between ``inner_km`` and ``outer_km`` (the uncertainty between the two depths);
- "inside" for settlements, posts, towns and people means inside the zone; ``in_band`` is reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from dashboard import zones
from dashboard.geography import AFRIN, IDLIB, KEY_TOWNS, Geography, post_status
from dashboard.scenario import DEPTH_MAX_KM, Scenario

POPULATION_METHODS = {
    "area": (
        "area share: each sub-district's 2023 population times the share of its area inside "
        "(assumes people are spread evenly over the sub-district)"
    ),
    "settlements": (
        "settlement-weighted: each sub-district's 2023 population times the share of its GeoNames "
        "settlement population inside (area share where a sub-district has no populated settlement)"
    ),
}
POPULATION_SOURCE = "OCHA Syria 2023 Humanitarian Needs Overview, total population by sub-district"
POPULATION_COVERAGE = "Aleppo and Idlib governorates (66 sub-districts); other governorates are not counted"
PRESENT = ("active", "encircled")  # statuses of a post that is manned on the as-of date


@dataclass(frozen=True)
class Impact:
    """Everything one scenario covers. Geometries are in the ground CRS (metres)."""

    scenario: Scenario
    zone: object
    band: object
    corridor: object
    post_rings: object
    zone_area_km2: float
    band_area_km2: float
    corridor_area_km2: float
    post_rings_area_km2: float
    governorates: pd.DataFrame
    districts: pd.DataFrame
    subdistricts: pd.DataFrame
    population_inside: float
    population_in_band: float
    population_method: str
    settlements: pd.DataFrame
    posts: pd.DataFrame
    towns: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def share(self, kind: str, unit_id: str, where: str = "zone") -> float:
        frame = self.governorates if kind == "governorate" else self.districts
        row = frame.loc[frame["id"] == unit_id]
        return float(row[f"{where}_share"].iloc[0]) if len(row) else 0.0

    @property
    def idlib_share(self) -> float:
        return self.share("governorate", IDLIB)

    @property
    def afrin_share(self) -> float:
        return self.share("district", AFRIN)


def covered_km2(polys: np.ndarray, areas: np.ndarray, cover) -> np.ndarray:
    """Area (km²) of each polygon inside ``cover``: whole where contained, intersected where partial."""
    out = np.zeros(len(polys))
    if cover is None or cover.is_empty:
        return out
    shapely.prepare(cover)
    hits = shapely.intersects(cover, polys)
    inside = hits & shapely.contains_properly(cover, polys)
    out[inside] = areas[inside]
    partial = hits & ~inside
    if partial.any():
        out[partial] = zones.true_areas_km2(shapely.intersection(polys[partial], cover))
    return np.minimum(out, areas)


def border_buffer(geo: Geography, segment: str, depth_km: float):
    """The unclipped buffer of a border segment (cheaper to intersect with units already inside Syria)."""
    if depth_km <= 0:
        return shapely.Polygon()
    return shapely.buffer(geo.borders[segment], depth_km * 1000.0, quad_segs=zones.QUAD_SEGS)


def unit_table(frame, outer_km2: np.ndarray, inner_km2: np.ndarray, extra: list[str]) -> pd.DataFrame:
    areas = frame["area_km2"].to_numpy()
    table = pd.DataFrame({"id": frame["id"].to_numpy(), "name": frame["name"].to_numpy()})
    for col in extra:
        table[col] = frame[col].to_numpy()
    table["area_km2"] = areas
    table["zone_km2"] = outer_km2
    table["band_km2"] = np.maximum(outer_km2 - inner_km2, 0.0)
    table["zone_share"] = np.clip(outer_km2 / areas, 0.0, 1.0)
    table["band_share"] = np.clip(table["band_km2"] / areas, 0.0, 1.0)
    return table


def assess(geo: Geography, scenario: Scenario, population_method: str = "area") -> Impact:
    """Compute every metric of a scenario from the precomputed geography."""
    if population_method not in POPULATION_METHODS:
        msg = (
            f"population_method={population_method!r} is not allowed: one of {', '.join(POPULATION_METHODS)}"
        )
        raise ValueError(msg)
    s = scenario
    outer_buf = border_buffer(geo, s.segment, s.outer_km)
    inner_buf = border_buffer(geo, s.segment, s.inner_km)
    zone = shapely.intersection(outer_buf, geo.syria)
    band = shapely.difference(zone, inner_buf) if s.inner_km > 0 else zone

    sub_areas = geo["sub_areas"]
    sub_outer = covered_km2(geo["sub_polys"], sub_areas, outer_buf)
    sub_inner = covered_km2(geo["sub_polys"], sub_areas, inner_buf)

    dist = geo[f"settle_dist_{s.segment}"]
    in_syria = geo["settle_in_syria"]
    inside = in_syria & (dist <= s.outer_km)
    inside_inner = in_syria & (dist < s.inner_km)
    share_outer = population_share(geo, sub_outer, inside, population_method)
    share_inner = population_share(geo, sub_inner, inside_inner, population_method)
    people_zone = geo["sub_pop"] * share_outer
    people_band = np.maximum(people_zone - geo["sub_pop"] * share_inner, 0.0)

    subs = geo.subdistricts
    sub_table = unit_table(
        subs, sub_outer, sub_inner, ["district_id", "district", "governorate_id", "pop_2023"]
    )
    sub_table["people_zone"] = people_zone
    sub_table["people_band"] = people_band
    districts = district_table(geo, sub_outer, sub_inner, people_zone, people_band)
    gov_outer = covered_km2(geo["gov_polys"], geo["gov_areas"], outer_buf)
    gov_inner = covered_km2(geo["gov_polys"], geo["gov_areas"], inner_buf)
    governorates = order_named_first(unit_table(geo.governorates, gov_outer, gov_inner, []), IDLIB)

    corridor = zones.corridor(geo.patrol_stretch, s.corridor_km, geo.syria)
    status = np.array([post_status(e, c, v, s.as_of) for e, c, v in geo.arrays["post_dates"]], dtype=object)
    present = np.isin(status, PRESENT)
    rings = zones.post_rings(geo["post_geoms"][present], s.post_radius_km, geo.syria)

    in_corridor = in_syria & (geo["patrol_dist_settle"] <= s.corridor_km) if s.corridor_km > 0 else None
    near_post = (
        shapely.dwithin(
            geo["settle_geoms"], shapely.union_all(geo["post_geoms"][present]), s.post_radius_km * 1e3
        )
        if s.post_radius_km > 0 and present.any()
        else None
    )
    settlements = settlement_table(geo, s, dist, inside, in_corridor, near_post)
    posts = post_table(geo, s, status)
    town_rows = geo["town_index"]
    towns = pd.DataFrame(
        {
            "name": list(KEY_TOWNS),
            "id": list(KEY_TOWNS.values()),
            "distance_to_border_km": dist[town_rows],
            "inside": inside[town_rows],
            "in_band": settlements["in_band"].to_numpy()[town_rows],
        }
    )
    zone_area, band_area, corridor_area, rings_area = zones.true_areas_km2(
        np.array([zone, band, corridor, rings], dtype=object)
    )
    return Impact(
        scenario=s,
        zone=zone,
        band=band,
        corridor=corridor,
        post_rings=rings,
        zone_area_km2=float(zone_area),
        band_area_km2=float(band_area),
        corridor_area_km2=float(corridor_area),
        post_rings_area_km2=float(rings_area),
        governorates=governorates,
        districts=districts,
        subdistricts=sub_table,
        population_inside=float(people_zone.sum()),
        population_in_band=float(people_band.sum()),
        population_method=population_method,
        settlements=settlements,
        posts=posts,
        towns=towns,
        notes=[POPULATION_METHODS[population_method], f"population coverage: {POPULATION_COVERAGE}"],
    )


def population_share(geo: Geography, covered: np.ndarray, inside: np.ndarray, method: str) -> np.ndarray:
    """Share (0–1) of each sub-district's people counted inside, by the chosen method."""
    area_share = np.clip(covered / geo["sub_areas"], 0.0, 1.0)
    if method == "area":
        return area_share
    sub = geo["settle_sub"]
    weights = geo["settle_pop"] * (sub >= 0)
    n = len(area_share)
    total = np.bincount(np.maximum(sub, 0), weights=weights, minlength=n)
    counted = np.bincount(np.maximum(sub, 0), weights=weights * inside, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = counted / total
    return np.where(total > 0, ratio, area_share)


def settlement_table(geo, s: Scenario, dist, inside, in_corridor, near_post) -> pd.DataFrame:
    src = geo.settlements
    n = len(dist)
    return pd.DataFrame(
        {
            "id": src["id"].to_numpy(),
            "name": src["name"].to_numpy(),
            "population": src["population"].to_numpy(),
            "population_vintage": src["population_vintage"].to_numpy(),
            "governorate": src["governorate"].to_numpy(),
            "district": src["district"].to_numpy(),
            "subdistrict": src["subdistrict"].to_numpy(),
            "distance_to_border_km": dist,
            "inside": inside,
            "in_band": inside & (dist >= s.inner_km),
            "in_corridor": np.zeros(n, dtype=bool) if in_corridor is None else in_corridor,
            "near_post": np.zeros(n, dtype=bool) if near_post is None else near_post,
            "in_syria": geo["settle_in_syria"],
        }
    )


def district_table(geo: Geography, sub_outer, sub_inner, people_zone, people_band) -> pd.DataFrame:
    """Districts as sums of their sub-districts (they tile each district exactly)."""
    d = geo.districts
    idx, n = geo["sub_district"], len(d)
    areas = geo["district_areas"]
    zone_km2 = np.bincount(idx, weights=sub_outer, minlength=n)
    band_km2 = np.maximum(zone_km2 - np.bincount(idx, weights=sub_inner, minlength=n), 0.0)
    table = pd.DataFrame(
        {
            "id": d["id"].to_numpy(),
            "name": d["name"].to_numpy(),
            "governorate": d["governorate"].to_numpy(),
            "area_km2": areas,
            "zone_km2": zone_km2,
            "band_km2": band_km2,
            "zone_share": np.clip(zone_km2 / areas, 0, 1),
            "band_share": np.clip(band_km2 / areas, 0, 1),
            "people_zone": np.bincount(idx, weights=people_zone, minlength=n),
            "people_band": np.bincount(idx, weights=people_band, minlength=n),
        }
    )
    return order_named_first(table, AFRIN)


def order_named_first(table: pd.DataFrame, first_id: str) -> pd.DataFrame:
    """The briefing's unit of interest first, then by share covered."""
    key = (table["id"] != first_id).to_numpy()
    order = np.lexsort((table["name"].to_numpy(), -table["zone_share"].to_numpy(), key))
    return table.iloc[order].reset_index(drop=True)


def post_table(geo: Geography, s: Scenario, status: np.ndarray) -> pd.DataFrame:
    p = geo.posts
    dist = geo[f"post_dist_{s.segment}"]
    in_syria = geo["post_in_syria"]
    inside = in_syria & (dist <= s.outer_km)
    return pd.DataFrame(
        {
            "id": p["id"].to_numpy(),
            "number": p["number"].to_numpy(),
            "name": p["name"].to_numpy(),
            "kind": p["kind"].to_numpy(),
            "status": status,
            "established": geo["post_established"],
            "distance_to_border_km": dist,
            "inside": inside,
            "in_band": inside & (dist >= s.inner_km),
            "in_corridor": (geo["patrol_dist_post"] <= s.corridor_km) if s.corridor_km > 0 else False,
            "coord_uncertainty_km": p["coord_uncertainty_km"].to_numpy(),
            "sources": p["sources"].to_numpy(),
        }
    )


def sensitivity(geo: Geography, segment: str, depths=None) -> pd.DataFrame:
    """Every headline metric of the 0–d zone as d runs over ``depths`` (default 0–100 km in 1 km steps).

    It depends only on the border segment, so the UI computes it once per segment and shades the
    current band on top.
    """
    depths = np.arange(0, int(DEPTH_MAX_KM) + 1) if depths is None else np.asarray(depths, dtype=float)
    subs = geo.subdistricts
    sub_polys, sub_areas = subs.geometry.values, subs["area_km2"].to_numpy()
    pop = subs["pop_2023"].fillna(0).to_numpy(dtype=float)
    idlib = (subs["governorate_id"] == IDLIB).to_numpy()
    afrin = (subs["district_id"] == AFRIN).to_numpy()
    idlib_area, afrin_area = sub_areas[idlib].sum(), sub_areas[afrin].sum()
    dist = geo.settlements[f"dist_{segment}_km"].to_numpy()
    in_syria = geo.settlements["in_syria"].to_numpy()
    post_dist = geo.posts[f"dist_{segment}_km"].to_numpy()
    rows = []
    for d in depths:
        buf = border_buffer(geo, segment, float(d))
        covered = covered_km2(sub_polys, sub_areas, buf)
        zone = shapely.intersection(buf, geo.syria) if d > 0 else shapely.Polygon()
        rows.append(
            {
                "depth_km": float(d),
                "zone_area_km2": geo.area_km2(zone),
                "idlib_share": covered[idlib].sum() / idlib_area,
                "afrin_share": covered[afrin].sum() / afrin_area,
                "population_inside": float((pop * np.clip(covered / sub_areas, 0, 1)).sum()),
                "settlements_inside": int((in_syria & (dist <= d)).sum()),
                "posts_inside": int((geo.posts["in_syria"].to_numpy() & (post_dist <= d)).sum()),
            }
        )
    return pd.DataFrame(rows)
