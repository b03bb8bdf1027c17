"""In real Chromium: a briefing survives its audience. Pages visited in any order keep the scenario,
hostile links stay text and reach nothing off the machine, saved decks switch cleanly, and a server
killed mid-briefing shows a banner and brings the page back from its link."""

from __future__ import annotations

import os
import signal
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.harness import CHANGED_JS, IDLE, MAP, ZONE_METRIC_JS, free_port, streamlit_server
from tests.e2e.conftest import ARTIFACTS, after_rerun, block_off_machine, wait_idle, watch_socket

NAV = {
    "landing": "Map & scenario",
    "figures": "Figures & timeline",
    "compare": "Compare",
    "briefing": "Briefing",
    "sources": "Sources & method",
}
CAPTION = "20–45 km band along the whole border"


def go(page, name: str) -> None:
    link = page.locator("[data-testid=stSidebarNav] a", has_text=NAV[name]).first
    shown = urlsplit(page.url).path.strip("/") or "scenario"
    if shown == ("scenario" if name == "landing" else name):  # the page shown: its own link starts no run
        link.click()
        wait_idle(page)
    else:
        after_rerun(page, link.click)
    assert page.locator("[data-testid=stException]").count() == 0, name
    assert page.get_by_text("Something went wrong").count() == 0, name


def slider_values(page) -> list[str]:
    return (
        page.locator("[data-testid=stSlider]")
        .first.locator("input[type=range]")
        .evaluate_all("els => els.map(e => e.value)")
    )


def move_outer_edge(page) -> None:
    """One keyboard step of the outer thumb; waits until the zone area on screen has changed."""
    before = page.evaluate(ZONE_METRIC_JS)
    page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").last.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(CHANGED_JS, arg=before, timeout=600_000)
    wait_idle(page)


def test_a_page_tour_in_several_orders_keeps_the_scenario(page, server):
    page.goto(f"{server}/?inner=20&outer=44&seg=all")
    page.wait_for_selector(MAP)
    wait_idle(page)
    move_outer_edge(page)  # a value the browser set, not the link: the case that once came back as 0–100
    page.get_by_text(CAPTION).first.wait_for()
    # every page, each page after the landing page and the landing page after each, and a page's own link
    # clicked while it is shown (the orders' logic, every page after every other, is tests/app/test_survival.py)
    tours = [
        ["figures", "landing", "compare", "compare", "landing", "briefing", "landing", "sources", "landing"],
        ["landing", "sources", "briefing", "figures", "landing"],
    ]
    for tour in tours:
        for name in tour:
            go(page, name)
            if name == "landing":
                page.wait_for_selector(MAP)
                page.get_by_text(CAPTION).first.wait_for(timeout=600_000)
                query = parse_qs(urlsplit(page.url).query)
                assert (query.get("inner"), query.get("outer"), query.get("seg")) == (["20"], ["45"], ["all"]), page.url
                assert slider_values(page) == ["20", "45"]  # what the browser shows, not only the server
    page.screenshot(path=str(ARTIFACTS / "after_tour.png"))
    move_outer_edge(page)  # and the slider still moves the scenario
    page.get_by_text("20–46 km band along the whole border").first.wait_for()
    assert "outer=46" in page.url


# Several parameters a link: each one's warning is checked in tests/app/test_survival.py; here, that nothing
# on the page the browser draws from them reaches off the machine
HOSTILE = [
    "seg=![](http://evil.invalid/p.png)&corridor=[CLICK HERE](http://evil.invalid)&radius=:red[**URGENT**]"
    "&asof=<img src=http://evil.invalid/i.png>",
    "inner=http://evil.invalid/x&outer=<a href=//evil.invalid>x</a>&seg=<iframe src=//evil.invalid>",
]


