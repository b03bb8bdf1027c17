"""Load benchmark (`make bench-load`): concurrent browser sessions moving the sliders against one server.

Each session is its own Playwright context (cookies, WebSocket and Streamlit session of its own) in one
headless Chromium; all run at once. Reported: errors (a timeout, an exception on the page, or a metric
that never updated), the time from each slider move to the updated zone area on screen (p50, p95), and
the server's resident memory before and after, per session. The server's CPU time during the run says
how much of the latency is the server's: on a small machine the browsers themselves (each rendering
WebGL in software when there is no GPU) take most of the cores.

Every fifth move a session also tours the pages (Figures, then back to the map) and checks that the
landing page shows the same scenario. Then four sessions upload an ~18 MB, 900,000-vertex polygon at
once; the server's peak memory during the uploads and its memory after the sessions have closed are
reported against the targets (peak ≤ 1.2 GB, released to within 50 MB of the start).

``--team`` (the second half of `make bench-load`): the team set-up of bench/team.py (PostgreSQL, two app
servers, HAProxy). The same sessions (default 20, each 20 moves with its tours, then 20 saves of one deck
that all sessions save at once) first on one of the servers directly, then through the proxy on both; per
configuration: errors, move and save latency (p50, p95), the app servers' CPU per move, and at the end
whether PostgreSQL holds every version, none missing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time

from playwright.async_api import async_playwright

from bench.harness import (
    CHANGED_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    MAP,
    ROOT,
    ZONE_METRIC_JS,
    big_polygon_geojson,
    cpu_seconds,
    rss_mb,
    streamlit_server,
)

MEMORY_TARGET_MB = 50.0
ARTIFACTS = ROOT / "tests" / "artifacts"
UPLOAD_PEAK_TARGET_MB = 1200.0
UPLOAD_RELEASE_TARGET_MB = 50.0  # issue 27: memory back within 50 MB of its level before the uploads
CLEANUP_WAIT_S = 140  # Streamlit's disconnectedSessionTTL (120 s) and a margin
CAPTION_JS = "() => document.querySelector('[data-testid=stCaptionContainer]')?.innerText"


async def tour(page, who: int, move: int, errors: list) -> None:
    """Leave the map for another page and come back: the scenario must be the same."""
    before = await page.evaluate(CAPTION_JS)
    for name in ("Figures & timeline", "Map & scenario"):
        await page.locator("[data-testid=stSidebarNav] a", has_text=name).first.click()
        await page.wait_for_timeout(300)
        await page.wait_for_selector(IDLE)
    await page.wait_for_selector(MAP)
    after = await page.evaluate(CAPTION_JS)
    if after != before or await page.locator("[data-testid=stException]").count():
        errors.append(f"session {who} tour after move {move}: {before!r} became {after!r}")


SAVED_JS = """([deck, before]) => { const el = [...document.querySelectorAll('[data-testid=stAlert]')]
  .find(e => e.innerText.includes('Saved ' + deck + ' as version') || e.innerText.includes('Not saved'));
  return el && el.innerText !== before ? el.innerText : null; }"""


async def save_decks(page, deck: str, saves: int, save_latencies: list, errors: list, who: int) -> None:
    """On the Briefing page, save ``deck`` ``saves`` times (every session saves the same deck at once): the
    time from the click to the message saying which version it became."""
    await page.locator("[data-testid=stSidebarNav] a", has_text="Briefing").first.click()
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE)
    await page.get_by_text("Saved decks: save, open, import, export").click()
    box = page.get_by_label("Deck name")
    await box.fill(deck)
    await box.press("Enter")
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE)
    before = ""
    for i in range(saves):
        start = time.perf_counter()
        await page.get_by_role("button", name="Save deck").click()
        handle = await page.wait_for_function(SAVED_JS, arg=[deck, before], timeout=120_000)
        text = await handle.json_value()
        if "Not saved" in text:
            errors.append(f"session {who} save {i + 1}: {text[:100]}")
        else:
            save_latencies.append((time.perf_counter() - start) * 1000)
        before = text
        await page.wait_for_selector(IDLE)


async def session(
    browser,
    url: str,
    moves: int,
    latencies: list,
    errors: list,
    who: int,
    saves: int = 0,
    save_latencies: list | None = None,
    servers: list | None = None,
) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(300_000)
    try:
        await page.goto(url)
        await page.wait_for_selector(MAP)
        await page.wait_for_selector(IDLE)
        thumb = page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").last
        for i in range(moves):
            before = await page.evaluate(ZONE_METRIC_JS)
            await thumb.focus()
            start = time.perf_counter()
            await page.keyboard.press("ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft")
            try:
                await page.wait_for_function(CHANGED_JS, arg=before, timeout=120_000)
            except Exception as exc:  # noqa: BLE001 - a move that never shows is an error, not a crash
                errors.append(f"session {who} move {i + 1}: {type(exc).__name__}")
                continue
            latencies.append((time.perf_counter() - start) * 1000)
            await page.wait_for_selector(IDLE)
            if i % 5 == 4:
                await tour(page, who, i + 1, errors)
        if saves:
            await save_decks(page, "Load test", saves, save_latencies, errors, who)
        if await page.locator("[data-testid=stException]").count():
            errors.append(f"session {who}: exception shown on the page")
        if servers is not None:  # which app server the proxy pinned this session to
            servers.extend(c["value"] for c in await context.cookies() if c["name"] == "NWSYRIA_SERVER")
            print(f"session {who} done ({len(errors)} errors so far)", file=sys.stderr, flush=True)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"session {who}: {type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await context.close()


async def upload_session(browser, url: str, path: str, errors: list, who: int) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(180_000)
    try:
        await page.goto(url)
        await page.wait_for_selector(IDLE)
        await page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(path)
        await page.get_by_text("Your layer in the zone").first.wait_for()
        await page.get_by_text("simplified to about 50 m").first.wait_for()
    except Exception as exc:  # noqa: BLE001
        errors.append(f"upload session {who}: {type(exc).__name__}: {str(exc)[:120]}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"bench_upload_{who}.png"))  # what the page showed instead
    finally:
        await context.close()


async def large_uploads(browser, url: str, pid: int, count: int) -> tuple[float, float, float, list]:
    """``count`` sessions upload the big polygon at once: server RSS at the start, its peak, and after."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/big.geojson"
        with open(path, "wb") as fh:
            fh.write(big_polygon_geojson())
        start = rss_mb(pid)
        peak = start
        errors: list[str] = []
        uploads = asyncio.gather(*(upload_session(browser, url, path, errors, k + 1) for k in range(count)))
        while not uploads.done():
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(0.1)
        await uploads
        # A closed session (and its uploaded file) is kept for server.disconnectedSessionTTL (120 s) so that
        # a viewer whose network blinks gets it back: memory is read after that grace period.
        await asyncio.sleep(15)
        soon = rss_mb(pid)
        await asyncio.sleep(CLEANUP_WAIT_S - 15)
        return start, peak, soon, rss_mb(pid), errors


