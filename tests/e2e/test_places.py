"""In real Chromium: an Arabic name typed in the search box moves the map and opens the place's card; a post
clicked on the map opens its card and the map keeps the view the briefer had."""

from __future__ import annotations

import re

import numpy as np

from bench.harness import MAP
from dashboard.model.geography import KEY_TOWNS
from dashboard.render import map_names, maps
from tests.e2e.conftest import ARTIFACTS, click_live, settled_map_png, wait_idle
from tests.e2e.test_browser import assert_only_local, changed_share, map_pixels
from tests.unit.test_map_names import name_boxes, overlapping

CARD = "[class*=st-key-place_card]"


def click_on_map(page, lon: float, lat: float, picks: str, opens: str = "What it is: observation post") -> None:
    """Click the place as a person would, once the map picks it there (``picks``: text of its data), and wait
    for its card (``opens``)."""
    click_live(page, lon, lat, picks)
    page.locator(CARD, has_text=opens).wait_for(timeout=600_000)


def test_an_arabic_name_moves_the_map_opens_its_card_and_a_clicked_post_keeps_the_view(page, server):
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector(MAP)
    before = map_pixels(page)
    box = page.get_by_role("textbox", name="Find a place")
    box.click()
    box.type("إدلب", delay=60)
    choice = page.get_by_role("button", name="Idlib · إدلب · İdlib (key town)")
    choice.wait_for(timeout=600_000)
    choice.click()
    card = page.locator(CARD)
    card.wait_for(timeout=600_000)
    wait_idle(page)
    text = card.inner_text()
    assert "Arabic: إدلب" in text and "Turkish: İdlib" in text and "In the zone: yes" in text
    centred = map_pixels(page)
    page.screenshot(path=str(ARTIFACTS / "place_search.png"))
    assert changed_share(before, centred) > 0.3  # the map moved to Idlib
    click_on_map(page, 36.72583, 35.90333, "Military Housing")  # the post between Idlib and Sarmin
    wait_idle(page)
    text = page.locator(CARD).inner_text()
    assert "Military Housing (Idlib–Sarmin road)" in text and "Status on 2020-03-05: active" in text
    after = map_pixels(page)
    page.screenshot(path=str(ARTIFACTS / "place_click.png"))
    # still on Idlib: the click did not reset the view. Selecting fades what is not selected (the zone's fills
    # too), so the picture is compared with both views: far closer to Idlib's than to the preset's
    kept, reset = changed_share(centred, after), changed_share(before, after)
    assert kept < reset / 2, (kept, reset)
    assert page.locator("[data-testid=stException]").count() == 0
    assert_only_local(page.requests)


NAME_TILE = re.compile(r"/app/static/names-[0-9a-f]{16}-(\d+)-(\d+)-(\d+)\.json$")


def name_levels_loaded(responses) -> list[int]:
    """The levels of the names' tiles the browser has fetched, in order, each answered 200 by this server."""
    levels = []
    for status, url in responses:
        found = NAME_TILE.search(url)
        if found:
            assert status == 200, url
            levels.append(int(found.group(1)))
    return levels


def test_zooming_out_by_hand_loads_the_names_placed_for_that_zoom(page, server):
    """The fault: names placed for the zoom the map opened at collided when the briefer zoomed out with the
    mouse. Now deck.gl fetches the names placed for whatever zoom is in view, from this server."""
    responses = []
    page.on("response", lambda r: responses.append((r.status, r.url)))
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector(MAP)
    opened = map_names.level_of(maps.CAMERAS["NW Syria"]["zoom"])
    page.wait_for_function(
        "(re) => performance.getEntriesByType('resource').some(e => new RegExp(re).test(e.name))",
        arg=NAME_TILE.pattern,
        timeout=600_000,
    )
    settled_map_png(page, MAP)  # the tile fetched is drawn: its response is in
    assert name_levels_loaded(responses) == [opened]  # one tile holds the default view's names
    # the names the browser was given, laid out at the default camera: no two boxes overlap, every key town
    tile = next(url for status, url in responses if NAME_TILE.search(url))
    rows = [
        {"name": f["properties"]["name"], "position": f["geometry"]["coordinates"], **f["properties"]}
        for f in page.request.get(tile).json()["features"]
    ]
    boxes = name_boxes(rows, maps.CAMERAS["NW Syria"])
    assert not np.triu(overlapping(boxes, boxes), 1).any()
    assert set(KEY_TOWNS) <= {row["name"] for row in rows}
    box = page.locator(MAP).first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(3):
        page.mouse.wheel(0, 250)
    below = "(" + "|".join(str(level) for level in range(opened)) + ")"  # a level below the one it opened at
    wider_tile = NAME_TILE.pattern.replace(r"(\d+)", below, 1)
    page.wait_for_function(
        "(re) => performance.getEntriesByType('resource').some(e => new RegExp(re).test(e.name))",
        arg=wider_tile,
        timeout=600_000,
    )
    (ARTIFACTS / "names_zoomed_out.png").write_bytes(settled_map_png(page, MAP))
    wider = [level for level in name_levels_loaded(responses) if level < opened]
    assert wider, name_levels_loaded(responses)
    assert_only_local(page.requests)


def test_a_click_inside_the_zone_opens_its_sub_district_whose_card_leads_to_its_district(page, server):
    """Inside the zone a click picked the zone itself: the sub-districts, unseen, now catch it anywhere in
    Syria. The point is in Idleb sub-district, inside the default zone, 11 km from any settlement."""
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector(MAP)
    click_on_map(page, 36.5, 35.95, "Idleb district, Idlib governorate", "What it is: sub-district")
    wait_idle(page)  # the card's title comes before its lines
    card = page.locator(CARD)
    text = card.inner_text()
    assert "What it is: sub-district" in text and "Idleb, Idlib" in text and "Share in the zone" in text
    card.get_by_role("button", name="Open its district: Idleb").click()
    page.locator(CARD, has_text="What it is: district").wait_for(timeout=600_000)
    assert "Open its governorate: Idlib" in page.locator(CARD).inner_text()
    page.screenshot(path=str(ARTIFACTS / "sub_district_card.png"))
