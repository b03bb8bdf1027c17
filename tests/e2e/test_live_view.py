"""The landing page's live view in real Chromium: a drag of a thumb paints the engine's figures while it moves
and commits them on release; arrow keys move each thumb; nothing leaves the machine; a script that cannot load
leaves today's map; axe-core finds no WCAG 2 A/AA violation on the landing page. Compare's two columns use the
same view (the presenter's map alone is in test_presenter.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bench.harness import IDLE, MAP
from dashboard.model import metrics
from dashboard.model.geography import load_geography
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario
from tests.e2e.conftest import ARTIFACTS, block_off_machine, wait_idle

READY = (
    "() => { const r = document.querySelector('.nws-live');"
    " return !!r && !!r.dataset.deck && !!r.dataset.curves && !!r.dataset.drawing && !!r.dataset.rendered; }"
)
TILES = (
    "() => Object.fromEntries([...document.querySelectorAll('.nws-tile')]"
    ".map(t => [t.dataset.key, t.querySelector('.nws-value').textContent]))"
)
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.11.0.min.js"


@pytest.fixture(scope="module")
def engine():
    geo = load_geography()
    return lambda inner, outer, **other: assess(geo, replace(Scenario(), inner_km=inner, outer_km=outer, **other))


def open_live(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY, timeout=600_000)
    wait_idle(page)


def painted(page) -> tuple[float, float, dict]:
    inner, outer = page.evaluate("() => document.querySelector('.nws-live').dataset.painted").split("-")
    return float(inner), float(outer), page.evaluate(TILES)


def assert_engines(tiles: dict, impact) -> None:
    for m in metrics.shown(impact):
        if m.group != "zone":
            continue
        if m.key == "band_area_km2":  # within 0.5 km² of the engine's (see dashboard/model/depth_curves.py)
            assert abs(int(tiles[m.key].split()[0].replace(",", "")) - round(impact.band_area_km2)) <= 1
        else:
            assert tiles[m.key] == m.text(impact), (impact.scenario.label(), m.key)


def thumb_x(page, which: str, km: float) -> tuple[float, float]:
    """Where a thumb's centre is for ``km``: a range input's thumb travels its width less the thumb's."""
    box = page.locator(f".nws-{which}").bounding_box()
    thumb = 20
    return box["x"] + thumb / 2 + (box["width"] - thumb) * km / 100, box["y"] + box["height"] / 2


def test_a_drag_paints_the_engines_figures_and_the_release_commits_them(page, server, engine):
    blocked = block_off_machine(page)
    open_live(page, f"{server}/?inner=30&outer=40")
    x, y = thumb_x(page, "outer", 40)
    page.mouse.move(x, y)
    page.mouse.down()
    seen = []
    for i, km in enumerate((44, 48.5, 53, 57.5)):
        page.mouse.move(*thumb_x(page, "outer", km), steps=4)
        page.wait_for_function(  # the thumb's own figures on screen: painted from the curves, no server
            "(km) => document.querySelector('.nws-live').dataset.painted === `30-${km}`", arg=km
        )
        inner, outer, tiles = painted(page)
        seen.append(outer)
        assert_engines(tiles, engine(inner, outer))
        page.locator(".nws-live").screenshot(path=str(ARTIFACTS / f"live_drag_{i}.png"))
    assert page.evaluate("() => document.querySelector('[data-testid=stApp]').dataset.testScriptState") != "running"
    assert "outer=40" not in page.url or "outer" not in page.url  # nothing committed while the thumb moves
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('outer=57.5')")
    wait_idle(page)
    inner, outer, tiles = painted(page)
    assert (inner, outer) == (30.0, 57.5)
    assert_engines(tiles, engine(30.0, 57.5))
    assert "57.5" in page.get_by_text("band along the border").first.inner_text()  # the page's caption followed
    assert blocked == []
    assert len(set(seen)) == 4


def test_arrow_keys_move_each_thumb_by_the_grid_and_commit(page, server, engine):
    open_live(page, f"{server}/?inner=30&outer=40")
    outer = page.locator(".nws-outer")
    assert outer.get_attribute("aria-label") == "Outer edge of the zone, km from the border"
    outer.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('outer=40.5')")
    wait_idle(page)
    page.locator(".nws-inner").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('inner=29.5')")
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('.nws-live').dataset.painted === '29.5-40.5'")
    _, _, tiles = painted(page)
    assert_engines(tiles, engine(29.5, 40.5))