async def run(sessions: int, moves: int, uploads: int) -> None:
    with streamlit_server() as (url, proc):
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            warm: list = []
            await session(browser, url, 2, warm, [], 0)  # caches filled, as on a server that has been up
            before = rss_mb(proc.pid)
            cpu_before = cpu_seconds(proc.pid)
            latencies: list[float] = []
            errors: list[str] = []
            start = time.perf_counter()
            await asyncio.gather(*(session(browser, url, moves, latencies, errors, k + 1) for k in range(sessions)))
            wall = time.perf_counter() - start
            after = rss_mb(proc.pid)
            server_cpu = cpu_seconds(proc.pid) - cpu_before
            upload_figures = await large_uploads(browser, url, proc.pid, uploads) if uploads else None
            await browser.close()
    q = statistics.quantiles(latencies, n=20) if len(latencies) >= 2 else [float("nan")] * 19
    growth = (after - before) / sessions
    print(f"Load: {sessions} concurrent Chromium sessions × {moves} slider moves, one server ({wall:.0f} s)")
    print(f"  errors                                   {len(errors):>8d}  {'met' if not errors else 'NOT MET'}")
    for line in errors[:10]:
        print(f"    {line}")
    print(f"  moves measured                           {len(latencies):>8d}")
    print(f"  slider to metric, p50                    {statistics.median(latencies):>7.0f} ms")
    print(f"  slider to metric, p95                    {q[18]:>7.0f} ms")
    cores = os.cpu_count() or 1
    share = server_cpu / (wall * cores)
    print(f"  server CPU during the run                {server_cpu:>7.0f} s  ({share:.0%} of {cores} cores)")
    print(f"  server CPU per slider move               {1000 * server_cpu / max(len(latencies), 1):>7.0f} ms")
    print(f"  server RSS before / after                {before:>5.0f} / {after:.0f} MB")
    verdict = "met" if growth <= MEMORY_TARGET_MB else "NOT MET"
    print(f"  memory growth per session                {growth:>6.1f} MB  {verdict}")
    if upload_figures:
        start_mb, peak_mb, soon_mb, after_mb, upload_errors = upload_figures
        print(f"Large uploads: {uploads} sessions at once, each an ~18 MB polygon of 900,000 vertices")
        verdict = "met" if not upload_errors else "NOT MET"
        print(f"  errors                                   {len(upload_errors):>8d}  {verdict}")
        for line in upload_errors[:10]:
            print(f"    {line}")
        verdict = "met" if peak_mb <= UPLOAD_PEAK_TARGET_MB else "NOT MET"
        print(f"  server RSS start / peak                  {start_mb:>5.0f} / {peak_mb:.0f} MB  {verdict} (≤ 1200)")
        print(f"  server RSS 15 s after the sessions closed {soon_mb:>6.0f} MB  (+{soon_mb - start_mb:.0f} MB)")
        held = after_mb - start_mb
        verdict = "met" if held <= UPLOAD_RELEASE_TARGET_MB else "NOT MET"
        print(
            f"  server RSS {CLEANUP_WAIT_S} s after (sessions released) {after_mb:>5.0f} MB  (+{held:.0f} MB) "
            f"{verdict} (≤ +{UPLOAD_RELEASE_TARGET_MB:.0f})"
        )


