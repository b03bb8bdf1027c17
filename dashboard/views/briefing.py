"""Briefing: presenter mode over an editable sequence of named scenarios, and the one-file pack."""

import html
import logging
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from dashboard.exchange import decks
from dashboard.model import metrics
from dashboard.model.scenario import FIELD_NAMES, SEGMENTS, ScenarioError, Step, scenario_from_record
from dashboard.render import maps, pack, report
from dashboard.sources.text import clean_text, markdown_escape
from dashboard.ui import cache, state
from dashboard.ui.guard import friendly_errors, guarded
from dashboard.ui.state import KEEP

log = logging.getLogger("dashboard")

PRESENTER_CSS = """
<style>
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem;}
h1 {font-size: 2.6rem !important;}
.brief-notes {font-size: 1.5rem; line-height: 1.4;}
</style>
"""


def steps_from_table(table: pd.DataFrame) -> tuple[list[Step], list[str]]:
    """The editor's rows as steps; a row the scenario refuses is skipped and said (by row and title)."""
    steps, problems = [], []
    for i, row in table.iterrows():
        try:
            scenario = scenario_from_record(row.to_dict(), text=True)
        except ScenarioError as exc:
            problems.append(f"row {i + 1} ({row['title']}): {exc}")
            continue
        steps.append(Step(str(row["title"]), str(row["notes"] or ""), scenario))
    return steps, problems


def server_origin() -> str:
    """Scheme, host and port the viewer reached this server on, for the scenario links in the pack."""
    url = urlsplit(st.context.url or "")
    if url.scheme in ("http", "https") and url.netloc:
        return f"{url.scheme}://{url.netloc}"
    return "http://localhost:8501"


@guarded
def move(delta: int) -> None:
    st.session_state["brief_step"] = max(0, st.session_state.get("brief_step", 0) + delta)


def table_of(steps: list[Step]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"title": s.title, "notes": s.notes, **{f: getattr(s.scenario, f) for f in FIELD_NAMES}} for s in steps]
    )


def use_deck(name: str, steps: list[Step], version: int | None) -> None:
    """Replace the editor's sequence (a new editor key, so the widget shows the loaded rows)."""
    st.session_state["brief_table"] = table_of(steps)
    st.session_state["brief_editor_n"] = st.session_state.get("brief_editor_n", 0) + 1
    st.session_state["deck_name"] = name
    st.session_state["deck_version"] = (name, version) if version is not None else None
    st.session_state["brief_step"] = 0
    st.session_state.pop("brief_edited", None)  # the loaded rows replace any earlier edits


def say(kind: str, text: str) -> None:
    """A message from a callback, shown once on the next run (callbacks run before the page)."""
    st.session_state["deck_message"] = (kind, text)


@guarded
def save_deck(steps: list[Step]) -> None:
    name = st.session_state.get("deck_name", "")
    opened = st.session_state.get("deck_version")  # (name, version) this editor opened or last saved
    based_on = opened[1] if isinstance(opened, tuple) and opened[0] == clean_text(name) else None
    try:
        saved = cache.deck_store().save(name, steps, based_on)
    except decks.DeckError as exc:
        say("error", f"Not saved: {exc}")
        return
    st.session_state["deck_version"] = (decks.deck_name(name), saved.version)
    text = f"Saved {decks.deck_name(name)} as version {saved.version}."
    if saved.superseded and based_on is None:
        text += (
            f" A deck of this name already had version {saved.superseded}, saved by someone else or earlier; "
            "both are kept (pick the version under Open)."
        )
    elif saved.superseded:
        text += (
            f" Someone else saved version {saved.superseded} after you opened this deck; both are kept "
            "(pick the version under Open)."
        )
    say("warning" if saved.superseded else "success", text)


@guarded
def open_deck() -> None:
    name, version = st.session_state.get("deck_open"), st.session_state.get("deck_open_version")
    try:
        if version not in dict(cache.deck_store().versions(name)):
            version = None  # a choice left over from another deck: the selector shows this deck's latest
        deck = cache.deck_store().load(name, version)
    except (KeyError, decks.DeckError) as exc:
        say("error", f"That deck cannot be opened: {exc}")
        return
    use_deck(deck.name, deck.steps, deck.version)
    say("success", f"Opened {deck.name}, version {deck.version}.")


@guarded
def import_deck() -> None:
    upload = st.session_state.get("deck_import")
    if upload is None:
        return
    try:
        name, steps = decks.deck_from_json(upload.getvalue())
    except decks.DeckError as exc:
        say("error", "That file was not imported: " + "; ".join(exc.problems))
        return
    use_deck(name, steps, None)
    say("success", f"Imported {name} ({len(steps)} steps); save it to keep it.")


