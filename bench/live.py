"""The landing page's live view measured in Chromium, beside the trivial floor in the same run (called by
``bench/browser.py``; ``python -m bench.live`` runs it alone, with the floor).

- drag: the outer thumb dragged across 30 km in 2 seconds, as a pointer drives a range input (an input event
  per animation frame, from the page's own requestAnimationFrame); counted in the page: distinct zone-area
  values painted per second, tile texts painted per second, and band redraws per second (deck.gl frames drawn
  with a new depth pair). A drag by Playwright's mouse waits for a round trip to the browser per move, which
  measures the driver, not the page;
- time to map for a new viewer (a context of its own, empty cache): request to the live view's map drawn with
  its zone and figures (two animation frames after), against the floor's time to its map;
- release to details: the thumb let go until the page's script has finished with the new scenario (link,
  tables, curve, downloads) and two frames are painted;
- bytes per segment: what the browser fetched for the curves and the annuli (compressed, as sent), once;
- click to card: a click on a post or a settlement until its card is on screen, 20 clicks (p95).
"""

from __future__ import annotations

import math
import statistics
import time

from playwright.sync_api import sync_playwright

from bench.browser import PAINTED_JS, new_page
from bench.browser import time_to_map as floor_time_to_map
from bench.harness import CHROMIUM, CHROMIUM_ARGS, IDLE, ROOT, streamlit_server
from dashboard.model.geography import load_geography

READY = (
    "() => { const r = document.querySelector('.nws-live');"
    " return !!r && !!r.dataset.deck && !!r.dataset.curves && !!r.dataset.drawing && !!r.dataset.rendered; }"
)
DRAG_JS = """async ([from, to, ms]) => {
  const v = window.__liveView; const input = v.thumbs[1];
  const tile = () => document.querySelector('.nws-tile[data-key=zone_area_km2] .nws-value').textContent;
  const seen = new Set([tile()]); const values0 = v.stats.values; const redraws0 = v.stats.redraws.length;
  const t0 = performance.now(); let events = 0;
  await new Promise(done => {
    const step = () => {
      const t = performance.now() - t0;
      input.value = String(from + (to - from) * Math.min(1, t / ms));
      input.dispatchEvent(new Event('input', {bubbles: true})); events++;
      seen.add(tile());
      if (t < ms) requestAnimationFrame(step); else done();
    };
    requestAnimationFrame(step);
  });
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const secs = (performance.now() - t0) / 1000;
  return {secs, events, distinct: seen.size - 1, texts: v.stats.values - values0,
          redraws: v.stats.redraws.length - redraws0};
}"""
BYTES_JS = """() => performance.getEntriesByType('resource')
  .filter(e => /\\/(curves|annuli)-[a-z]+-[0-9a-f]+\\.json$/.test(e.name))
  .map(e => [e.name.split('/').pop(), e.transferSize, e.decodedBodySize])"""
CARD = "[class*=st-key-place_card]"
ROUNDS = 3
CLICKS = 20
CARD_TARGET_S = 1.5


def live_time_to_map(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, polling="raf")
    page.evaluate(PAINTED_JS)
    return time.perf_counter() - start


WHERE_JS = """([lon, lat]) => {
  const v = window.__liveView; const box = v.mapBox.getBoundingClientRect();
  const [x, y] = v.deck.getViewports()[0].project([lon, lat]);
  return [box.left + x, box.top + y];
}"""
CARD_TITLE_JS = (
    "(name) => (document.querySelector('[class*=st-key-place_card] [data-testid=stMarkdownContainer]')"
    "?.innerText || '').startsWith(name)"
)


def click_targets() -> list[tuple[str, float, float]]:
    """Two posts, a town and a sub-district well apart in the default view (the first words of their cards,
    lon, lat): Morek and Sher Mughar, Sarmada (14 km from any post), and a point of Badama sub-district 7 km
    from any town."""
    geo = load_geography()
    posts = geo.layers_lonlat["posts"]
    chosen = []
    for name in ("Morek", "Sher Mughar"):
        row = posts.loc[posts["name"].str.contains(name)]
        chosen.append((row["name"].iloc[0], row.geometry.x.iloc[0], row.geometry.y.iloc[0]))
    towns = geo.layers_lonlat["settlements"]
    town = towns.loc[towns["name"] == "Sarmada"].iloc[0]
    chosen.append((town["name"], town.geometry.x, town.geometry.y))
    chosen.append(("Badama", 36.2115, 35.8746))
    return chosen