async def one_configuration(browser, url: str, pids: list[int], sessions: int, moves: int, saves: int) -> dict:
    """``sessions`` at once, each ``moves`` slider moves (and tours) then ``saves`` saves of one shared deck."""
    latencies: list[float] = []
    save_latencies: list[float] = []
    errors: list[str] = []
    servers: list[str] = []
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    start = time.perf_counter()
    await asyncio.gather(
        *(
            session(browser, url, moves, latencies, errors, k + 1, saves, save_latencies, servers)
            for k in range(sessions)
        )
    )
    wall = time.perf_counter() - start
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    return {
        "wall": wall,
        "errors": errors,
        "moves": latencies,
        "saves": save_latencies,
        "cpu": cpu,
        "split": {s: servers.count(s) for s in sorted(set(servers))},
    }


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else float("nan")


# ports of its own (proxy, the two app servers, PostgreSQL): `make team` or a test run may hold bench/team.py's
BENCH_TEAM_PORTS = (8560, (8561, 8562), 55462)


async def run_team(sessions: int, moves: int, saves: int) -> None:
    """The team set-up (bench/team.py): PostgreSQL, two app servers, HAProxy. The same load first on one of
    the servers directly (one server, the same database), then through the proxy on both."""
    from bench.team import team
    from dashboard.exchange.decks import open_store

    with team(*BENCH_TEAM_PORTS) as t:
        (url_a, proc_a), (url_b, proc_b) = t.servers
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for url in (url_a, url_b):
                await session(browser, url, 2, [], [], 0)  # caches filled, as on servers that have been up
            one = await one_configuration(browser, url_a, [proc_a.pid], sessions, moves, saves)
            two = await one_configuration(browser, t.url, [proc_a.pid, proc_b.pid], sessions, moves, saves)
            await browser.close()
        store = open_store(t.cluster.url)
        versions = [v for v, _ in store.versions("Load test")]
        integrity = store.integrity()
        store.close()
    print(f"Team load: {sessions} concurrent Chromium sessions × {moves} slider moves and {saves} saves of one deck")
    print(f"{'':42}{'one server':>14}{'two + proxy':>14}")
    rows = [
        ("wall time, s", lambda r: f"{r['wall']:.0f}"),
        ("errors", lambda r: f"{len(r['errors'])}"),
        ("moves measured", lambda r: f"{len(r['moves'])}"),
        ("slider to metric, p50, ms", lambda r: f"{statistics.median(r['moves'] or [float('nan')]):.0f}"),
        ("slider to metric, p95, ms", lambda r: f"{p95(r['moves']):.0f}"),
        ("saves measured", lambda r: f"{len(r['saves'])}"),
        ("save to message, p50, ms", lambda r: f"{statistics.median(r['saves'] or [float('nan')]):.0f}"),
        ("save to message, p95, ms", lambda r: f"{p95(r['saves']):.0f}"),
        ("app servers' CPU, s", lambda r: f"{r['cpu']:.0f}"),
        ("server CPU per move (saves in), ms", lambda r: f"{1000 * r['cpu'] / max(len(r['moves']), 1):.0f}"),
        ("sessions per server", lambda r: "/".join(str(n) for n in r["split"].values()) or str(sessions)),
    ]
    for label, cell in rows:
        print(f"  {label:40}{cell(one):>14}{cell(two):>14}")
    for line in (one["errors"] + two["errors"])[:10]:
        print(f"    {line}")
    total = len(one["saves"]) + len(two["saves"])
    verdict = "met" if integrity == "ok" and versions == list(range(len(versions), 0, -1)) else "NOT MET"
    print(f"  deck versions in PostgreSQL: {len(versions)} for {total} saves reported ({integrity}): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=4, help="sessions uploading a large polygon at once (0: none)")
    parser.add_argument("--team", action="store_true", help="the team set-up: one server, then two behind HAProxy")
    parser.add_argument("--saves", type=int, default=20, help="with --team: saves per session")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # `kill`: the servers, proxy and cluster are stopped
    if args.team:
        asyncio.run(run_team(args.sessions, args.moves, args.saves))
    else:
        asyncio.run(run(args.sessions, args.moves, args.uploads))


if __name__ == "__main__":
    main()
