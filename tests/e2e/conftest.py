"""A real Streamlit server and Debian's Chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness import CHROMIUM, CHROMIUM_ARGS, IDLE, MAP, ROOT, is_local, streamlit_server

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    decks = tmp_path_factory.mktemp("decks") / "decks.sqlite3"  # the user's own saved decks are never touched
    try:
        with streamlit_server(env={"NWSYRIA_DECKS_DB": str(decks)}) as (url, _proc):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def warm(browser, server):
    warm_up(browser, server)
    return server


def warm_up(browser, url: str) -> None:
    """One full landing-page run first: imports and the geography load happen here, with a long timeout,
    so each test's own timeouts measure the page and not the server's cold start on a slow machine."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url, timeout=600_000)
    page.wait_for_selector(MAP, timeout=900_000)
    page.wait_for_selector(IDLE, timeout=600_000)
    context.close()


@pytest.fixture
def page(browser, warm):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(300_000)
    page.requests = []
    page.on("request", lambda req: page.requests.append(req.url))
    yield page
    context.close()


def wait_idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=600_000)


def block_off_machine(page) -> list[str]:
    """Abort every request to a host other than this machine; the returned list collects their URLs."""
    blocked: list[str] = []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", guard)
    return blocked


# --------------------------------------------------------------------------------------- waiting on the page
# Every wait below is on a condition the page shows, never a pause of a guessed length: a machine with a core
# kept busy by another process makes each step slower, not wrong.

_WATCH_RUNS_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__runsDone = 0;
  if (window.__runWatch) window.__runWatch.disconnect();
  window.__runWatch = new MutationObserver(records => {
    for (const r of records) if (r.oldValue === 'running') window.__runsDone++;
  });
  window.__runWatch.observe(app, {attributes: true, attributeFilter: ['data-test-script-state'],
                                  attributeOldValue: true});
}"""
_RUN_DONE_JS = """() => window.__runsDone > 0 &&
  document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"""


def after_rerun(page, action) -> None:
    """Do ``action`` and wait until the script run it starts has finished: the app's script state is watched
    from before the action, so a run that has not started yet is not mistaken for the previous idle state."""
    wait_idle(page)
    page.evaluate(_WATCH_RUNS_JS)
    action()
    page.wait_for_function(_RUN_DONE_JS, timeout=600_000)


def settled_map_png(page, selector: str = "[data-testid=stDeckGlJsonChart]") -> bytes:
    """A picture of the map once deck.gl has stopped changing it (transitions and loads done): two pictures
    in a row alike."""
    map_box = page.locator(selector).first
    previous = map_box.screenshot()
    for _ in range(600):
        current = map_box.screenshot()
        if current == previous:
            return current
        previous = current
    raise AssertionError("the map never stopped changing")


_LIVE_PICKS_JS = """([lon, lat, text]) => {
  const v = window.__liveView;
  if (!v || !v.deck || !v.made) return null;
  const [x, y] = v.deck.getViewports()[0].project([lon, lat]);
  const ids = v.args.clickable.filter((id) => v.made.has(id));
  const info = v.deck.pickObject({x, y, radius: 3, layerIds: ids});
  if (!info || !info.object || !JSON.stringify(info.object).includes(text)) return null;
  const box = v.mapBox.getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""


def click_live(page, lon: float, lat: float, picks: str) -> None:
    """Click the live view's map where it draws (lon, lat), once its own picking finds there an object whose
    data holds ``picks`` (its layers loaded, the view arrived): the live view opens a card from the browser's
    click event, so no timing of the press and release matters."""
    page.locator(".nws-map").first.scroll_into_view_if_needed()
    where = page.wait_for_function(_LIVE_PICKS_JS, arg=[lon, lat, picks], timeout=600_000).json_value()
    page.mouse.click(*where)
