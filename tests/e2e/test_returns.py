"""In real Chromium: the Returns page opened from a link draws its choropleth, figures and chart, keeps the what-if
in its link, refuses a bad number in plain words with the previous values shown, and asks nothing off the machine."""

from __future__ import annotations

from bench.harness import MAP
from tests.e2e.conftest import ARTIFACTS, block_off_machine, wait_idle
from tests.e2e.test_browser import assert_only_local

PEOPLE = "People settling in the zone"


def test_a_linked_what_if_is_drawn_kept_in_the_link_and_bad_input_keeps_it(page, server):
    blocked = block_off_machine(page)
    page.goto(f"{server}/returns?outer=45&ret_n=2500000&ret_rule=area")
    page.wait_for_selector(MAP)
    wait_idle(page)
    page.get_by_text("2,500,000 people settling in proportion to area in the zone: the zone goes from").wait_for()
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
    assert page.get_by_label(PEOPLE, exact=True).first.input_value() == "2,500,000"
    assert "ret_n=2500000" in page.url and "ret_rule=area" in page.url and "outer=45" in page.url
    page.screenshot(path=str(ARTIFACTS / "returns.png"))

    box = page.get_by_label(PEOPLE, exact=True).first
    box.fill("4000001")
    box.press("Enter")
    page.get_by_text("Not used: 4,000,001 people is outside 0 to 4,000,000").wait_for()
    wait_idle(page)
    page.get_by_text("Showing the previous values: 2,500,000 people settling in proportion to area").wait_for()
    assert "ret_n=2500000" in page.url  # the link still holds the values shown
    assert blocked == []
    assert_only_local(page.requests)
