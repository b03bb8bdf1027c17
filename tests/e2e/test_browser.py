"""In real Chromium: every page loads with no request to any host but this machine, the map draws, a
keyboard slider move updates it, an uploaded layer shows as text only, and the briefing pack downloads
and opens offline."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

from bench.harness import CHANGED_JS, FIGURE_JS, MAP, is_local
from tests.e2e.conftest import ARTIFACTS, block_off_machine, settled_map_png, wait_idle

PAGES = ["", "figures", "compare", "briefing", "sources", "returns"]


def zone_area(page) -> str:
    return page.evaluate(FIGURE_JS, ["zone_area_km2", "Zone area"])


def assert_only_local(requests):
    outside = [u for u in requests if not is_local(u)]
    assert outside == [], outside


def map_pixels(page) -> np.ndarray:
    page.mouse.move(2, 2)  # no tooltip in the picture
    png = settled_map_png(page, ".nws-map, [data-testid=stDeckGlJsonChart]")  # the live view's, or pydeck's; settled
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def changed_share(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels that differ visibly between two pictures of the map."""
    return float((np.abs(a - b).sum(axis=2) > 40).mean())


def test_every_page_works_air_gapped(page, server):
    """The offline guarantee: any request off this machine (tiles, fonts, telemetry) is blocked and fails the test."""
    blocked = block_off_machine(page)
    for path in PAGES:
        page.goto(f"{server}/{path}")
        if path in ("compare", "briefing", "returns"):  # pages with maps (the live view's or pydeck's): drawn
            page.wait_for_selector(MAP)
        if path == "":
            page.wait_for_selector(MAP)
            assert "km²" in zone_area(page)
            page.screenshot(path=str(ARTIFACTS / "landing.png"))
        wait_idle(page)
        assert page.locator("[data-testid=stException]").count() == 0, path
    assert blocked == []
    assert_only_local(page.requests)


def test_keyboard_slider_move_updates_area_and_map_and_keeps_the_view(page, server):
    """The area changes and the map redraws, in the view the user dragged and zoomed to (one page load
    serves both checks: this suite must stay short on a slow machine)."""
    page.goto(server)
    wait_idle(page)
    box = page.locator(MAP).first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 220, y - 140, steps=12)
    page.mouse.up()
    page.mouse.wheel(0, -400)
    panned = map_pixels(page)
    page.screenshot(path=str(ARTIFACTS / "panned.png"))
    before = zone_area(page)
    depth = page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]")  # not the time panel's
    depth.last.focus()  # the outer thumb
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(CHANGED_JS, arg=before, timeout=600_000)
    wait_idle(page)
    after = zone_area(page)
    assert int(re.sub(r"\D", "", after)) > int(re.sub(r"\D", "", before))
    assert "outer=43" in page.url
    moved = map_pixels(page)
    page.screenshot(path=str(ARTIFACTS / "after_slider.png"))
    redrawn = changed_share(panned, moved)
    assert 0.003 < redrawn < 0.12, redrawn  # the outer edge moved 3 km; the view and the rest stayed
    page.reload()
    wait_idle(page)
    page.wait_for_selector(MAP)
    fresh = map_pixels(page)  # the same scenario with the preset camera
    assert changed_share(moved, fresh) > 0.3  # had the camera been reset, this is what we would have seen
    assert_only_local(page.requests)


def test_an_uploaded_layer_is_shown_as_text_never_as_html(page, server, tmp_path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    upload = tmp_path / "camps.csv"
    upload.write_text('name,lat,lon\n"<img src=x onerror=alert(1)>",36.31,36.68\nAriha,35.81,36.61\n', encoding="utf-8")
    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(upload))
    page.wait_for_selector("text=Your layer in the band", timeout=600_000)
    wait_idle(page)
    assert page.locator("img[src=x]").count() == 0 and dialogs == []
    page.get_by_text("2 of 2 CSV features accepted").wait_for()
    page.screenshot(path=str(ARTIFACTS / "user_layer.png"))


