"""Browser benchmark (part of `make bench`): the dashboard measured in Debian's Chromium on this machine.

- time to map: from the request of the landing page to the map canvas drawn and the impact panel
  filled: the first load after the server started, the median of later loads in fresh browser contexts
  (empty browser cache, as a new viewer), and the median of reloads in one context (cache warm, as a
  briefer who reopens the page);
- slider to metric: a keyboard move of the outer depth thumb until the new zone area is on screen, over
  10 moves to depths not seen before (median and worst), and until the whole page has settled (the
  script finished and every element, the map included, sent);
- bytes per rerun: WebSocket bytes the server sends the browser for one of those moves (median).

Where the time goes on a machine without a GPU (measured with a Chromium trace): WebGL runs in
SwiftShader, Chromium's software renderer, which compiles a pipeline for each distinct layer set-up
on the first frame (~2.5 s with the map's layers sharing set-ups), and loading and parsing
Streamlit's 3 MB deck.gl bundle takes about 1.5 s more.
"""

from __future__ import annotations

import statistics
import time

from playwright.sync_api import sync_playwright

from bench.harness import CHANGED_JS, CHROMIUM, CHROMIUM_ARGS, IDLE, MAP, ZONE_METRIC_JS, streamlit_server

TARGETS = {"map_s": 3.0, "slider_ms": 500.0, "rerun_bytes": 1_000_000}
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def time_to_map(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(MAP)
    page.wait_for_function(ZONE_METRIC_JS)
    page.evaluate(PAINTED_JS)
    return time.perf_counter() - start


def new_page(browser):
    """A page in a browser context of its own (empty cache, cookies and Streamlit session)."""
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.set_default_timeout(180_000)
    return page


def fresh_load(browser, url: str) -> float:
    page = new_page(browser)
    seconds = time_to_map(page, url)
    page.context.close()
    return seconds


def slider_moves(page, keys: list[str]) -> tuple[list[float], list[float], list[int]]:
    """Press each key on the outer depth thumb; (ms to the new metric, ms to a settled page, bytes received)."""
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.reload()  # so the WebSocket is opened after the listener is attached
    page.wait_for_selector(MAP)
    page.wait_for_selector(IDLE)
    thumb = page.locator("[data-testid=stSlider] input[type=range]").last
    to_metric, to_settled, sizes = [], [], []
    for key in keys:
        page.wait_for_selector(IDLE)
        before = page.evaluate(ZONE_METRIC_JS)
        thumb.focus()
        received.clear()
        start = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(CHANGED_JS, arg=before, polling="raf")
        to_metric.append((time.perf_counter() - start) * 1000)
        page.wait_for_selector(IDLE)
        to_settled.append((time.perf_counter() - start) * 1000)
        sizes.append(sum(received))
    return to_metric, to_settled, sizes


def main() -> None:
    with streamlit_server() as (url, _proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        first = fresh_load(browser, url)
        print(f"  first map in {first:.1f} s", flush=True)
        fresh = [fresh_load(browser, url) for _ in range(5)]
        page = new_page(browser)
        time_to_map(page, url)
        warm = [time_to_map(page, url) for _ in range(5)]
        to_metric, to_settled, sizes = slider_moves(page, ["ArrowRight"] * 10)  # 40 -> 50 km, all new
        browser.close()
    median = statistics.median
    rows = [
        ("time to map, first load after server start", f"{first:.2f} s", first <= TARGETS["map_s"]),
        ("time to map, new viewer (median of 5)", f"{median(fresh):.2f} s", median(fresh) <= TARGETS["map_s"]),
        ("time to map, reload, cache warm (median of 5)", f"{median(warm):.2f} s", median(warm) <= TARGETS["map_s"]),
        (
            "slider to metric on screen (median of 10)",
            f"{median(to_metric):.0f} ms",
            median(to_metric) <= TARGETS["slider_ms"],
        ),
        (
            "slider to metric on screen (worst of 10)",
            f"{max(to_metric):.0f} ms",
            max(to_metric) <= TARGETS["slider_ms"],
        ),
        ("slider to page settled, map sent (median)", f"{median(to_settled):.0f} ms", None),
        (
            "bytes sent per rerun (median of 10)",
            f"{median(sizes) / 1000:.0f} kB",
            median(sizes) <= TARGETS["rerun_bytes"],
        ),
    ]
    print("Browser (Chromium, headless, software WebGL, this machine)")
    for label, shown, met in rows:
        verdict = "" if met is None else "met" if met else "NOT MET"
        print(f"  {label:<48s} {shown:>9s}  {verdict}")


if __name__ == "__main__":
    main()