def test_a_links_half_km_depths_keep_their_thumbs(page, server):
    """A range input rounds its value to its step: the step is set before the depths, or 29.5 showed as 30."""
    open_live(page, f"{server}/?inner=29.5&outer=40.5")
    assert (page.locator(".nws-inner").input_value(), page.locator(".nws-outer").input_value()) == ("29.5", "40.5")


def test_a_release_back_at_the_pair_committed_before_still_commits(page, server):
    """Streamlit calls the page only for a value unlike the last: 40.5 committed by the thumb, the sidebar's
    slider back to 40, then the thumb to 40.5 again must reach the page."""
    open_live(page, f"{server}/?inner=30&outer=40")
    page.locator(".nws-outer").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('outer') === '40.5'")
    wait_idle(page)
    page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").last.focus()
    page.keyboard.press("ArrowLeft")  # the sidebar's whole-km slider: 30–41 (the hull of 40.5) to 30–40
    page.wait_for_function("() => !new URLSearchParams(location.search).has('outer')")  # the default: not written
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('.nws-outer').value === '40'")
    page.locator(".nws-outer").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('outer') === '40.5'")


def test_a_script_that_cannot_load_leaves_todays_map(page, server):
    page.context.route("**/vendor/deck.gl-*.min.js", lambda route: route.abort())
    page.goto(server)
    page.get_by_text("The live map could not start in this browser").wait_for(timeout=600_000)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=600_000)
    wait_idle(page)
    assert page.locator(".nws-live").count() == 0
    assert page.locator("[data-testid=stMetric]", has_text="Zone area").count() == 1


def test_axe_finds_no_wcag_2_a_or_aa_violation_on_the_landing_page(page, server):
    open_live(page, server)
    page.wait_for_selector(MAP)
    page.wait_for_selector(IDLE)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    (ARTIFACTS / "axe_landing.json").write_text(json.dumps(found, indent=1))
    assert found == []


def test_a_click_on_a_post_a_town_and_a_sub_district_opens_its_card_the_first_time(page, server):
    """Issue 27's first row, on the live map: each click opens the card of what is under the pointer, at once
    (each waits for its own card's title, never for a pause; a lost click leaves the previous card and fails)."""
    from bench.live import CARD_TITLE_JS, WHERE_JS, click_targets

    open_live(page, server)
    kinds = ["(observation post)", "(observation post)", "(settlement)", "(sub-district)"]
    for (name, lon, lat), kind in zip(click_targets(), kinds, strict=True):
        page.locator(".nws-map").first.scroll_into_view_if_needed()
        x, y = page.evaluate(WHERE_JS, [lon, lat])
        page.mouse.click(x, y)
        page.wait_for_function(CARD_TITLE_JS, arg=name, timeout=600_000)
        title = page.locator("[class*=st-key-place_card] [data-testid=stMarkdownContainer]").first.inner_text()
        assert kind in title, title
        wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / "live_click_card.png"))


COLUMN_JS = """([column, key]) => { const r = document.querySelectorAll('.nws-live')[column];
    return !!r && !!r.dataset.deck && !!r.dataset.curves && r.dataset.painted === key; }"""


def column_tiles(page, column: int) -> dict:
    return page.evaluate(
        "(column) => Object.fromEntries([...document.querySelectorAll('.nws-live')[column]"
        ".querySelectorAll('.nws-tile')].map(t => [t.dataset.key, t.querySelector('.nws-value').textContent]))",
        column,
    )


