"""AppTest of the Briefing page: stepping through the sequence, saved decks."""

from __future__ import annotations

from tests.app.apptest import app, linked, opened


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
    from dashboard.ui import deck_panel

    deck_panel.deck_store.clear()
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
    deck_panel.deck_store.clear()


def test_rows_the_editor_hands_back_as_text_are_given_back_in_their_column_types():
    """After every row was deleted and one added, the editor returned dates as text, numbers as text and an
    index of its own; given back as they were, the date column refused them and the page never drew again."""
    import datetime as dt

    import pandas as pd

    from dashboard.ui.sequence_editor import COLUMNS, MONTHS_COLUMNS, RETURNS_COLUMNS, editor_rows, steps_from_table

    no_returns = [None] * (len(RETURNS_COLUMNS) + len(MONTHS_COLUMNS))  # a step without a what-if or months
    returned = pd.DataFrame(
        [["Added", None, "10", "20", "west", "0", "0", "2021-06-01", None, "2020-03-31", *no_returns, "stray"]],
        columns=[*COLUMNS, 0],
        index=[7],
    )
    rows = editor_rows(returned)
    assert list(rows.columns) == list(COLUMNS) and list(rows.index) == [0]
    assert rows.loc[0, "as_of"] == dt.date(2021, 6, 1) and rows.loc[0, "inner_km"] == 10.0
    assert rows.loc[0, "notes"] == ""  # an empty cell, never "nan"
    steps, problems = steps_from_table(returned)
    assert [s.title for s in steps] == ["Added"] and problems == []
    assert steps[0].scenario.events_from == dt.date(2019, 5, 1)  # an empty cell of a later field: its default
    assert steps[0].scenario.events_to == dt.date(2020, 3, 31)
    untitled = pd.DataFrame(
        [[float("nan"), float("nan"), 10, 20, "west", 0, 0, dt.date(2020, 3, 5), None, None, *no_returns]],
        columns=COLUMNS,
    )
    steps, problems = steps_from_table(untitled)
    assert steps == [] and problems == ["row 1: it needs a title"]


def test_a_deck_that_could_not_be_opened_again_is_not_saved(tmp_path):
    from dataclasses import replace

    import pytest

    from dashboard.exchange import decks

    store = decks.DeckStore(tmp_path / "decks.sqlite3")
    steps = decks.default_sequence()
    long_notes = [steps[0], replace(steps[1], notes="L" * 2_100)]
    with pytest.raises(decks.DeckError, match="notes must be text of at most 2000 characters"):
        store.save("Long notes", long_notes)
    with pytest.raises(decks.DeckError, match="51 steps; the limit is 50"):
        store.save("Too long", steps * 10 + steps[:1])
    assert store.names() == []  # nothing half-saved


def test_a_build_click_whose_run_a_page_change_stopped_early_is_said(monkeypatch):
    """The Build click's run stopped by a page change before it drew the Build button (so before the build
    began): on a loaded machine the click was then lost in silence. The click marks the build itself."""
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    from dashboard.ui import exports

    real = exports.over_limit  # drawn above the Build button

    def page_changed_here(*args, **kwargs):
        import streamlit as st

        if st.session_state.get("export_build"):
            raise StopException()  # what Streamlit raises in a run a page change stops
        return real(*args, **kwargs)

    at = app()
    at.switch_page("views/briefing.py").run()
    at.radio(key="export_format").set_value("PDF").run()
    monkeypatch.setattr(exports, "over_limit", page_changed_here)
    at.button(key="export_build").click().run()
    monkeypatch.setattr(exports, "over_limit", real)
    at.run()
    assert any("The PDF build was stopped before it finished" in w.value for w in at.warning)
    at.run()
    assert not any("stopped before it finished" in w.value for w in at.warning)  # said once


