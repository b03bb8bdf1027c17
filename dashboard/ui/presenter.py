"""Presenter mode: large type, one step at a time with its map and figures, and the briefing pack."""

from __future__ import annotations

import html
import json
import logging
from string import Template
from urllib.parse import urlsplit

import streamlit as st

from dashboard.model import metrics, returns, timeline
from dashboard.model.scenario import Step
from dashboard.render import maps, pack, report
from dashboard.render.style import BLACK, WHITE, YELLOW
from dashboard.sources.text import markdown_escape
from dashboard.ui import engine_results, live_view, map_specs
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

# High contrast: white and yellow on black, every text at least 7:1 (WCAG AAA; white on black is 21:1, the
# Okabe–Ito yellow 15:1), so a projector in a lit room still shows it. Streamlit's greys (captions at 60 % opacity,
# about 4.6:1 on white) are replaced; disabled buttons keep their dimming (WCAG exempts inactive controls).
PRESENTER_CSS = Template("""
<style>
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem;}
h1 {font-size: 2.6rem !important;}
[data-testid="stMarkdownContainer"] p.brief-notes {font-size: 1.5rem; line-height: 1.4;}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stHeader"], [data-testid="stMain"],
[data-testid="stSidebar"], [data-testid="stSidebarContent"], [data-testid="stBottomBlockContainer"] {
  background: $paper !important; color: $ink !important;
}
:is([data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stHeader"])
  :is(h1, h2, h3, h4, h5, h6, p, li, span, label, small, summary, div, strong, em, code) {
  color: $ink !important; opacity: 1 !important;
}
[data-testid="stMain"] a, [data-testid="stSidebar"] a span {color: $accent !important;}
[data-testid="stMain"] :is(input, textarea, [data-baseweb="select"] > div, [data-baseweb="input"],
  [data-baseweb="base-input"], [data-baseweb="textarea"]) {
  background: $paper !important; color: $ink !important; border-color: $ink !important;
}
[data-testid="stMain"] :is(button, [data-testid="stBaseButton-secondary"], [data-testid="stDownloadButton"] button) {
  background: $paper !important; color: $ink !important; border: 2px solid $ink !important;
}
[data-testid="stMain"] :is([data-testid="stFileUploaderDropzone"], [data-baseweb="popover"]) {
  background: $paper !important; border: 1px dashed $ink !important;
}
[data-testid="stMain"] button:focus-visible {outline: 3px solid $accent !important;}
[data-testid="stMain"] [data-testid="stExpander"] details {border-color: $ink !important;}
[data-testid="stMain"] [data-testid="stAlertContainer"] {background: $paper !important; border: 2px solid $accent;}
</style>
""").substitute(paper=BLACK.hex, ink=WHITE.hex, accent=YELLOW.hex)

# Keys a presenter uses (a clicker sends PageDown/PageUp): → PageDown Space forward, ← PageUp back, Home the
# first step, End the last, wherever the focus is except where a key edits (a text box, the table, a slider).
# The listener is on the window, added once and removed when the page goes (the component's cleanup).
KEYS_JS = """
export default function(component) {
  const { setTriggerValue } = component;
  const moves = {ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "back", PageUp: "back",
                 Home: "first", End: "last"};
  const editing = (el) => el && el.closest && el.closest(
    'input, textarea, select, [contenteditable="true"], [role="slider"], [role="grid"], [role="textbox"], ' +
    '[role="combobox"], [role="spinbutton"], [role="listbox"], [data-testid="stDataFrame"]');
  const onKey = (event) => {
    const move = moves[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (editing(event.target) || editing(document.activeElement)) return;
    event.preventDefault();  // no scrolling, and a focused button is not pressed as well
    event.stopPropagation();
    setTriggerValue("move", move);
  };
  if (window.__nwsyriaPresenterKeys) window.removeEventListener("keydown", window.__nwsyriaPresenterKeys, true);
  window.__nwsyriaPresenterKeys = onKey;
  window.addEventListener("keydown", onKey, true);
  return () => {
    window.removeEventListener("keydown", onKey, true);
    if (window.__nwsyriaPresenterKeys === onKey) window.__nwsyriaPresenterKeys = null;
  };
}
"""
_keys = st.components.v2.component("nwsyria_presenter_keys", js=KEYS_JS)
MOVES = {"next": 1, "back": -1, "first": -(10**6), "last": 10**6}


