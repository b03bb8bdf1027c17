"""Browser benchmark (part of `make bench`): the dashboard beside its floors, in Debian's Chromium.

The floor (``bench/floor.py``) is the cheapest Streamlit page with the landing page's first screen: the
same range slider, one metric and a one-point ``pdk.Deck(map_provider=None)``. The shaped floor
(``bench/floor_shaped.py``) has the landing page's elements (kinds, number, layout, and the map's four
set-ups) with trivial content and no computation: what a page of this shape costs in Streamlit and the
browser. The three servers run at once and are measured in turn, three rounds (each round in another
order), so a noisy machine slows all alike; the verdicts are on the ratios to the floor, and the ratios to
the shaped floor say how much of the rest is the dashboard's own work. Per round and page:

- time to map: a new viewer (a browser context of its own, empty cache) from the request to the metric
  on screen and the map canvas drawn (two animation frames after both are there);
- slider to metric: a keyboard move of the outer depth thumb until the new zone area is on screen, over
  10 moves to depths no one has asked for before on this server (the rounds start at 40, 55 and 70 km);
- slider to map: the same moves until the script has finished (every element, the map included, sent)
  and two frames are painted;
- bytes per step: WebSocket bytes the browser received for one move;
- server CPU per step: the server process's user + system CPU for one move (Linux /proc);
- back to a seen depth: 5 moves back over depths the round has just shown (server CPU and bytes).

Each figure is the median of the round's moves; the table gives the median of the three rounds and
their spread (lowest–highest).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, field

from playwright.sync_api import sync_playwright

from bench.harness import (
    CHANGED_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    MAP,
    ROOT,
    ZONE_METRIC_JS,
    cpu_seconds,
    many_polygons_geojson,
    streamlit_server,
)

ROUNDS = 3
MOVES = 10
BACK = 5
ROUND_START_KM = (40, 55, 70)  # the dashboard's outer depth at the start of each round: every move is new
UPLOAD_START_KM = 15  # the upload round's moves (15 -> 20 km) are new depths too
UPLOAD_MOVES = 5
UPLOAD_RATIO_TARGET = 2.0  # a move with a 5,000-polygon upload, against one without
RATIO_TARGET = 1.5  # time to map and slider to metric, dashboard / floor
BYTES_TARGET = 40_000
CPU_TARGET_MS = 50.0
SHAPED = "shaped floor"
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@dataclass
class Round:
    """One page's figures in one round."""

    map_s: float = 0.0
    to_metric: list[float] = field(default_factory=list)
    to_map: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    back_sizes: list[int] = field(default_factory=list)
    back_cpu_ms: list[float] = field(default_factory=list)


def new_page(browser):
    """A page in a browser context of its own (empty cache, cookies and Streamlit session)."""
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.set_default_timeout(180_000)
    return page