def test_markdown_and_links_in_a_link_stay_text_and_reach_nothing_off_the_machine(page, server):
    blocked = block_off_machine(page)
    for query in HOSTILE:
        page.goto(f"{server}/?{query}")
        page.wait_for_selector(MAP)
        wait_idle(page)
        page.locator("[data-testid=stAlert]").nth(query.count("&")).wait_for()  # a warning for each parameter
        offsite = page.evaluate(
            """() => [...document.querySelectorAll('[src],[href]')]
                 .map(e => e.getAttribute('src') || e.getAttribute('href'))
                 .filter(u => /evil|^\\/\\//.test(u))"""
        )
        assert offsite == [], (query, offsite)
        assert page.locator("[data-testid=stAlert] a").count() == 0, query
        assert page.locator("[data-testid=stException]").count() == 0, query
    page.screenshot(path=str(ARTIFACTS / "hostile_link.png"))
    page.goto(f"{server}/?seg=%26lt%3Bb%26gt%3B%20%2A%2Abold%2A%2A")  # "&lt;b&gt; **bold**"
    page.wait_for_selector(MAP)
    wait_idle(page)
    alert = page.locator("[data-testid=stAlert]").first.inner_text()
    assert "&lt;b&gt; **bold**" in alert, alert  # shown as typed: no entity decoded, no bold
    assert blocked == []


def choose(page, label: str, option: str) -> None:
    """Pick an option once the page is idle (a select box re-rendered by a run under the click would not
    open), and wait for the run the choice starts."""
    wait_idle(page)
    page.get_by_label(label).first.click()
    after_rerun(page, page.get_by_role("option", name=option).first.click)


def test_opening_a_saved_deck_after_switching_decks_opens_the_chosen_one(page, server):
    page.goto(f"{server}/briefing")
    wait_idle(page)
    page.get_by_text("Saved decks: save, open, import, export").click()
    name = page.get_by_label("Deck name")
    for deck, saves in (("race one", 1), ("race two", 2)):
        name.fill(deck)
        name.press("Enter")
        wait_idle(page)
        for version in range(1, saves + 1):
            page.get_by_role("button", name="Save deck").click()  # one button: the message above it has a fixed slot
            page.get_by_text(f"Saved {deck} as version {version}.").wait_for(timeout=600_000)
            wait_idle(page)
    choose(page, "Open a saved deck", "race two")
    choose(page, "Version", "1 (saved")
    choose(page, "Open a saved deck", "race one")
    page.locator("[data-testid=stBaseButton-secondary]", has_text="Open").click()
    page.get_by_text("Opened race one, version 1.").wait_for(timeout=600_000)
    assert page.get_by_text("cannot be opened").count() == 0


@pytest.fixture
def restartable(browser, tmp_path):
    """A server of this test's own, on a port it can be started on again after a kill -9."""
    port = free_port()
    env = {"NWSYRIA_DECKS_DB": str(tmp_path / "decks.sqlite3")}
    return port, env


def test_a_killed_server_shows_a_banner_and_the_page_comes_back_from_its_link(browser, restartable):
    port, env = restartable
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(600_000)
    watch_socket(page)
    try:
        with streamlit_server(env=env, port=port) as (url, proc):
            page.goto(f"{url}/?outer=44&corridor=6", timeout=600_000)
            page.wait_for_selector(MAP, timeout=600_000)
            wait_idle(page)
            before = page.evaluate(ZONE_METRIC_JS)  # a rerun first: the watch is sent once and must outlive it
            page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").last.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(CHANGED_JS, arg=before)
            wait_idle(page)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            banner = page.get_by_role("alert").filter(has_text="Connection to the dashboard server lost")
            start = time.monotonic()
            banner.wait_for(state="visible", timeout=600_000)
            shown_after = time.monotonic() - start
            page.screenshot(path=str(ARTIFACTS / "server_lost.png"))
        with streamlit_server(env=env, port=port):
            banner.wait_for(state="hidden", timeout=600_000)  # the server answers: the page reloads from its link
            page.wait_for_selector(IDLE, timeout=600_000)
            page.get_by_text("30–45 km band along the border west of the Euphrates; M4 corridor 6 km").first.wait_for(
                timeout=600_000
            )
            page.wait_for_selector(MAP, timeout=600_000)
            assert "outer=45" in page.url and "corridor=6" in page.url
            page.screenshot(path=str(ARTIFACTS / "server_back.png"))
    finally:
        context.close()
    assert shown_after < 30
