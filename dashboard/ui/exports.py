"""Slides, PDF and map images, built on the server on the click.

Slides and the PDF are built inside the page's run, so a progress bar can say which map is being drawn of how
many. Each map picture is cached by its scenario: a second click while a build runs restarts the run, and the
maps already drawn are not drawn again; a file built for the same sequence, title and classification is offered
again without a rebuild. Map images on the landing and compare pages are built on the click of their download.
"""

from __future__ import annotations

import hashlib
import json
import logging

import streamlit as st

from dashboard.exchange.decks import steps_to_records
from dashboard.model.impact import Impact
from dashboard.model.scenario import Scenario, Step
from dashboard.render import images, maps, slides
from dashboard.render.static_map import print_map
from dashboard.sources import layers
from dashboard.sources.text import markdown_escape
from dashboard.ui import engine_results, timeline
from dashboard.ui.deck_panel import over_limit
from dashboard.ui.state import KEEP

log = logging.getLogger("dashboard")
FORMATS = {  # label: (core format, file name, MIME type)
    "PowerPoint (.pptx)": ("pptx", "briefing.pptx", slides.PPTX_MIME),
    "PDF": ("pdf", "briefing.pdf", "application/pdf"),
}
MAP_PNG_MIN_PX = 1920  # wide enough for a full-HD slide
RUNNING = "export_running"  # session key: the format of a build under way (see _mark_running)
BUILD = "export_build"  # the Build button's key: true in the run its click starts
MAX_TITLE, MAX_CLASSIFICATION = 90, 80  # characters: what fits the title slide and the line on every slide


@st.cache_data(show_spinner=False, max_entries=64)
def _slide_picture(mtime: float, scenario: Scenario, kind: str):
    impact = engine_results.impact(scenario)
    geo = engine_results.geography()
    return slides.slide_png(geo, impact) if kind == "pptx" else slides.slide_svg(geo, impact)