def time_to_map(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(MAP)
    page.wait_for_function(ZONE_METRIC_JS)
    page.evaluate(PAINTED_JS)
    return time.perf_counter() - start


def move(page, pid: int, key: str, received: list[int]) -> tuple[float, float, int, float]:
    """Press ``key`` on the outer depth thumb: (ms to the new metric, ms to the map sent and painted,
    bytes received, server CPU ms)."""
    page.wait_for_selector(IDLE)
    before = page.evaluate(ZONE_METRIC_JS)
    page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").last.focus()
    received.clear()
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(CHANGED_JS, arg=before, polling="raf")
    to_metric = (time.perf_counter() - start) * 1000
    page.wait_for_selector(IDLE)
    page.evaluate(PAINTED_JS)
    to_map = (time.perf_counter() - start) * 1000
    return to_metric, to_map, sum(received), (cpu_seconds(pid) - cpu) * 1000


def watched_page(browser) -> tuple:
    """A new viewer's page and the sizes of the WebSocket frames it receives (cleared by :func:`move`)."""
    page = new_page(browser)
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    return page, received


def moves_forward(out: Round, page, pid: int, received: list[int], count: int) -> None:
    """``count`` moves of the outer thumb to depths not asked for before, each recorded in ``out``."""
    for _ in range(count):
        to_metric, to_map, size, cpu = move(page, pid, "ArrowRight", received)
        out.to_metric.append(to_metric)
        out.to_map.append(to_map)
        out.sizes.append(size)
        out.cpu_ms.append(cpu)


def one_round(browser, url: str, pid: int) -> Round:
    out = Round()
    page, received = watched_page(browser)
    out.map_s = time_to_map(page, url)
    page.wait_for_selector(IDLE)
    moves_forward(out, page, pid, received, MOVES)
    for _ in range(BACK):
        _, _, size, cpu = move(page, pid, "ArrowLeft", received)
        out.back_sizes.append(size)
        out.back_cpu_ms.append(cpu)
    page.context.close()
    return out


def upload_round(browser, url: str, pid: int, path: str) -> Round:
    """The dashboard with a 5,000-polygon upload (~18 MB): moves to new depths, as in :func:`one_round`."""
    out = Round()
    page, received = watched_page(browser)
    page.goto(url)
    page.wait_for_selector(MAP)
    page.wait_for_selector(IDLE)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(path)
    page.get_by_text("Your layer in the zone").first.wait_for()
    page.wait_for_selector(IDLE)
    moves_forward(out, page, pid, received, UPLOAD_MOVES)
    page.context.close()
    return out


def summary(values: list[float]) -> tuple[float, float, float]:
    """Median of the rounds, with their lowest and highest."""
    return statistics.median(values), min(values), max(values)


def main() -> None:
    median = statistics.median
    with (
        streamlit_server() as (dash_url, dash),
        streamlit_server(script=ROOT / "bench" / "floor.py") as (floor_url, floor),
        streamlit_server(script=ROOT / "bench" / "floor_shaped.py") as (shaped_url, shaped),
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        pages = [("dashboard", dash_url, dash.pid), ("floor", floor_url, floor.pid), (SHAPED, shaped_url, shaped.pid)]
        first = ", ".join(f"{name} {time_to_map(new_page(browser), url):.1f} s" for name, url, _ in pages)
        print(f"  first map after server start: {first}")
        rounds: dict[str, list[Round]] = {name: [] for name, _, _ in pages}
        for r in range(ROUNDS):
            for name, url, pid in pages[r % len(pages) :] + pages[: r % len(pages)]:  # each page goes first once
                if name == "dashboard":
                    url = f"{url}/?outer={ROUND_START_KM[r]}"
                rounds[name].append(one_round(browser, url, pid))
                print(f"  round {r + 1} {name}: done", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            path = f"{tmp}/sites.geojson"
            with open(path, "wb") as fh:
                fh.write(many_polygons_geojson())
            uploaded = upload_round(browser, f"{dash_url}/?inner=0&outer={UPLOAD_START_KM}", dash.pid, path)
        print("  upload round: done", flush=True)
        browser.close()

    def figure(name: str, read) -> tuple[float, float, float]:
        return summary([read(x) for x in rounds[name]])

    rows = [
        ("time to map, new viewer (s)", lambda x: x.map_s, "{:.2f}", RATIO_TARGET, None),
        ("slider to metric (ms)", lambda x: median(x.to_metric), "{:.0f}", RATIO_TARGET, None),
        ("slider to map sent and painted (ms)", lambda x: median(x.to_map), "{:.0f}", None, None),
        ("bytes per step (kB)", lambda x: median(x.sizes) / 1000, "{:.1f}", None, BYTES_TARGET / 1000),
        ("server CPU per step (ms)", lambda x: median(x.cpu_ms), "{:.0f}", None, CPU_TARGET_MS),
        ("back to a seen depth: bytes (kB)", lambda x: median(x.back_sizes) / 1000, "{:.1f}", None, None),
        ("back to a seen depth: server CPU (ms)", lambda x: median(x.back_cpu_ms), "{:.0f}", None, None),
    ]
    print(f"Browser: dashboard beside the floor pages, {ROUNDS} rounds in turn (median, lowest–highest)")
    head = f"  {'figure':<40s} {'dashboard':>22s} {'floor':>22s} {'ratio':>6s} {'shaped floor':>22s} {'ratio':>6s}"
    print(f"{head}  verdict")
    for label, read, fmt, ratio_target, absolute_target in rows:
        dash_fig, floor_fig, shaped_fig = (figure(name, read) for name in ("dashboard", "floor", SHAPED))

        def shown(fig, fmt=fmt):
            return f"{fmt.format(fig[0])} ({fmt.format(fig[1])}–{fmt.format(fig[2])})"

        ratio = dash_fig[0] / floor_fig[0] if floor_fig[0] else float("nan")
        to_shaped = dash_fig[0] / shaped_fig[0] if shaped_fig[0] else float("nan")
        verdict = ""
        if ratio_target is not None:
            verdict = f"{'met' if ratio <= ratio_target else 'NOT MET'} (≤ {ratio_target}× the floor)"
        elif absolute_target is not None:
            verdict = f"{'met' if dash_fig[0] <= absolute_target else 'NOT MET'} (≤ {absolute_target:g})"
        print(
            f"  {label:<40s} {shown(dash_fig):>22s} {shown(floor_fig):>22s} {ratio:>5.2f}× "
            f"{shown(shaped_fig):>22s} {to_shaped:>5.2f}×  {verdict}"
        )
    without = figure("dashboard", lambda x: median(x.to_metric))[0]
    print(f"With a 5,000-polygon upload ({UPLOAD_MOVES} moves to new depths; against the dashboard without it above)")
    for label, values, base in (
        ("slider to metric (ms)", uploaded.to_metric, without),
        ("slider to map sent and painted (ms)", uploaded.to_map, figure("dashboard", lambda x: median(x.to_map))[0]),
        ("server CPU per step (ms)", uploaded.cpu_ms, figure("dashboard", lambda x: median(x.cpu_ms))[0]),
        (
            "bytes per step (kB)",
            [v / 1000 for v in uploaded.sizes],
            figure("dashboard", lambda x: median(x.sizes))[0] / 1000,
        ),
    ):
        ratio = median(values) / base
        verdict = f"{'met' if ratio <= UPLOAD_RATIO_TARGET else 'NOT MET'} (≤ {UPLOAD_RATIO_TARGET}× without)"
        print(f"  {label:<40s} {median(values):>10.0f} ({min(values):.0f}–{max(values):.0f}) {ratio:>5.2f}×  {verdict}")


if __name__ == "__main__":
    from bench import live

    main()
    live.main()  # the landing page's live view: drag, time to map, release, bytes, click to card (bench/live.py)
