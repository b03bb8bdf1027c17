"""AppTest: the app survives a briefing. Page round trips keep the scenario, odd links stay plain text,
future dates are refused at one shared limit, saved decks switch cleanly."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest

from bench.harness import big_polygon_geojson
from dashboard.model.scenario import AS_OF_MAX
from tests.app.apptest import app, metric

LANDING = "views/scenario.py"
OTHERS = ["views/figures.py", "views/compare.py", "views/briefing.py", "views/sources.py"]


def no_failure(at) -> None:
    assert not at.exception
    assert not at.error, [e.value for e in at.error]


def test_page_tour_in_several_orders_keeps_the_scenario():
    at = app(inner="20", outer="45", seg="all", corridor="6", asof="2019-09-01")
    caption = at.caption[0].value
    area = metric(at, "Zone area (0–outer)")
    assert "20–45 km band along the whole border" in caption
    for order in [OTHERS, OTHERS[::-1], [OTHERS[1], OTHERS[0], OTHERS[1]]]:
        for page in order:
            at.switch_page(page).run()
            no_failure(at)
            at.query_params.clear()  # a navigation link carries no scenario: the session must
            at.switch_page(LANDING).run()
            no_failure(at)
            assert at.caption[0].value == caption
            assert metric(at, "Zone area (0–outer)") == area
            assert at.slider(key="depth").value == (20, 45)
            assert {k: at.query_params[k] for k in ("inner", "outer", "seg")} in (
                {"inner": "20", "outer": "45", "seg": "all"},
                {"inner": ["20"], "outer": ["45"], "seg": ["all"]},
            )


def test_a_moved_slider_survives_a_round_trip_and_so_do_compare_and_briefing_edits():
    at = app()
    at.slider(key="depth").set_value((10, 60)).run()
    at.switch_page("views/compare.py").run()
    at.slider(key="a_depth").set_value((5, 15)).run()
    at.switch_page("views/briefing.py").run()
    at.toggle(key="presenter").set_value(False).run()
    at.text_input(key="deck_name").set_value("Round trip").run()
    for page in ["views/sources.py", LANDING, "views/compare.py", "views/briefing.py"]:
        at.switch_page(page).run()
        no_failure(at)
    assert at.toggle(key="presenter").value is False
    assert at.text_input(key="deck_name").value == "Round trip"
    at.switch_page("views/compare.py").run()
    assert at.slider(key="a_depth").value == (5, 15)
    at.switch_page(LANDING).run()
    assert at.slider(key="depth").value == (10, 60)


@pytest.mark.parametrize("day", ["2031-06-01", "2099-01-01", (AS_OF_MAX + dt.timedelta(days=1)).isoformat()])
def test_a_date_after_the_shared_limit_warns_and_the_page_keeps_working(day):
    at = app(asof=day)
    no_failure(at)
    assert any("asof" in w.value for w in at.warning)
    assert at.date_input(key="as_of").value <= AS_OF_MAX
    at.slider(key="depth").set_value((0, 50)).run()  # every later rerun works too
    no_failure(at)


@pytest.mark.parametrize("day", ["2026-12-01", AS_OF_MAX.isoformat()])
def test_a_future_date_up_to_the_shared_limit_is_accepted_everywhere(day):
    """A date after today (the picker once stopped there and the page failed on every rerun)."""
    at = app(asof=day)
    no_failure(at)
    assert not at.warning
    assert at.date_input(key="as_of").value.isoformat() == day
    at.slider(key="depth").set_value((0, 50)).run()
    no_failure(at)


HOSTILE = {
    "seg": "![](http://evil.invalid/p.png)",
    "corridor": "[CLICK HERE](http://evil.invalid)",
    "radius": ":red[**URGENT**]",
    "asof": "<img src=x onerror=alert(1)>",
    "inner": "http://evil.invalid/x",
}


@pytest.mark.parametrize(("key", "value"), HOSTILE.items())
def test_markdown_and_links_in_a_parameter_are_shown_as_plain_text(key, value):
    at = app(**{key: value})
    no_failure(at)
    (warning,) = at.warning
    unescaped = re.findall(r"(?<!\\)[\[\]()<>:!*]", warning.value)
    assert unescaped == [], warning.value  # every Markdown character escaped: shown as typed, never rendered


def test_the_band_from_a_link_with_fractions_inside_one_km_is_kept():
    at = app(inner="29.6", outer="29.9")
    no_failure(at)
    assert not at.info and not at.warning
    assert "29.6–29.9 km band" in at.caption[0].value


def test_opening_a_deck_after_switching_decks_opens_the_chosen_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NWSYRIA_DECKS_DB", str(tmp_path / "decks.sqlite3"))
    from dashboard.ui import deck_panel

    deck_panel.deck_store.clear()
    at = app()
    at.switch_page("views/briefing.py").run()
    for name in ("race one", "race two"):
        at.text_input(key="deck_name").set_value(name).run()
        at.button(key="deck_save").click().run()
    at.button(key="deck_save").click().run()  # race two has versions 1 and 2
    at.selectbox(key="deck_open").set_value("race two").run()
    at.selectbox(key="deck_open_version").set_value(2).run()
    at.selectbox(key="deck_open").set_value("race one").run()
    at.button(key="deck_load").click().run()
    assert any("Opened race one, version 1" in s.value for s in at.success), [e.value for e in at.error]
    deck_panel.deck_store.clear()


def test_the_first_save_under_a_name_someone_else_saved_is_told_so(tmp_path, monkeypatch):
    monkeypatch.setenv("NWSYRIA_DECKS_DB", str(tmp_path / "decks.sqlite3"))
    from dashboard.exchange import decks
    from dashboard.ui import deck_panel

    deck_panel.deck_store.clear()
    decks.DeckStore(tmp_path / "decks.sqlite3").save("Shared", decks.default_sequence())  # another session
    at = app()
    at.switch_page("views/briefing.py").run()
    at.text_input(key="deck_name").set_value("Shared").run()
    at.button(key="deck_save").click().run()
    (warning,) = at.warning
    assert "version 2" in warning.value and "version 1" in warning.value
    deck_panel.deck_store.clear()


def test_a_user_layer_table_neutralises_spreadsheet_formulas():
    rows = ['"=HYPERLINK(""http://x"",""y"")"', "\"+cmd|' /C calc'!A0\"", "@SUM(A1)", "-2+3", "Atmeh"]
    body = "name,latitude,longitude\n" + "".join(f"{r},36.31,36.68\n" for r in rows)
    at = app()
    at.file_uploader(key="user_upload").set_value(("camps.csv", body.encode(), "text/csv")).run()
    no_failure(at)
    labels = list(at.dataframe[0].value["label"])
    assert labels[:4] == ['\'=HYPERLINK("http://x","y")', "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'-2+3"]
    assert labels[4] == "Atmeh"
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in labels)


def test_every_page_in_every_pairwise_order_renders():
    at = app(outer="50")
    for a, b in itertools.permutations([LANDING, *OTHERS], 2):
        at.switch_page(a).run()
        no_failure(at)
        at.switch_page(b).run()
        no_failure(at)
    at.switch_page(LANDING).run()
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
    assert at.slider(key="depth").value == (30, 50)


def resident_mb() -> float:
    import os

    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="resident memory is read from /proc")
def test_a_large_upload_is_simplified_and_its_memory_released():
    data = big_polygon_geojson()
    assert 15e6 < len(data) < 20e6
    at = app()
    before = resident_mb()
    at.file_uploader(key="user_upload").set_value(("big.geojson", data, "application/geo+json")).run()
    no_failure(at)
    at.slider(key="depth").set_value((0, 20)).run()  # a move with the layer costs no new parse
    no_failure(at)
    held = resident_mb() - before
    assert held < 100, f"{held:.0f} MB still held after reading one large upload"
    assert any("simplified" in i.value for i in at.info)
    assert metric(at, "Your layer in the zone") == "1 of 1"


def test_a_failing_callback_gives_a_message_not_a_traceback(monkeypatch):
    from dashboard.exchange import decks

    def broken(data):
        raise RuntimeError("an unforeseen failure")

    monkeypatch.setattr(decks, "deck_from_json", broken)
    at = app()
    at.switch_page("views/briefing.py").run()
    at.file_uploader(key="deck_import").set_value(("deck.json", b"{}", "application/json")).run()
    assert not at.exception
    assert any("did not complete; nothing was changed" in e.value for e in at.error)
    assert at.title[0].value == "Proposed 30 km"  # the sequence is untouched