def clicks_to_card(page, targets) -> list[float]:
    """Seconds from a click to its card, ``CLICKS`` clicks in turn on ``targets`` (each a different place from
    the one before, so each opens a new card); a click whose card is not there in 30 s counts as 30 s. Each
    click lands where the map itself projects the place, found after the map is scrolled into view (an open
    card moves the map down the page)."""
    out = []
    for i in range(CLICKS):
        name, lon, lat = targets[i % len(targets)]
        page.wait_for_selector(IDLE)
        page.locator(".nws-map").first.scroll_into_view_if_needed()
        x, y = page.evaluate(WHERE_JS, [lon, lat])
        page.mouse.move(x, y)
        page.evaluate(PAINTED_JS)
        start = time.perf_counter()
        page.mouse.click(x, y)
        try:
            page.wait_for_function(CARD_TITLE_JS, arg=name, timeout=30_000, polling="raf")
            out.append(time.perf_counter() - start)
        except Exception:  # noqa: BLE001 - a lost click: counted at the timeout
            out.append(30.0)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def measure(browser, dash_url: str, floor_url: str) -> dict:
    rounds = []
    for r in range(ROUNDS):
        row = {}
        first = ("live", "floor") if r % 2 == 0 else ("floor", "live")
        for which in first:
            page = new_page(browser)
            if which == "live":
                row["map_s"] = live_time_to_map(page, f"{dash_url}/?inner=30&outer=40")
                page.wait_for_selector(IDLE)
                row["bytes"] = page.evaluate(BYTES_JS)
                drag = page.evaluate(DRAG_JS, [40, 70, 2000])
                row["drag"] = drag
                start = time.perf_counter()
                page.evaluate("() => window.__liveView.thumbs[1].dispatchEvent(new Event('change', {bubbles: true}))")
                page.wait_for_function("() => location.search.includes('outer=70')")
                page.wait_for_selector(IDLE)
                page.get_by_text("band along the border").first.wait_for()
                page.evaluate(PAINTED_JS)
                row["release_s"] = time.perf_counter() - start
            else:
                row["floor_map_s"] = floor_time_to_map(page, floor_url)
            page.context.close()
        rounds.append(row)
        print(f"  live round {r + 1}: done", flush=True)
    page = new_page(browser)
    live_time_to_map(page, dash_url)
    page.wait_for_selector(IDLE)
    cards = clicks_to_card(page, click_targets())
    page.context.close()
    return {"rounds": rounds, "cards": cards}


def report(found: dict) -> None:
    median = statistics.median
    rounds = found["rounds"]
    drag = [r["drag"] for r in rounds]
    values_s = [d["distinct"] / d["secs"] for d in drag]
    texts_s = [d["texts"] / d["secs"] for d in drag]
    redraws_s = [d["redraws"] / d["secs"] for d in drag]
    events_s = [d["events"] / d["secs"] for d in drag]
    live_map, floor_map = [r["map_s"] for r in rounds], [r["floor_map_s"] for r in rounds]
    release = [r["release_s"] for r in rounds]
    sent = {name: size for r in rounds for name, size, _ in r["bytes"]}
    whole = {name: size for r in rounds for name, _, size in r["bytes"]}

    def spread(values, fmt="{:.1f}"):
        return f"{fmt.format(median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"

    print(f"Live view: {ROUNDS} rounds, the floor in turn (median, lowest–highest)")
    print(f"  drag 40→70 km in 2 s: input events per second      {spread(events_s)}")
    ok = "met" if median(values_s) >= 20 else "NOT MET"
    print(f"  distinct zone-area values painted per second      {spread(values_s)}  {ok} (≥ 20)")
    print(f"  tile texts painted per second (all tiles)         {spread(texts_s)}")
    ok = "met" if median(redraws_s) >= 10 else "NOT MET"
    print(f"  band redraws per second                           {spread(redraws_s)}  {ok} (≥ 10)")
    ratio = median(live_map) / median(floor_map)
    ok = "met" if ratio <= 1.5 else "NOT MET"
    print(
        f"  time to map, new viewer (s): live {spread(live_map, '{:.2f}')}, floor {spread(floor_map, '{:.2f}')}, "
        f"{ratio:.2f}×  {ok} (≤ 1.5× the floor; moonshot 1.2×)"
    )
    print(f"  release to details shown (s)                      {spread(release, '{:.2f}')}")
    for name in sorted(sent):
        print(f"  fetched once per segment: {name}: {sent[name] / 1000:.0f} kB sent ({whole[name] / 1000:.0f} kB JSON)")
    total = sum(sent.values())
    print(f"  curves and annuli together: {total / 1000:.0f} kB  {'met' if total <= 1_000_000 else 'NOT MET'} (≤ 1 MB)")
    cards = found["cards"]
    lost = sum(1 for c in cards if c >= 30.0)
    ok = "met" if p95(cards) <= CARD_TARGET_S and not lost else "NOT MET"
    print(
        f"  click to card, {len(cards)} clicks: median {median(cards):.2f} s, p95 {p95(cards):.2f} s, "
        f"{len(cards) - lost}/{len(cards)} opened  {ok} (≤ {CARD_TARGET_S} s, 20/20)"
    )


def main() -> None:
    with (
        streamlit_server() as (dash_url, _dash),
        streamlit_server(script=ROOT / "bench" / "floor.py") as (floor_url, _floor),
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        live_time_to_map(new_page(browser), dash_url)  # the server's first map (curves, annuli) not timed
        found = measure(browser, dash_url, floor_url)
        browser.close()
    report(found)


if __name__ == "__main__":
    main()
