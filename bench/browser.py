"""Browser benchmark (part of `make bench`): the dashboard measured in Debian's Chromium on this machine.

- time to map: from the first request of a fresh browser context to the map canvas drawn and the
  impact panel filled (first load after the server started, then the median of later loads);
- slider to metric: a keyboard move of the outer depth thumb until the new zone area is on screen
  (median and worst of 10 moves);
- bytes per rerun: WebSocket bytes the server sends the browser for one slider move (median of the same 10).
"""

from __future__ import annotations

import statistics
import time

from playwright.sync_api import sync_playwright

from bench.harness import CHANGED_JS, CHROMIUM, CHROMIUM_ARGS, IDLE, MAP, ZONE_METRIC_JS, streamlit_server

TARGETS = {"map_s": 3.0, "slider_ms": 500.0, "rerun_bytes": 1_000_000}


def load_map(browser, url: str) -> tuple[float, object]:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(MAP)
    page.wait_for_function(ZONE_METRIC_JS)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # painted
    return time.perf_counter() - start, page


def slider_moves(page, moves: int = 10) -> tuple[list[float], list[int]]:
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.reload()  # so the WebSocket is opened after the listener is attached
    page.wait_for_selector(MAP)
    page.wait_for_selector(IDLE)
    thumb = page.locator("[data-testid=stSlider] input[type=range]").last
    latencies, sizes = [], []
    for i in range(moves):
        print(f"  move {i + 1}/{moves}", flush=True, end="\r")
        page.wait_for_selector(IDLE)
        before = page.evaluate(ZONE_METRIC_JS)
        thumb.focus()
        received.clear()
        start = time.perf_counter()
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(CHANGED_JS, arg=before, polling="raf")
        latencies.append((time.perf_counter() - start) * 1000)
        page.wait_for_selector(IDLE)
        sizes.append(sum(received))
    return latencies, sizes


def main() -> None:
    with streamlit_server() as (url, _proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        first, page = load_map(browser, url)
        print(f"  first map in {first:.1f} s", flush=True)
        page.context.close()
        warm = []
        for _ in range(3):
            seconds, page = load_map(browser, url)
            warm.append(seconds)
            page.context.close()
        _, page = load_map(browser, url)
        latencies, sizes = slider_moves(page)
        browser.close()
    rows = [
        ("time to map, first load after server start", f"{first:.2f} s", TARGETS["map_s"], first),
        (
            "time to map, median of 3 later loads",
            f"{statistics.median(warm):.2f} s",
            TARGETS["map_s"],
            statistics.median(warm),
        ),
        (
            "slider to metric on screen, median of 10",
            f"{statistics.median(latencies):.0f} ms",
            TARGETS["slider_ms"],
            statistics.median(latencies),
        ),
        ("slider to metric on screen, worst of 10", f"{max(latencies):.0f} ms", TARGETS["slider_ms"], max(latencies)),
        (
            "bytes sent per rerun, median of 10",
            f"{statistics.median(sizes) / 1000:.0f} kB",
            TARGETS["rerun_bytes"],
            statistics.median(sizes),
        ),
    ]
    print("Browser (Chromium, headless, this machine)")
    for label, shown, target, value in rows:
        print(f"  {label:<46s} {shown:>10s}  {'met' if value <= target else 'NOT MET'}")


if __name__ == "__main__":
    main()