def keyboard() -> None:
    """Move through the steps with the presenter's keys (see :data:`KEYS_JS`); drawn before the step counter."""
    result = _keys(key="presenter_keys", on_move_change=lambda: None, height=0)
    moved = getattr(result, "move", None)
    if moved in MOVES:
        move(MOVES[moved])


def server_origin() -> str:
    """Scheme, host and port the viewer reached this server on, for the scenario links in the pack."""
    url = urlsplit(st.context.url or "")
    if url.scheme in ("http", "https") and url.netloc:
        return f"{url.scheme}://{url.netloc}"
    return "http://localhost:8501"


def step_from_link() -> None:
    """Once per session, the step a link names (``?step=3``, counted from 1); a step the sequence lacks shows
    its last, and anything but digits is said and the first is shown."""
    if st.session_state.get("_step_seeded"):
        return
    st.session_state["_step_seeded"] = True
    raw = st.query_params.get("step")
    if raw is None:
        return
    if raw.isascii() and raw.isdigit() and int(raw) >= 1:
        st.session_state["brief_step"] = min(int(raw), 10_000) - 1
    else:
        st.warning(markdown_escape(f"In the link, the step ({raw[:32]!r}) was ignored: it must be a number from 1."))


def step_param() -> dict[str, str]:
    """The step on screen as a link parameter (none for the first)."""
    index = st.session_state.get("brief_step", 0)
    return {"step": str(index + 1)} if index else {}


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
    result = engine_results.impact(step.shown)
    st.title(markdown_escape(step.title))
    notes = html.escape(step.notes).replace("\n", "<br>")
    st.markdown(f"<p class='brief-notes'>{notes}</p>", unsafe_allow_html=True)  # escaped: shows as typed
    st.caption(step.scenario.label())
    if step.months is not None:
        months_said(step, result)
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
    shown = {"events": True} if step.months is not None else {}  # a step's months: their events on the map
    spec = map_specs.scenario_map(result, "NW Syria", shown, height=BRIEF_MAP_HEIGHT)
    # the landing page's browser-drawn view, the map alone: the same layers and zone; pydeck where it cannot run
    drawn = live_view.live_view(
        result, result, json.loads(spec.to_json()), key="brief_live", parts=live_view.MAP_ALONE, height=BRIEF_MAP_HEIGHT
    )
    if drawn is False:
        st.pydeck_chart(spec, key="brief_map", height=BRIEF_MAP_HEIGHT, alt=summary)
    st.caption(summary)


def months_said(step: Step, result) -> None:
    """A step's months: what happened in the zone, and the source texts' dated events that fall in them, each
    with its quote (as the time control shows a month)."""
    st.markdown(
        f"<p class='brief-notes'><b>{html.escape(metrics.months_shown(step, result))}.</b></p>",
        unsafe_allow_html=True,  # escaped: fixed words and numbers
    )
    registry, _, dates, _ = engine_results.seed_tables()
    run = timeline.months_between(*step.months)
    by_month = timeline.dated_by_month(dates, registry, run)
    for month in run:
        for dated in by_month[month]:
            quote = f" “{dated.quotes[0][1]}”" if dated.quotes else ""
            st.markdown(
                markdown_escape(f"{dated.date}: {dated.event} ({dated.source_title}).{quote}"),
            )


def pack_download(steps: list[Step]) -> None:
    """The one-file briefing pack, built on the click from inputs gathered in this run."""
    st.subheader("Briefing pack")
    st.caption(
        "One self-contained HTML file: a static map and the metrics of each step, the charts, sources, "
        "the method note, each scenario's link and a content hash of the inputs. Opens and prints offline."
    )
    geo = engine_results.geography()
    registry, external, timeline, _ = engine_results.seed_tables()
    impacts = [engine_results.impact(s.shown) for s in steps]
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