def deck_panel(steps: list[Step]) -> None:
    """Save, open, import and export named decks; every failure is a message, and nothing is overwritten."""
    if "deck_message" in st.session_state:
        kind, text = st.session_state.pop("deck_message")
        getattr(st, kind)(markdown_escape(text))
    store = cache.deck_store()
    save_col, open_col = st.columns(2)
    with save_col:
        st.text_input("Deck name", key="deck_name", max_chars=decks.MAX_NAME, persist_state=KEEP)
        st.button("Save deck", key="deck_save", disabled=not steps, on_click=save_deck, args=(steps,))
        st.caption(f"Decks are kept in {store.path} (set {decks.DB_ENV} to move it); every save is a new version.")
    with open_col:
        names = store.names()
        chosen = st.selectbox(
            "Open a saved deck",
            names,
            index=None,
            key="deck_open",
            placeholder="choose a deck",
            persist_state=KEEP,
            on_change=state.forget,  # the version chosen for the previous deck means nothing for this one
            args=("deck_open_version",),
        )
        if chosen:
            versions = dict(store.versions(chosen))
            st.selectbox(
                "Version",
                list(versions),
                format_func=lambda v: f"{v} (saved {versions[v]})",
                key="deck_open_version",
                persist_state=KEEP,
            )
            st.button("Open", key="deck_load", on_click=open_deck)
    st.file_uploader("Import a deck (JSON)", type=["json"], key="deck_import", on_change=import_deck)
    st.download_button(
        "Export this deck (JSON)",
        decks.deck_to_json(st.session_state.get("deck_name") or "Briefing", steps).encode("utf-8"),
        file_name="briefing-deck.json",
        mime="application/json",
        key="dl_sequence",
        disabled=not steps,
    )


with friendly_errors():
    if "brief_table" not in st.session_state:
        st.session_state["brief_table"] = table_of(decks.default_sequence())
        st.session_state.pop("brief_edited", None)
        st.session_state.setdefault("deck_name", "Default briefing")
    presenter = st.toggle("Presenter mode (large type, high contrast)", value=True, key="presenter", persist_state=KEEP)
    if presenter:
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    editor_key = f"brief_editor_{st.session_state.get('brief_editor_n', 0)}"
    if editor_key not in st.session_state and "brief_edited" in st.session_state:
        # The editor was forgotten while another page was open: start it again from the last edits.
        st.session_state["brief_table"] = st.session_state["brief_edited"]
    with st.expander("Edit the sequence", expanded=not presenter):
        edited = st.data_editor(
            st.session_state["brief_table"],
            num_rows="dynamic",
            hide_index=True,
            key=editor_key,
            column_config={
                "as_of": st.column_config.DateColumn("as of"),
                "segment": st.column_config.SelectboxColumn(options=list(SEGMENTS)),
            },
        )
    st.session_state["brief_edited"] = edited
    steps, problems = steps_from_table(edited)
    for p in problems:
        st.warning(markdown_escape(f"Skipped {p}"))
    with st.expander("Saved decks: save, open, import, export", expanded=False):
        deck_panel(steps)
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
    st.title(markdown_escape(step.title))
    notes = html.escape(step.notes).replace("\n", "<br>")
    st.markdown(f"<p class='brief-notes'>{notes}</p>", unsafe_allow_html=True)  # escaped: shows as typed
    st.caption(step.scenario.label())
    presented = [m for m in metrics.shown(result) if m.short]
    for cell, m in zip(st.columns(len(presented)), presented, strict=True):
        cell.metric(m.short, m.in_large_type(result))
    governed = "; ".join(f"{label} {share:.0%}" for label, _, share in report.control_rows(result))
    st.markdown(
        f"<p class='brief-notes'>People inside {html.escape(metrics.BY_KEY['population_inside'].aloud(result))}; "
        f"in the band {html.escape(metrics.BY_KEY['population_in_band'].aloud(result))}. Who governs them "
        f"(OCHA planning shares, early 2023): {html.escape(governed or 'nobody inside')}.</p>",
        unsafe_allow_html=True,  # escaped: numbers and fixed labels only
    )
    summary = maps.alt_text(result)
    st.pydeck_chart(
        maps.scenario_map(geo, result, "NW Syria", {}, base=cache.basemap()),
        key="brief_map",
        height=560,
        alt=summary,
    )
    st.caption(summary)

    st.subheader("Briefing pack")
    st.caption(
        "One self-contained HTML file: a static map and the metrics of each step, the charts, sources, "
        "the method note, each scenario's link and a content hash of the inputs. Opens and prints offline."
    )
    registry, external, timeline, _ = cache.seed_tables()
    impacts = [cache.impact(s.scenario) for s in steps]
    base_url = server_origin()

    def build_pack() -> bytes:
        """Built on the click itself (Streamlit runs this callable then), from inputs gathered in this run."""
        try:
            charts = pack.figure_charts_for_pack(registry, external, timeline)
            return pack.pack_html(geo, steps, impacts, charts, base_url).encode("utf-8")
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
