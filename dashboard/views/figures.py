"""Figures & timeline: the four charts, the registry with its exact quotes, and unreviewed mentions."""

import pandas as pd
import streamlit as st

from dashboard.model import incidents
from dashboard.sources import text
from dashboard.ui import controls, engine_results, map_specs
from dashboard.ui.guard import friendly_errors

with friendly_errors():
    controls.keep_in_link(controls.page_scenario())  # the address keeps the briefer's scenario for the next page
    registry, external, timeline, unreviewed = engine_results.seed_tables()
    st.title("Figures & timeline")
    st.caption("Every figure is traceable: seed figures carry their exact quote, external figures their source.")
    for spec in map_specs.figure_specs():  # the Turkish refugees, escalation, displacement and deaths charts
        st.vega_lite_chart(spec, width="stretch")

    st.subheader("Figures in the source texts")
    table = pd.DataFrame([f.__dict__ for f in registry if f.kind != "not_a_figure"])
    st.dataframe(
        table[["id", "kind", "value", "low", "high", "unit", "measures", "refers_to", "quote", "file", "note"]],
        hide_index=True,
        key="registry_table",
    )
    st.subheader("The texts' incidents in the conflict events (UCDP)")
    matches = engine_results.incident_matches()
    st.caption(
        "Where a figure names an incident UCDP GED 21.1 could hold (seeds/incidents.csv: a place of the map's "
        "layers, the days, a radius), the events found there and then, by geodesic distance. "
        f"{incidents.ALL_SIDES}; the dataset keeps only events located to the place."
    )
    st.markdown(  # the verdicts in full, to be read aloud; the table below has the rest
        "\n".join(
            f"- **{m.figure}** ({text.markdown_escape(m.claim.text)}"
            + (f", {text.markdown_escape(m.place)}" if m.place else "")
            + f", {m.when}): {text.markdown_escape(m.verdict if m.place else m.note)}"
            for m in matches
        )
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "figure": m.figure,
                    "count": m.claim.text,
                    "what it says": m.claim.says,
                    "place": m.place or "—",
                    "days": m.when,
                    "UCDP events": ", ".join(str(i) for i in m.events["id"]) or "—",
                    "verdict": m.verdict,
                    "radius (km)": m.radius_km,
                    "note": m.note,
                    "source": m.claim.source,
                }
                for m in matches
            ]
        ),
        hide_index=True,
        key="incidents_table",
    )
    with st.expander("The events found, nearest first"):
        found = [m.events.assign(figure=m.figure) for m in matches if not m.events.empty]
        if found:
            events = pd.concat(found)[["figure", "id", "date", "km", "sides", "best", "low", "high"]]
            st.dataframe(events, hide_index=True, column_config={"km": st.column_config.NumberColumn(format="%.1f")})
    st.subheader("Not yet curated")
    if unreviewed:
        st.warning(f"{len(unreviewed)} numeric mentions in the texts are not in the registry yet.")
        st.dataframe(
            pd.DataFrame(
                [{"file": m.file, "mention": m.text, "kind": m.kind, "sentence": m.sentence} for m in unreviewed]
            ),
            hide_index=True,
            key="unreviewed_table",
        )
    else:
        st.success("Every numeric mention in the texts is curated in seeds/figures.csv.")
    with st.expander("External reference figures (seeds/external.csv)"):
        st.dataframe(pd.DataFrame(external), hide_index=True)