def test_slides_are_built_on_the_click_with_progress_and_offered_until_the_inputs_change():
    at = app()
    at.switch_page("views/briefing.py").run()
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Download briefing.pdf")]
    at.radio(key="export_format").set_value("PDF").run()
    at.button(key="export_build").click().run()
    assert not at.exception and not at.error
    offered = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Download briefing.pdf (") for label in offered)
    assert not [b for b in at.button if b.key == "export_build"]  # built and current: nothing to build again
    at.text_input(key="export_classification").set_value("SECRET // REL TEST").run()
    assert any("changed since the last build" in c.value for c in at.caption)
    assert [b for b in at.button if b.key == "export_build"]


def test_the_progress_line_shows_a_title_as_typed_never_as_markdown():
    """A title with Markdown image syntax made the browser fetch the image's address while the slides were built."""
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from dashboard.ui.exports import progress_text

        st.progress(0.5, text=progress_text(0, 5, "![x](http://example.com/x.png) **bold** [l](http://example.com)"))

    at = AppTest.from_function(page).run()
    shown = at.get("progress")[0].proto.text
    assert shown.startswith("Drawing map 1 of 5: ")
    assert "\\!\\[x\\]\\(" in shown and "\\*\\*bold\\*\\*" in shown  # escaped: Markdown draws them as text


def test_a_link_opens_the_presenter_on_its_step_and_the_address_follows_the_step():
    """Issue 27: ?step= was not read, and the address kept a scenario the page did not use."""
    at = opened("views/briefing.py", step="3", inner="20", outer="45")
    assert at.title[0].value.replace("\\", "") == "Moscow protocol: M4 corridor 6 + 6 km"
    assert linked(at) == {"inner": "20", "outer": "45", "step": "3"}
    at.button(key="brief_next").click().run()
    assert linked(at)["step"] == "4"
    at.switch_page("views/scenario.py").run()  # the link's scenario is the briefer's on every page
    assert at.slider(key="depth").value == (20, 45)


def test_a_step_that_is_not_a_number_is_said():
    at = opened("views/briefing.py", step="x")
    assert at.title[0].value == "Proposed 30 km" and any(
        "the step ('x')" in w.value.replace("\\", "") for w in at.warning
    )


def test_a_deck_name_over_the_limit_is_kept_said_and_never_saved_under_another_name(tmp_path, monkeypatch):
    """Issue 27: a 300-character name was refused in silence by the browser (max_chars), and Save then added
    a version to the deck named before."""
    monkeypatch.setenv("NWSYRIA_DECKS_DB", str(tmp_path / "decks.sqlite3"))
    from dashboard.ui import deck_panel

    deck_panel.deck_store.clear()
    at = app()
    at.switch_page("views/briefing.py").run()
    assert not at.text_input(key="deck_name").proto.max_chars  # the browser would refuse a long paste whole
    at.text_input(key="deck_name").set_value("N" * 300).run()
    assert at.text_input(key="deck_name").value == "N" * 300
    assert any("300 characters; the limit is 80" in w.value for w in at.warning)
    assert at.button(key="deck_save").disabled
    assert deck_panel.deck_store().names() == []
    deck_panel.deck_store.clear()


def test_a_deck_title_over_the_limit_is_kept_and_said_not_replaced_by_the_default():
    at = app()
    at.switch_page("views/briefing.py").run()
    assert not at.text_input(key="export_title").proto.max_chars
    at.text_input(key="export_title").set_value("T" * 120).run()
    assert at.text_input(key="export_title").value == "T" * 120
    assert any("120 characters; the limit is 90" in w.value for w in at.warning)
    assert at.button(key="export_build").disabled


def test_a_step_title_or_notes_over_the_limit_are_said():
    from dashboard.exchange import decks
    from dashboard.ui import sequence_editor

    table = sequence_editor.table_of(decks.default_sequence())
    table.loc[0, "title"] = "T" * 150
    table.loc[1, "notes"] = "n" * 2_500
    steps, problems = sequence_editor.steps_from_table(table)
    assert len(steps) == 3 and "over the limit of 120 characters" in problems[0]
    assert "2,500 characters; the limit is 2,000" in problems[1]


def test_an_unreachable_team_database_leaves_the_page_working_and_the_editor_as_it_was(monkeypatch):
    """The team's PostgreSQL is down: the briefing page still draws and steps, the deck list says why it is
    empty, and Save says it cannot save and to try again, with the name and the steps still in the editor."""
    from dashboard.exchange import decks, decks_pg
    from dashboard.ui import deck_panel

    monkeypatch.setattr(decks_pg, "WAIT_S", 0.5)
    monkeypatch.setenv(decks.URL_ENV, "postgresql:///decks?host=/nonexistent-nwsyria-socket-dir")
    deck_panel.deck_store.clear()
    at = app()
    at.switch_page("views/briefing.py").run()
    assert not at.exception
    assert any(
        "Saved decks cannot be listed just now" in w.value and "cannot be reached" in w.value for w in at.warning
    )
    at.text_input(key="deck_name").set_value("Evening brief").run()
    before = [t.value for t in at.title]
    at.button(key="deck_save").click().run()
    (error,) = [e.value.replace("\\", "") for e in at.error]  # shown Markdown-escaped
    assert error.startswith("Not saved: the PostgreSQL database decks on") and "save again in a moment" in error
    assert at.text_input(key="deck_name").value == "Evening brief" and [t.value for t in at.title] == before
    at.button(key="brief_next").click().run()
    assert at.title[0].value == "Proposed 40 km" and not at.exception
    deck_panel.deck_store.clear()


def test_a_step_with_months_shows_their_events_dates_and_posts_in_the_presenter():
    """Issue 30: a deck step carries a run of months (imported from a deck file): the presenter shows the
    scenario over those months, says its events and deaths inside, and lists the source texts' dated events
    that fall in them."""
    import json

    from dashboard.exchange import decks

    steps = decks.default_sequence()[:2]
    doc = json.loads(decks.deck_to_json("Offensive", steps))
    doc["steps"][1]["months"] = {"from": "2019-12", "to": "2020-02"}
    at = app()
    at.switch_page("views/briefing.py").run()
    upload = ("offensive.json", json.dumps(doc).encode(), "application/json")
    at.file_uploader(key="deck_import").set_value(upload).run()
    at.button(key="brief_next").click().run()
    assert at.title[0].value == "Proposed 40 km" and not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "Dec 2019–Feb 2020: " in said and "deaths inside the zone (UCDP GED 21.1); posts as of 29 Feb 2020" in said
    assert "2019-12-19" in said.replace("\\", "") and "2020-02-03" in said.replace("\\", "")  # dated events in the run
    assert "2019-10-09" not in said.replace("\\", "")  # one outside it
    at.button(key="brief_back").click().run()
    assert "posts as of" not in " ".join(m.value for m in at.markdown)  # a step without months says none