def _digest(steps: list[Step], *parts: str) -> str:
    body = json.dumps([steps_to_records(steps), parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def slides_panel(steps: list[Step]) -> None:
    """Build the sequence as PowerPoint or PDF, with a progress bar; then download it."""
    st.subheader("Slides and PDF")
    st.caption(
        "A 16:9 deck: a title slide, a slide per step (its map with legend, scale bar and north arrow, its "
        "headline figures with their ranges, your notes as speaker notes), the scenarios side by side, and "
        "sources and method. Text is 14 pt or larger; titles and figures are editable text and tables."
    )
    left, right = st.columns(2)
    # no max_chars: the browser refuses a longer paste whole and in silence (the deck was then built with
    # the default title); the limits are said under the boxes and the build waits for a shorter text
    title = left.text_input("Deck title", value=slides.DEFAULT_TITLE, key="export_title", persist_state=KEEP)
    classification = right.text_input(
        "Classification line (top of every slide)",
        value=slides.DEFAULT_CLASSIFICATION,
        key="export_classification",
        persist_state=KEEP,
    )
    too_long = over_limit("The deck title", title, MAX_TITLE, "to build the file")
    too_long |= over_limit("The classification line", classification, MAX_CLASSIFICATION, "to build the file")
    # a build this session started and never finished; not on the Build click's own run, whose mark is this
    # build's (set by the click's callback, before any of the page is drawn)
    stopped = None if st.session_state.get(BUILD) else st.session_state.pop(RUNNING, None)
    if stopped:
        st.warning(
            f"The {stopped} build was stopped before it finished: the page was left or changed while it ran. "
            "Build it again; the maps it had drawn are kept and not drawn again."
        )
    label = st.radio("Format", list(FORMATS), horizontal=True, key="export_format", persist_state=KEEP)
    kind, file_name, mime = FORMATS[label]
    wanted = _digest(steps, title, classification, kind, *timeline.chosen_names())
    built = st.session_state.setdefault("export_built", {}).get(kind)  # the last file of each format
    if not (built and built[0] == wanted):
        slot = st.empty()  # the button goes once its file is built: a second click has nothing to start
        if slot.button(
            f"Build the {label.split(' ')[0]} file",
            key=BUILD,
            disabled=too_long,
            on_click=_mark_running,
            args=(kind,),
        ):
            built = _build(steps, title, classification, kind, wanted)
            slot.empty()
    if built and built[0] == wanted:
        data = built[1]
        st.download_button(
            f"Download {file_name} ({len(data) / 1e6:.1f} MB)",
            data,
            file_name=file_name,
            mime=mime,
            key="dl_export",
            on_click="ignore",
        )
    elif built:
        st.caption("The sequence, title, classification or format changed since the last build: build again.")


def progress_text(done: int, of: int, what: str) -> str:
    """The progress bar's line (Markdown): the title is the briefer's text, so it is escaped, or its Markdown
    would be drawn and an image in it fetched from wherever it points."""
    return f"Drawing map {done + 1} of {of}: {markdown_escape(what)}" if done < of else "Laying out the slides…"


def _mark_running(kind: str) -> None:
    """The Build click's callback. Streamlit stops a run when the page changes (or a widget reruns it): the
    build then ends with no word, so it is marked running here, before the click's run draws any of the page
    (a page change that stopped the run before it reached the button once lost the build in silence), and
    unmarked at the build's end (:func:`_build`); a mark found on a later run is said there."""
    st.session_state[RUNNING] = "PowerPoint" if kind == "pptx" else "PDF"


def _build(steps: list[Step], title: str, classification: str, kind: str, wanted: str):
    try:
        built = _built(steps, title, classification, kind, wanted)
    except BaseException as exc:
        if type(exc).__name__ not in ("StopException", "RerunException"):  # Streamlit's own: the run stops
            st.session_state.pop(RUNNING, None)
        raise
    st.session_state.pop(RUNNING, None)
    return built


def _built(steps: list[Step], title: str, classification: str, kind: str, wanted: str):
    bar = st.progress(0.0, text="Preparing the slides…")

    def progress(done: int, of: int, what: str) -> None:
        bar.progress(done / max(of, 1), text=progress_text(done, of, what))

    mtime = layers.layers_mtime()
    try:
        impacts = [engine_results.impact(s.shown) for s in steps]
        briefing = slides.briefing_slides(
            engine_results.geography(),
            steps,
            impacts,
            title=title,
            classification=classification,
            grids=timeline.chosen(),
        )
        picture = lambda geo, impact: _slide_picture(mtime, impact.scenario, kind)  # noqa: E731
        data = (slides.to_pptx if kind == "pptx" else slides.to_pdf)(briefing, progress, picture)
    except slides.PdfUnavailable as exc:
        bar.empty()
        st.error(str(exc))
        return None
    except Exception as exc:  # noqa: BLE001 - a failed build is a message; the sequence is untouched
        if type(exc).__name__ in ("StopException", "RerunException"):
            raise
        log.exception("%s build failed", kind)
        bar.empty()
        st.error("The file could not be built; the details are in the server log. Your sequence is unchanged.")
        return None
    bar.empty()
    built = (wanted, data)
    st.session_state.setdefault("export_built", {})[kind] = built
    return built


@st.cache_data(show_spinner=False, max_entries=16)
def _map_image(mtime: float, scenario: Scenario, kind: str, _impact: Impact) -> bytes:
    """Drawn on the download's click, outside the page's run: everything it needs is handed in."""
    chart = print_map(engine_results.geography(), _impact, caption=maps.alt_text(_impact))
    if kind == "svg":
        return images.svg(chart).encode("utf-8")
    return images.png_at_least(chart, MAP_PNG_MIN_PX)


def map_image_downloads(result: Impact, key: str, columns=None) -> None:
    """The scenario's map as PNG (≥ 1920 px wide) and SVG, with legend, scale bar, attribution and caption, in
    two ``columns`` of the caller's row (a row of their own if none are given)."""
    mtime = layers.layers_mtime()
    scenario = result.scenario
    kinds = (("png", "image/png"), ("svg", "image/svg+xml"))
    for column, (kind, mime) in zip(columns or st.columns(2), kinds, strict=True):
        column.download_button(
            f"Map image ({kind.upper()})",
            lambda kind=kind: _map_image(mtime, scenario, kind, result),
            file_name=f"scenario-map.{kind}",
            mime=mime,
            key=f"dl_map_{kind}_{key}",
            on_click="ignore",
        )
