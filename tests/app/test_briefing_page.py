"""AppTest of the Briefing page: stepping through the sequence, saved decks."""

from __future__ import annotations

from tests.app.apptest import app


def test_briefing_steps_forward_and_back():
    at = app()
    at.switch_page("views/briefing.py").run()
    assert at.title[0].value == "Proposed 30 km"
    at.button(key="brief_next").click().run()
    assert at.title[0].value == "Proposed 40 km"
    at.button(key="brief_back").click().run()
    assert at.title[0].value == "Proposed 30 km"


def test_decks_save_reopen_and_import_with_validation(tmp_path, monkeypatch):
    monkeypatch.setenv("NWSYRIA_DECKS_DB", str(tmp_path / "decks.sqlite3"))
    from dashboard.ui import cache

    cache.deck_store.clear()
    at = app()
    at.switch_page("views/briefing.py").run()
    at.text_input(key="deck_name").set_value("Morning brief").run()
    at.button(key="deck_save").click().run()
    assert any("version 1" in s.value for s in at.success)
    at.button(key="deck_save").click().run()
    assert any("version 2" in s.value for s in at.success)
    at.selectbox(key="deck_open").set_value("Morning brief").run()
    at.selectbox(key="deck_open_version").set_value(1).run()
    at.button(key="deck_load").click().run()
    assert any("Opened Morning brief, version 1" in s.value for s in at.success)
    at.file_uploader(key="deck_import").set_value(("deck.json", b'{"format": "x"}', "application/json")).run()
    assert any("not a briefing deck" in e.value for e in at.error)
    assert at.title[0].value == "Proposed 30 km" and not at.exception
    cache.deck_store.clear()
