"""The time control while it plays, in headless Chromium without a GPU: frames per second beside a floor measured
in the same frame of the same page (the same requestAnimationFrame loop drawing nothing), the time to draw a
step, what is fetched (once) and what the server sends per step while playing and per slider step.

    .venv/bin/python -m bench.timeline [--port N]
"""

from __future__ import annotations

import argparse
import statistics

from bench.harness import CHROMIUM, CHROMIUM_ARGS, IDLE, streamlit_server

CONTROL = "iframe[title='dashboard.ui.timeline.time_control']"
FLOOR_JS = """ms => new Promise(done => {
  let frames = 0; const start = performance.now();
  const tick = now => {
    frames += 1;
    if (now - start < ms) requestAnimationFrame(tick); else done(frames * 1000 / (now - start));
  };
  requestAnimationFrame(tick);
})"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--speed", default="4", help="months a second while playing")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with streamlit_server(port=args.port) as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.set_default_timeout(900_000)
        frames: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(len(p))))
        fetched: dict[str, int] = {}

        def on_response(response):
            if "/app/static/time-" in response.url:
                fetched[response.url] = len(response.body())

        page.on("response", on_response)
        page.goto(f"{url}/?month=2017-01")
        page.wait_for_selector(IDLE)
        element = page.wait_for_selector(CONTROL)
        element.scroll_into_view_if_needed()
        frame = element.content_frame()
        frame.wait_for_function("window.timeControl && window.timeControl.ready")
        floor = frame.evaluate(FLOOR_JS, 3000)
        frame.select_option("#speed", args.speed)
        frames.clear()
        before = frame.evaluate("[window.timeControl.frames, window.timeControl.steps, performance.now()]")
        frame.click("#play")
        frame.wait_for_function("window.timeControl.month === '2020-12'")
        after = frame.evaluate("[window.timeControl.frames, window.timeControl.steps, performance.now()]")
        playing_bytes = sum(frames)
        step_ms = frame.evaluate("window.timeControl.stepMs")
        fps = (after[0] - before[0]) * 1000 / (after[2] - before[2])
        steps = after[1] - before[1]
        page.wait_for_selector(IDLE)  # the pause at the end reports the month: one rerun
        frames.clear()
        frame.locator("#slider").focus()
        page.keyboard.press("ArrowLeft")
        frame.wait_for_function("window.timeControl.month === '2020-11'")
        page.wait_for_function("() => location.search.includes('month=2020-11')")
        page.wait_for_selector(IDLE)
        slider_bytes = sum(frames)
        browser.close()
    print(
        f"frames per second while playing: {fps:.1f} (floor, the same loop drawing nothing: {floor:.1f}; "
        f"ratio {fps / floor:.2f})"
    )
    print(
        f"steps drawn: {steps} at {args.speed} months/s; draw time per step: median "
        f"{statistics.median(step_ms):.1f} ms, max {max(step_ms):.1f} ms"
    )
    print(f"bytes from the server while playing: {playing_bytes} ({playing_bytes / max(steps, 1):.0f} per step)")
    print(
        f"files fetched (once each): {len(fetched)}, {sum(fetched.values()):,} bytes: "
        + ", ".join(f"{u.rsplit('/', 1)[1].rsplit('-', 1)[0]} {n:,}" for u, n in fetched.items())
    )
    print(f"a slider step (reports the month; the page reruns once): {slider_bytes:,} bytes over the WebSocket")


if __name__ == "__main__":
    main()