def test_briefing_pack_downloads_and_opens_offline(page, server, tmp_path):
    page.goto(f"{server}/briefing")
    wait_idle(page)
    page.locator("p.brief-notes").first.wait_for()
    sizes = page.evaluate("[...document.querySelectorAll('p.brief-notes')].map(e => getComputedStyle(e).fontSize)")
    assert sizes and all(size == "24px" for size in sizes)  # presenter mode: the notes in large type too
    button = page.get_by_role("button", name="Download the briefing pack (briefing.html)")
    with page.expect_download(timeout=600_000) as info:
        button.click()  # one click: the pack is built on the click and downloaded
    path = tmp_path / "briefing.html"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Inputs SHA-256" in text
    assert not re.search(r"""src=["']https?://""", text)  # self-contained
    viewer = page.context.new_page()
    viewer.goto(path.as_uri())
    assert viewer.title() == "NW Syria scenario briefing"
    assert viewer.locator("img").count() >= 9  # 5 maps + 4 charts
    viewer.screenshot(path=str(ARTIFACTS / "briefing_pack.png"))
    links = viewer.locator("section a[href]")
    assert links.count() == 5  # one clickable link per scenario
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all(href.split("?")[0] == f"{server}/" for href in hrefs)  # the server the briefer used, its landing
    assert len({scenario_label(href) for href in hrefs}) == 5  # five scenarios, each read back without a warning
    for href in (hrefs[0], hrefs[-1]):  # the links differ only in their queries: two are opened
        opened = page.context.new_page()
        opened.goto(href)
        opened.wait_for_selector(MAP)
        wait_idle(opened)
        label = scenario_label(href)
        opened.get_by_text(label).first.wait_for(timeout=600_000)
        assert opened.get_by_text("Page not found").count() == 0, href
        assert opened.locator("[data-testid=stDialog]").count() == 0, href
        opened.close()
    assert_only_local(page.requests)


def scenario_label(href: str) -> str:
    """The caption the landing page shows for a scenario link (decoded the way the app decodes it)."""
    from urllib.parse import parse_qsl, urlsplit

    from dashboard.exchange import links

    scenario, warnings = links.decode(dict(parse_qsl(urlsplit(href).query)))
    assert warnings == []
    return scenario.label()


def test_the_landing_page_downloads_open_as_what_they_say(page, server):
    """Both downloads are built on the click: the CSV has one row per settlement inside (as the panel
    says) and the GeoJSON is the scenario's zones."""
    import csv
    import json

    page.goto(f"{server}/?outer=35")
    page.wait_for_selector(MAP)
    wait_idle(page)
    inside = int(page.evaluate(FIGURE_JS, ["settlements_inside", "Settlements inside"]).replace(",", ""))
    with page.expect_download() as got:
        page.get_by_role("button", name="Settlements inside (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(got.value.path().read_text(encoding="utf-8"))))
    assert len(rows) == inside and rows[0]["name"] and float(rows[0]["distance_to_border_km"]) <= 35.5
    with page.expect_download() as got:
        page.get_by_role("button", name="Zones (GeoJSON)").click()
    zones = json.loads(got.value.path().read_text(encoding="utf-8"))
    assert zones["type"] == "FeatureCollection" and len(zones["features"]) >= 2


def events_sentence(page) -> str:
    return page.locator("[data-testid=stMarkdownContainer]", has_text="Conflict events, ").first.inner_text()


def test_the_events_window_typed_in_the_date_fields_changes_the_count_and_the_link(page, server):
    """The window's date fields are segments (year, month, day) that commit when focus leaves the field."""
    page.goto(server)
    wait_idle(page)
    assert "Conflict events inside: 629 of 1,387" in events_sentence(page)
    page.get_by_role("spinbutton", name="year, Conflict events from").focus()
    page.keyboard.type("2020")
    page.keyboard.type("02")
    page.keyboard.type("01")
    page.keyboard.press("Tab")  # to the calendar button
    page.keyboard.press("Tab")  # out of the field: the new date is sent
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
        ".some(e => e.innerText.startsWith('Conflict events, 01 Feb 2020 – 31 Mar 2020'))",
        timeout=600_000,
    )
    wait_idle(page)
    said = events_sentence(page)
    assert "Conflict events inside: 152 of" in said and "629" not in said
    assert "evfrom=2020-02-01" in page.url and "evto" not in page.url  # the default end is not written
    page.reload()  # the link brings the window back
    wait_idle(page)
    assert events_sentence(page).startswith("Conflict events, 01 Feb 2020 – 31 Mar 2020")
    assert page.locator("[data-testid=stException]").count() == 0
    assert_only_local(page.requests)
