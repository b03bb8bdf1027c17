"""Returns: if N people settle in the current scenario's zone, where do they live and how dense does it get."""

import streamlit as st

from dashboard.model import returns
from dashboard.render import charts, maps, returns_map
from dashboard.sources.text import markdown_escape
from dashboard.ui import controls, engine_results, map_specs, returns_panel
from dashboard.ui.guard import friendly_errors

MAP_HEIGHT = 520

with friendly_errors():
    st.title("Returns what-if")
    st.caption(
        "The source text says the zone is “for Syrian refugees and displaced persons”; plans announced for such a "
        "zone spoke of resettling one to two million people and building housing for them. Choose how many settle "
        "and by which rule; the zone is the current scenario's (sidebar)."
    )
    returns_panel.read_link()  # before the sidebar's form writes the scenario's link over it
    controls.carry_scenario()  # the scenario the landing page showed, not the widgets' defaults
    scenario = controls.scenario_sidebar()
    geo = engine_results.geography()
    impact = engine_results.impact(scenario)
    zone = returns.zone_of(geo, impact)
    result = returns_panel.what_if_controls(zone)
    if result is None:
        st.stop()
    t = result.totals
    st.markdown(markdown_escape(returns.summary(result)))
    cells = st.columns(4)
    cells[0].metric(
        "People in the zone",
        f"{t['people_after']:,.0f}",
        f"+{t['arrivals']:,} on ≈{t['people_today']:,.0f} today",
        help=f"Today's range {t['people_today_low']:,.0f}–{t['people_today_high']:,.0f} (engine's estimate).",
    )
    cells[1].metric("People per km²", f"{t['density_after']:,.0f}", f"{t['density_before']:,.0f} before")
    cells[2].metric("People in need", f"{t['in_need_after']:,.0f}", f"{t['in_need_before']:,.0f} before")
    cells[3].metric(
        "Housing units needed",
        f"{t['housing_units']:,}",
        help=f"Arrivals at {result.household_size:g} people per household (HNAP 2021), rounded up per sub-district.",
    )
    st.caption(markdown_escape(returns.NEED_ASSUMPTION))
    st.caption(
        markdown_escape(
            f"{returns.METHOD} Household size: seeds/external.csv {returns.HOUSEHOLD_SOURCE}. "
            f"Scenario: {scenario.label()}."
        )
    )

    layer = returns_map.increase_layer(geo, impact, result)
    show = {key: key not in ("zone", "posts", "events", "post_radii", "corridor") for key in maps.LAYER_LABELS}
    deck = maps.scenario_map(
        geo, impact, "NW Syria", show=show, user=layer, base=map_specs.basemap(scenario.segment), height=MAP_HEIGHT
    )
    st.pydeck_chart(deck, key="returns_map", height=MAP_HEIGHT, alt="Map: people per km² the arrivals add")
    st.caption(
        "The zone's part of each sub-district, shaded by the people per km² its arrivals add: "
        + " · ".join(label for label, _ in returns_map.legend())
        + " (light to dark)."
    )

    st.subheader("Per sub-district")
    st.dataframe(
        returns_panel.table_frame(result),
        hide_index=True,
        key="returns_table",
        column_config={
            c: st.column_config.NumberColumn(format="localized")
            for c in ("people today", "today low", "today high", "arrivals", "people after", "in need before")
            + ("in need after", "housing units", "per km² before", "per km² after")
        },
    )
    if result.towns:
        st.dataframe(
            {
                "town": result.towns["name"],
                "sub-district": result.towns["subdistrict"],
                "arrivals": result.towns["arrivals"],
            },
            hide_index=True,
            key="returns_towns",
            column_config={"arrivals": st.column_config.NumberColumn(format="localized")},
        )
    st.download_button(
        "Download the table (CSV)",
        returns_panel.table_frame(result).to_csv(index=False).encode("utf-8"),
        file_name="returns_what_if.csv",
        mime="text/csv",
        key="returns_csv",
        on_click="ignore",
    )

    st.button(
        "Add this what-if to the briefing sequence",
        key="returns_to_briefing",
        on_click=returns_panel.add_to_sequence,
        args=(scenario, result.whatif),
        help="A new step on the Briefing page: presenter mode, the pack, the slides and saved decks carry it.",
    )
    if st.session_state.get("returns_added"):
        st.success(markdown_escape(f"Added to the briefing sequence: {st.session_state.pop('returns_added')}."))

    st.subheader("Compare: another size or rule")
    other = returns_panel.compare_controls(zone, result)
    if other is not None:
        st.dataframe(
            returns_panel.totals_frame({"A": result, "B": other}),
            hide_index=True,
            key="returns_compare",
            column_config={c: st.column_config.NumberColumn(format="localized") for c in ("A", "B")},
        )
        st.caption(f"A: {result.whatif.label()}. B: {other.whatif.label()}.")
        st.dataframe(
            returns_panel.side_by_side(result, other),
            hide_index=True,
            key="returns_compare_subdistricts",
            column_config={
                c: st.column_config.NumberColumn(format="localized")
                for c in ("A: arrivals", "B: arrivals", "A: per km² after", "B: per km² after")
            },
        )

    st.subheader("Context")
    registry, external, _, _ = engine_results.seed_tables()
    st.vega_lite_chart(charts.refugees_and_returns(external, result.whatif.people).to_dict(), width="stretch")
    st.dataframe(
        [
            {
                "when": r["date"],
                "who / what": r["metric"],
                "figure": float(r["value"]) if r["value"] else None,
                "unit": r["unit"],
                "quote": r.get("quote") or "",
                "source": f"{r['source_title']} — {r['source_url']}",
            }
            for r in returns.context_rows(external)
        ],
        hide_index=True,
        key="returns_context",
        column_config={"figure": st.column_config.NumberColumn(format="localized")},
    )