def test_compares_columns_each_have_the_live_view_and_a_release_moves_that_columns_slider(page, server, engine):
    """Issue 29: Compare uses the same view; its thumbs move in whole kilometres, the column's slider's step,
    and a release moves that column's slider alone."""
    blocked = block_off_machine(page)
    page.goto(f"{server}/compare")
    page.wait_for_function(COLUMN_JS, arg=[0, "30-40"], timeout=600_000)
    page.wait_for_function(COLUMN_JS, arg=[1, "30-40"], timeout=600_000)
    wait_idle(page)
    assert page.locator("[data-testid=stDeckGlJsonChart]").count() == 0
    a_outer = page.locator(".nws-live .nws-outer").first
    a_outer.focus()
    page.keyboard.press("ArrowRight")  # one step: 1 km here
    page.wait_for_function("() => new URLSearchParams(location.search).get('outer') === '41'")
    wait_idle(page)
    page.wait_for_function(COLUMN_JS, arg=[0, "30-41"])
    page.wait_for_function("() => document.querySelectorAll('.nws-live')[0].dataset.rendered === '30-41'")  # its map
    assert page.evaluate(COLUMN_JS, [1, "30-40"])  # B did not move
    assert_engines(column_tiles(page, 0), engine(30.0, 41.0))
    assert_engines(column_tiles(page, 1), engine(30.0, 40.0, corridor_km=6.0))
    sliders = page.locator("[data-testid=stSlider]", has_text="Zone depth")
    thumbs = "[data-testid=stSliderThumbValue]"
    assert sliders.nth(0).locator(thumbs).all_inner_texts() == ["30", "41"]  # A's slider moved with it
    assert sliders.nth(1).locator(thumbs).all_inner_texts() == ["30", "40"]
    page.locator(".nws-live").first.screenshot(path=str(ARTIFACTS / "compare_live_a.png"))
    assert blocked == []


def test_where_the_script_cannot_load_compare_and_the_presenter_draw_the_servers_map(page, server):
    page.context.route("**/vendor/deck.gl-*.min.js", lambda route: route.abort())
    page.goto(f"{server}/compare")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stDeckGlJsonChart] canvas').length >= 2", timeout=600_000
    )
    wait_idle(page)
    assert page.locator(".nws-live").count() == 0
    page.locator("[data-testid=stSidebarNav] a", has_text="Briefing").first.click()
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=600_000)  # the step's map
    wait_idle(page)
    assert page.locator(".nws-live").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0


ZONE_ALPHA_JS = """(points) => {
  const v = window.__liveView; const canvas = v.middle.canvas; const box = v.mapBox.getBoundingClientRect();
  const ratio = canvas.width / box.width; const viewport = v.deck.getViewports()[0];
  const ctx = canvas.getContext('2d');
  return points.map(([lon, lat]) => {
    const [x, y] = viewport.project([lon, lat]);
    if (x < 2 || y < 2 || x > box.width - 2 || y > box.height - 2) return null;
    return ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data[3];
  });
}"""


def test_the_zone_and_band_are_drawn_where_the_engine_counts_the_settlements(page, server, engine):
    """The zone canvas (2D, drawn from the annuli) against the engine's own flags: every settlement on screen
    that the engine counts in the band lies under the band's colour, in the zone only under the zone's, outside
    under nothing. Settlements within 3 km of a line (a line is ~3 pixels, ~1 km a pixel here) are left out."""
    import geopandas as gpd

    from dashboard.render.style import MAP as LOOKS

    open_live(page, f"{server}/?inner=20&outer=45")
    impact = engine(20.0, 45.0)
    table = impact.settlements
    settlements = load_geography().settlements
    lonlat = dict(zip(settlements["id"], gpd.GeoSeries(settlements.geometry.values).to_crs(4326), strict=True))
    near_a_line = (table["distance_to_border_km"] - 20).abs().lt(3) | (table["distance_to_border_km"] - 45).abs().lt(3)
    chosen = table["in_syria"] & ~near_a_line & table["distance_to_border_km"].gt(3)
    points = [[lonlat[i].x, lonlat[i].y] for i in table.loc[chosen, "id"]]
    alphas = page.evaluate(ZONE_ALPHA_JS, points)
    rows = table[chosen].assign(alpha=alphas).dropna(subset=["alpha"])
    zone_a, band_a = LOOKS["zone"].fill.rgba[3] / 255, LOOKS["band"].fill.rgba[3] / 255
    stacked = round(255 * (band_a + zone_a * (1 - band_a)))
    in_band = rows[rows["in_band"]]
    zone_only = rows[rows["inside"] & ~rows["in_band"]]
    outside = rows[~rows["inside"]]
    assert min(len(in_band), len(zone_only), len(outside)) >= 10, (len(in_band), len(zone_only), len(outside))
    assert in_band["alpha"].sub(stacked).abs().le(2).all(), in_band[["name", "alpha"]]
    assert zone_only["alpha"].sub(round(255 * zone_a)).abs().le(2).all(), zone_only[["name", "alpha"]]
    assert outside["alpha"].eq(0).all(), outside[["name", "distance_to_border_km", "alpha"]]
