"""Map & scenario (the landing page): controls -> core -> map, impact panel, downloads."""

import json
from dataclasses import replace

import streamlit as st

from dashboard import charts, mapview, report
from dashboard.impact import POPULATION_COVERAGE, POPULATION_SOURCE
from dashboard.layers import ATTRIBUTION
from dashboard.ui import cache, controls
from dashboard.ui.guard import friendly_errors

with friendly_errors():
    scenario = controls.scenario_sidebar()
    camera, show = controls.map_options()
    geo = cache.geography()
    result = cache.impact(scenario)
    baseline = cache.impact(replace(scenario, inner_km=30.0, outer_km=40.0))

    st.title("NW Syria safe-zone scenarios")
    st.caption(scenario.label())
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.pydeck_chart(mapview.scenario_deck(geo, result, camera, show), key="map", height=620)
        st.caption(
            " · ".join(
                f"<span style='color:rgb({c[0]},{c[1]},{c[2]})'>■</span> {label}" for label, c in mapview.legend()
            ),
            unsafe_allow_html=True,
        )
        st.caption(f"Map summary: {mapview.alt_text(result)}")
        st.caption(ATTRIBUTION)
    with right:
        st.subheader("What this scenario covers")
        st.caption("Δ against the 30–40 km default with the same segment, corridor, radius and date.")
        a, b = st.columns(2)
        a.metric(
            "Zone area (0–outer)",
            f"{result.zone_area_km2:,.0f} km²",
            f"{result.zone_area_km2 - baseline.zone_area_km2:+,.0f} km²",
            delta_color="off",
        )
        b.metric(
            "Band area (inner–outer)",
            f"{result.band_area_km2:,.0f} km²",
            f"{result.band_area_km2 - baseline.band_area_km2:+,.0f} km²",
            delta_color="off",
        )
        a.metric(
            "Idlib governorate inside",
            f"{result.idlib_share:.0%}",
            f"{(result.idlib_share - baseline.idlib_share) * 100:+.0f} pts",
            delta_color="off",
        )
        b.metric(
            "Afrin district inside",
            f"{result.afrin_share:.0%}",
            f"{(result.afrin_share - baseline.afrin_share) * 100:+.0f} pts",
            delta_color="off",
        )
        settle_in = int(result.settlements["inside"].sum())
        a.metric(
            "Settlements inside (GeoNames)",
            f"{settle_in}",
            f"{settle_in - int(baseline.settlements['inside'].sum()):+d}",
            delta_color="off",
        )
        b.metric(
            "People inside (estimate)",
            f"{result.population_inside:,.0f}",
            f"{result.population_inside - baseline.population_inside:+,.0f}",
            delta_color="off",
        )
        posts_in = int(result.posts["inside"].sum())
        a.metric(
            "Observation posts inside",
            f"{posts_in} of {len(result.posts)}",
            f"{posts_in - int(baseline.posts['inside'].sum()):+d}",
            delta_color="off",
        )
        towns_in = int(result.towns["inside"].sum())
        b.metric(
            "Key towns inside",
            f"{towns_in} of {len(result.towns)}",
            f"{towns_in - int(baseline.towns['inside'].sum()):+d}",
            delta_color="off",
        )
        st.caption(
            f"People: {POPULATION_SOURCE}; {result.notes[0]}; coverage: {POPULATION_COVERAGE}. "
            "Boundaries are administrative, not lines of control."
        )
        if scenario.corridor_km:
            st.metric("M4 corridor area", f"{result.corridor_area_km2:,.0f} km²")
        metric = st.selectbox(
            "Sensitivity",
            list(charts.SENSITIVITY_METRICS),
            format_func=lambda k: charts.SENSITIVITY_METRICS[k][0],
            key="sens_metric",
        )
        curve = cache.sensitivity_curve(scenario.segment)
        st.altair_chart(charts.sensitivity_chart(curve, scenario.inner_km, scenario.outer_km, metric), width="stretch")

    st.subheader("Key towns")
    st.dataframe(
        result.towns[["name", "distance_to_border_km", "inside", "in_band"]],
        hide_index=True,
        column_config={"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")},
    )
    st.subheader(f"Observation posts on {scenario.as_of:%d %b %Y}")
    st.dataframe(
        result.posts[
            [
                "name",
                "kind",
                "status",
                "established",
                "distance_to_border_km",
                "inside",
                "in_band",
                "coord_uncertainty_km",
            ]
        ],
        hide_index=True,
        column_config={"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")},
    )
    st.subheader("Settlements inside the zone")
    inside = result.settlements.loc[
        result.settlements["inside"],
        ["name", "population", "population_vintage", "subdistrict", "distance_to_border_km", "in_band"],
    ]
    st.dataframe(
        inside,
        hide_index=True,
        column_config={"distance_to_border_km": st.column_config.NumberColumn("km to border", format="%.1f")},
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Settlements inside (CSV)",
        inside.to_csv(index=False).encode("utf-8"),
        file_name="settlements_inside.csv",
        mime="text/csv",
        key="dl_csv",
    )
    c2.download_button(
        "Zones (GeoJSON)",
        json.dumps(report.zones_geojson(geo, result)).encode("utf-8"),
        file_name="zones.geojson",
        mime="application/geo+json",
        key="dl_geojson",
    )
