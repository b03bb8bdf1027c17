"""Presenter mode: large type, one step at a time with its map and figures, and the briefing pack."""

from __future__ import annotations

import html
import logging
from urllib.parse import urlsplit

import streamlit as st

from dashboard.model import metrics, returns
from dashboard.model.scenario import Step
from dashboard.render import maps, pack, report
from dashboard.sources.text import markdown_escape
from dashboard.ui import engine_results, map_specs
from dashboard.ui import timeline as time_control
from dashboard.ui.guard import guarded

log = logging.getLogger("dashboard")
# The four catalogue metrics a room reads in large type, with labels short enough for a quarter of the screen.
BRIEF_MAP_HEIGHT = 560  # pixels: the scale bar is placed in its lower left

PRESENTED = {
    "zone_area_km2": "Zone area",
    "idlib_share": "Idlib inside",
    "population_inside": "People inside (est.)",
    "posts_inside": "Posts inside",
}

PRESENTER_CSS = """
<style>
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem;}
h1 {font-size: 2.6rem !important;}
[data-testid="stMarkdownContainer"] p.brief-notes {font-size: 1.5rem; line-height: 1.4;}
</style>
"""


def server_origin() -> str:
    """Scheme, host and port the viewer reached this server on, for the scenario links in the pack."""
    url = urlsplit(st.context.url or "")
    if url.scheme in ("http", "https") and url.netloc:
        return f"{url.scheme}://{url.netloc}"
    return "http://localhost:8501"


@guarded
def move(delta: int) -> None:
    st.session_state["brief_step"] = max(0, st.session_state.get("brief_step", 0) + delta)


def current_step(steps: list[Step]) -> Step:
    """Back and Next buttons with the step counter; the step they point at."""
    index = min(st.session_state.get("brief_step", 0), len(steps) - 1)
    st.session_state["brief_step"] = index
    back, counter, forward = st.columns([1, 2, 1])
    back.button("◀ Back", disabled=index == 0, key="brief_back", width="stretch", on_click=move, args=(-1,))
    forward.button(
        "Next ▶", disabled=index >= len(steps) - 1, key="brief_next", width="stretch", on_click=move, args=(1,)
    )
    counter.markdown(f"**Step {index + 1} of {len(steps)}**")
    return steps[index]


def step_view(step: Step) -> None:
    """A step as the room sees it: its title and notes as typed, the presenter metrics, who is inside, the map."""
    result = engine_results.impact(step.scenario)
    st.title(markdown_escape(step.title))
    notes = html.escape(step.notes).replace("\n", "<br>")
    st.markdown(f"<p class='brief-notes'>{notes}</p>", unsafe_allow_html=True)  # escaped: shows as typed
    st.caption(step.scenario.label())
    cells = st.columns(len(PRESENTED))
    for cell, (key, short) in zip(cells, PRESENTED.items(), strict=True):
        metric = metrics.BY_KEY[key]
        said = metric.parts_text(result, short=True)  # "Posts inside, 9 manned": the large type holds "12 of 18"
        cell.metric(f"{short}, {said}" if said else short, metric.in_large_type(result))
    governed = "; ".join(f"{label} {share:.0%}" for label, _, share in report.control_rows(result))
    st.markdown(
        f"<p class='brief-notes'>People inside {html.escape(metrics.BY_KEY['population_inside'].aloud(result))}; "
        f"in the band {html.escape(metrics.BY_KEY['population_in_band'].aloud(result))}. Observation posts inside: "
        f"{html.escape(metrics.BY_KEY['posts_inside'].aloud(result))}. Who governs them "
        f"(OCHA planning shares, early 2023): {html.escape(governed or 'nobody inside')}. "
        f"{html.escape(' '.join(metrics.where_the_line_falls(result)))}</p>",
        unsafe_allow_html=True,  # escaped: numbers, fixed labels and the layer's town names
    )
    what_if = returns.of_step(engine_results.geography(), result, step.returns)
    if what_if is not None:  # the step's returns what-if, read aloud (or why it cannot be computed for this zone)
        said = what_if if isinstance(what_if, str) else "What-if: " + returns.summary(what_if)
        st.markdown(f"<p class='brief-notes'>{html.escape(said)}</p>", unsafe_allow_html=True)  # escaped
    summary = maps.alt_text(result)
    spec = map_specs.scenario_map(result, "NW Syria", {}, height=BRIEF_MAP_HEIGHT)
    st.pydeck_chart(spec, key="brief_map", height=BRIEF_MAP_HEIGHT, alt=summary)
    st.caption(summary)


def pack_download(steps: list[Step]) -> None:
    """The one-file briefing pack, built on the click from inputs gathered in this run."""
    st.subheader("Briefing pack")
    st.caption(
        "One self-contained HTML file: a static map and the metrics of each step, the charts, sources, "
        "the method note, each scenario's link and a content hash of the inputs. Opens and prints offline."
    )
    geo = engine_results.geography()
    registry, external, timeline, _ = engine_results.seed_tables()
    impacts = [engine_results.impact(s.scenario) for s in steps]
    base_url = server_origin()
    grids = time_control.chosen()  # the small multiples chosen under the landing page's time control

    def build_pack() -> bytes:
        """Streamlit runs this callable on the click itself."""
        try:
            charts = pack.figure_charts_for_pack(registry, external, timeline)
            return pack.pack_html(geo, steps, impacts, charts, base_url, timeline, grids=grids).encode("utf-8")
        except Exception:  # noqa: BLE001 - the briefer gets a file that says what happened, not a dead button
            log.exception("briefing pack failed")
            return pack.pack_failure_html().encode("utf-8")

    st.download_button(
        "Download the briefing pack (briefing.html)",
        build_pack,
        file_name="briefing.html",
        mime="text/html",
        key="dl_pack",
        on_click="ignore",
    )
