"""Briefing: presenter mode over an editable sequence of named scenarios, and the one-file pack."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import briefing, mapview
from dashboard.scenario import Scenario, ScenarioError
from dashboard.ui import cache
from dashboard.ui.guard import friendly_errors

PRESENTER_CSS = """
<style>
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem;}
h1 {font-size: 2.6rem !important;}
.brief-notes {font-size: 1.5rem; line-height: 1.4;}
</style>
"""


def steps_from_table(table: pd.DataFrame) -> tuple[list[briefing.Step], list[str]]:
    steps, problems = [], []
    for i, row in table.iterrows():
        try:
            as_of = row["as_of"] if isinstance(row["as_of"], dt.date) else dt.date.fromisoformat(str(row["as_of"]))
            scenario = Scenario(
                inner_km=float(row["inner_km"]),
                outer_km=float(row["outer_km"]),
                segment=str(row["segment"]),
                corridor_km=float(row["corridor_km"]),
                post_radius_km=float(row["post_radius_km"]),
                as_of=as_of,
            )
        except (ScenarioError, ValueError, TypeError) as exc:
            problems.append(f"row {i + 1} ({row['title']}): {exc}")
            continue
        steps.append(briefing.Step(str(row["title"]), str(row["notes"] or ""), scenario))
    return steps, problems


def move(delta: int) -> None:
    st.session_state["brief_step"] = max(0, st.session_state.get("brief_step", 0) + delta)


with friendly_errors():
    if "brief_table" not in st.session_state:
        st.session_state["brief_table"] = pd.DataFrame(
            [{"title": s.title, "notes": s.notes, **s.scenario.__dict__} for s in briefing.default_sequence()]
        )
    presenter = st.toggle("Presenter mode (large type, high contrast)", value=True, key="presenter")
    if presenter:
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    with st.expander("Edit the sequence", expanded=not presenter):
        edited = st.data_editor(
            st.session_state["brief_table"],
            num_rows="dynamic",
            hide_index=True,
            key="brief_editor",
            column_config={
                "as_of": st.column_config.DateColumn("as of"),
                "segment": st.column_config.SelectboxColumn(options=["west", "east", "all"]),
            },
        )
    steps, problems = steps_from_table(edited)
    for p in problems:
        st.warning(f"Skipped {p}")
    if not steps:
        st.info("The sequence is empty: add a row above.")
        st.stop()
    index = min(st.session_state.get("brief_step", 0), len(steps) - 1)
    st.session_state["brief_step"] = index
    back, counter, forward = st.columns([1, 2, 1])
    back.button("◀ Back", disabled=index == 0, key="brief_back", width="stretch", on_click=move, args=(-1,))
    forward.button(
        "Next ▶", disabled=index >= len(steps) - 1, key="brief_next", width="stretch", on_click=move, args=(1,)
    )
    counter.markdown(f"**Step {index + 1} of {len(steps)}**")
    step = steps[index]
    geo = cache.geography()
    result = cache.impact(step.scenario)
    st.title(step.title)
    st.markdown(f"<p class='brief-notes'>{step.notes}</p>", unsafe_allow_html=False)
    st.caption(step.scenario.label())
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Zone area", f"{result.zone_area_km2:,.0f} km²")
    m2.metric("Idlib inside", f"{result.idlib_share:.0%}")
    m3.metric("People inside (est.)", f"{result.population_inside / 1e6:.2f} M")
    m4.metric("Posts inside", f"{int(result.posts['inside'].sum())}")
    st.pydeck_chart(mapview.scenario_deck(geo, result, "NW Syria", {}), key="brief_map", height=560)
    st.caption(mapview.alt_text(result))

    st.subheader("Briefing pack")
    st.caption(
        "One self-contained HTML file: a static map and the metrics of each step, the charts, sources, "
        "the method note, each scenario's link and a content hash of the inputs. Opens and prints offline."
    )
    if st.button("Build the briefing pack", key="build_pack"):
        with st.spinner("Rendering maps and charts…"):
            registry, external, timeline, _ = cache.seeds()
            impacts = [cache.impact(s.scenario) for s in steps]
            st.session_state["pack"] = briefing.pack_html(
                geo,
                steps,
                impacts,
                briefing.figure_charts_for_pack(registry, external, timeline),
                "http://localhost:8501",
            )
    if "pack" in st.session_state:
        st.download_button(
            "Download briefing.html",
            st.session_state["pack"].encode("utf-8"),
            file_name="briefing.html",
            mime="text/html",
            key="dl_pack",
        )
    st.download_button(
        "Download the sequence (JSON)",
        briefing.sequence_to_json(steps).encode("utf-8"),
        file_name="sequence.json",
        mime="application/json",
        key="dl_sequence",
    )
