"""In real Chromium: the page loads and draws the map, a keyboard slider move updates it, the briefing
pack downloads and opens, and nothing is requested from any host but this machine."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from tests.e2e.conftest import ARTIFACTS, wait_idle

LOCAL = {"127.0.0.1", "localhost", "[::1]", "::1"}


def zone_area(page) -> str:
    return (
        page.locator("[data-testid=stMetric]", has_text="Zone area").locator("[data-testid=stMetricValue]").inner_text()
    )


def assert_only_local(requests):
    outside = [
        u
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in LOCAL
    ]
    assert outside == [], outside


def test_landing_page_draws_the_map_offline(page, server):
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas")
    assert "km²" in zone_area(page)
    page.screenshot(path=str(ARTIFACTS / "landing.png"), full_page=False)
    assert_only_local(page.requests)


def test_keyboard_slider_move_updates_area_and_map(page, server):
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas")
    before = zone_area(page)
    thumbs = page.locator("[data-testid=stSlider] input[type=range]")
    thumbs.last.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(before) => { const el = [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".find(e => e.innerText.includes('Zone area')); return el && !el.innerText.includes(before); }",
        arg=before,
        timeout=120_000,
    )
    wait_idle(page)
    after = zone_area(page)
    assert int(re.sub(r"\D", "", after)) > int(re.sub(r"\D", "", before))
    assert "outer=45" in page.url
    page.screenshot(path=str(ARTIFACTS / "after_slider.png"))
    assert_only_local(page.requests)


def test_briefing_pack_downloads_and_opens_offline(page, server, tmp_path):
    page.goto(f"{server}/briefing")
    wait_idle(page)
    page.get_by_role("button", name="Build the briefing pack").click()
    button = page.get_by_role("button", name="Download briefing.html")
    button.wait_for(timeout=300_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    path = tmp_path / "briefing.html"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Inputs SHA-256" in text
    assert not re.search(r"""(src|href)=["']https?://""", text)  # self-contained
    viewer = page.context.new_page()
    viewer.goto(path.as_uri())
    assert viewer.title() == "NW Syria scenario briefing"
    assert viewer.locator("img").count() >= 9  # 5 maps + 4 charts
    viewer.screenshot(path=str(ARTIFACTS / "briefing_pack.png"))
    assert_only_local(page.requests)
