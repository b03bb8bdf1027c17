"""The time control in real Chromium: played from April 2019 to March 2020 with nothing sent by the server while it
plays and each file fetched once, the link carrying the month both ways, a bad month in a link refused with a
warning. Screenshots of several months go to tests/artifacts/ (look at them). Sizes and counts only, no times."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, frame_kind, wait_idle
from tests.e2e.test_speed import received_frames

CONTROL = "iframe[title='dashboard.ui.timeline.time_control']"
READY = "window.timeControl && window.timeControl.ready"
MONTH_IS = "m => window.timeControl && window.timeControl.month === m"
# while it plays, a month may pass between two polls on a busy machine: wait for it to be reached, not to be shown
REACHED = "m => window.timeControl && window.timeControl.month >= m"


def open_control(page, url: str):
    page.goto(url)
    wait_idle(page)
    element = page.wait_for_selector(CONTROL)
    element.scroll_into_view_if_needed()
    frame = element.content_frame()
    frame.wait_for_function(READY)
    wait_idle(page)  # the run that drew the control has finished (an idle page right after goto could be the
    # state before that run began: on a busy machine its last messages then came while the months played)
    return element, frame


def test_playing_april_2019_to_march_2020_draws_each_month_and_the_server_sends_nothing(page, server):
    frames = received_frames(page)
    element, frame = open_control(page, f"{server}/?month=2019-04")
    frame.wait_for_function(MONTH_IS, arg="2019-04")
    element.screenshot(path=str(ARTIFACTS / "timeline-2019-04.png"))
    assert "Apr 2019" in frame.inner_text("#month")
    frame.select_option("#speed", "2")
    fetched = frame.evaluate("window.timeControl.fetched.length")
    assert fetched == 2  # the months' events and the scenario's months, once each
    base_draws, steps = frame.evaluate("[window.timeControl.baseDraws, window.timeControl.steps]")

    # the map's layer files may still be loading on a busy machine: count the time control's own requests
    def own_requests() -> int:
        return sum("/app/static/time-" in u or "time_control" in u for u in page.requests)

    requests_before = own_requests()
    frames.clear()
    frame.click("#play")
    for month in ("2019-08", "2019-12", "2020-02"):
        frame.wait_for_function(REACHED, arg=month)
        shown = frame.evaluate("window.timeControl.month")
        element.screenshot(path=str(ARTIFACTS / f"timeline-playing-{shown}.png"))
    frame.wait_for_function(REACHED, arg="2020-03")
    # counted before the pause: pausing reports the month to the server (the link carries it), which reruns
    # the page, and on a busy machine that run's first messages came before the count
    playing_frames, requests_while_playing = list(frames), own_requests()
    frame.click("#play")  # pause
    played = frame.evaluate(
        "({steps: window.timeControl.steps, base: window.timeControl.baseDraws, month: window.timeControl.month,"
        " fetched: window.timeControl.fetched.length, frames: window.timeControl.frames})"
    )
    assert played["month"] >= "2020-03"  # a step or two may land between the wait and the click
    assert played["steps"] - steps >= 11  # April to March: eleven steps, each drawn
    assert played["base"] == base_draws  # the base map was not drawn again
    assert played["fetched"] == 2 and requests_while_playing == requests_before  # nothing fetched while playing
    assert sum(map(len, playing_frames)) == 0, [frame_kind(f) for f in playing_frames]  # the server sent nothing
    page.wait_for_function("m => location.search.includes('month=' + m)", arg=played["month"])
    element.screenshot(path=str(ARTIFACTS / f"timeline-paused-{played['month']}.png"))
    text = frame.inner_text("#side")
    assert "Posts on" in text and "encircled" in text


def test_the_link_carries_the_month_both_ways(page, server):
    element, frame = open_control(page, f"{server}/?month=2019-12")
    frame.wait_for_function(MONTH_IS, arg="2019-12")
    assert "23 Dec 2019: Surman observation post encircled" in frame.inner_text("#dated")
    slider = frame.locator("#slider")
    slider.focus()
    page.keyboard.press("ArrowRight")  # a move of the slider reports the month: it goes into the link
    frame.wait_for_function(MONTH_IS, arg="2020-01")
    page.wait_for_function("() => location.search.includes('month=2020-01')")
    wait_idle(page)
    url = page.url
    element, frame = open_control(page, url)
    frame.wait_for_function(MONTH_IS, arg="2020-01")
    march = page.url.replace("month=2020-01", "month=2020-03")
    element, frame = open_control(page, march)
    frame.wait_for_function(MONTH_IS, arg="2020-03")
    assert "The March 5 agreement" in frame.inner_text("#dated")


def test_a_month_outside_the_data_in_a_link_is_refused_with_a_warning(page, server):
    _, frame = open_control(page, f"{server}/?month=2023-01")
    assert "the month (month='2023-01') was ignored" in page.inner_text("[data-testid=stMain]")
    frame.wait_for_function(MONTH_IS, arg="2019-05")


def test_a_briefer_chooses_small_multiples_downloads_the_png_and_finds_them_in_the_slides(page, server, tmp_path):
    import io

    from pptx import Presentation

    from dashboard.render import images

    open_control(page, server)
    page.get_by_text("Small multiples for print").click()
    page.get_by_text("quarter", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Draw the PNG").click()
    button = page.get_by_role("button", name="Download small-multiples-2019-04-2020-03-quarter.png")
    with page.expect_download() as download:
        button.click()
    png = (tmp_path / "grid.png").read_bytes() if download.value.save_as(tmp_path / "grid.png") is None else b""
    assert images.png_size(png)[0] > 1000
    page.get_by_role("button", name="Add to the briefing's pack and slides").click()
    page.get_by_text("In the pack and the slides (Briefing page): 2019-04 to 2020-03 by quarter").wait_for()
    page.get_by_role("link", name="Briefing").click()
    wait_idle(page)
    page.get_by_role("button", name="Build the").click()
    built = page.get_by_role("button", name="Download briefing.pptx")
    with page.expect_download() as download:
        built.click()
    download.value.save_as(tmp_path / "b.pptx")
    deck = Presentation(io.BytesIO((tmp_path / "b.pptx").read_bytes()))
    texts = [t.text_frame.text for slide in deck.slides for t in slide.shapes if t.has_text_frame]
    assert "Deaths inside the zone by quarter, Apr 2019–Mar 2020" in texts
