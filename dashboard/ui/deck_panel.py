"""Saved decks on the briefing page: save, open, import and export named sequences. Every failure is a
message, nothing is overwritten, and callbacks say what happened on the next run."""

from __future__ import annotations

import streamlit as st

from dashboard.exchange import decks
from dashboard.model.scenario import Step
from dashboard.sources.text import clean_text, markdown_escape
from dashboard.ui import state
from dashboard.ui.guard import guarded
from dashboard.ui.sequence_editor import use_deck
from dashboard.ui.state import KEEP


@st.cache_resource
def deck_store():
    """The one deck store of this server, shared by its sessions: the team's PostgreSQL database when
    ``NWSYRIA_DECKS_URL`` is set (environment or secrets.toml), else SQLite (``NWSYRIA_DECKS_DB`` moves it)."""
    return decks.open_store()


def say(kind: str, text: str) -> None:
    """A message from a callback, shown once on the next run (callbacks run before the page)."""
    st.session_state["deck_message"] = (kind, text)


@guarded
def save_deck(steps: list[Step]) -> None:
    name = st.session_state.get("deck_name", "")
    opened = st.session_state.get("deck_version")  # (name, version) this editor opened or last saved
    based_on = opened[1] if isinstance(opened, tuple) and opened[0] == clean_text(name) else None
    try:
        saved = deck_store().save(name, steps, based_on)
    except decks.DeckError as exc:
        say("error", f"Not saved: {exc}")
        return
    except decks.StoreUnavailable as exc:
        say("error", f"Not saved: {exc}. Your deck is still in the editor: save again in a moment.")
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
        if version not in dict(deck_store().versions(name)):
            version = None  # a choice left over from another deck: the selector shows this deck's latest
        deck = deck_store().load(name, version)
    except (KeyError, decks.DeckError) as exc:
        say("error", f"That deck cannot be opened: {exc}")
        return
    except decks.StoreUnavailable as exc:
        say("error", f"That deck cannot be opened just now: {exc}. Try again in a moment.")
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


def over_limit(what: str, text: str, limit: int, to: str) -> bool:
    """Say that ``text`` is over ``limit`` characters (what was typed is kept, for the briefer to shorten)."""
    if len(text) <= limit:
        return False
    st.warning(f"{what} has {len(text):,} characters; the limit is {limit:,}. Shorten it {to}: what you typed is kept.")
    return True


def deck_panel(steps: list[Step]) -> None:
    """Save, open, import and export named decks; every failure is a message, and nothing is overwritten."""
    message = st.container()  # always present, so the widgets below keep their place whether or not it speaks
    if "deck_message" in st.session_state:
        kind, text = st.session_state.pop("deck_message")
        getattr(message, kind)(markdown_escape(text))
    store = deck_store()
    save_col, open_col = st.columns(2)
    with save_col:
        # no max_chars: the browser would refuse a longer paste whole and in silence, and Save would then
        # write under the name typed before; the limit is said here and what was typed stays in the box
        name = st.text_input("Deck name", key="deck_name", persist_state=KEEP)
        too_long = over_limit("The deck name", clean_text(name or "", 10_000), decks.MAX_NAME, "to save it")
        st.button("Save deck", key="deck_save", disabled=not steps or too_long, on_click=save_deck, args=(steps,))
        st.caption(
            f"Decks are kept in {store.location} (set {decks.DB_ENV}, or {decks.URL_ENV} for a team's PostgreSQL, "
            "to move them); every save is a new version."
        )
    with open_col:
        try:
            names = store.names()
        except decks.StoreUnavailable as exc:  # the page and the editor still work; saving says so too
            names = []
            st.warning(markdown_escape(f"Saved decks cannot be listed just now: {exc}."))
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
        if chosen and names:
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
