"""A real Streamlit server and Debian's Chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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
    page.set_default_timeout(600_000)
    page.requests = []
    page.on("request", lambda req: page.requests.append(req.url))
    watch_socket(page)
    yield page
    context.close()


def watch_socket(page) -> None:
    """Keep the page's Streamlit WebSocket (the latest: a reconnect opens another) as ``page.socket``, so a
    wait can be on the server's own "script finished" message (:func:`after_rerun`). Call before the page opens."""
    page.socket = None
    page.on("websocket", lambda ws: setattr(page, "socket", ws) if "/_stcore/stream" in ws.url else None)


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


def _run_finished(payload) -> bool:
    """Whether a frame from the server is its message that a script run (of the page or a fragment) finished,
    not one cut short by a rerun (another run follows)."""
    if not isinstance(payload, bytes):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:
        return False
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN


def frame_kind(payload: bytes) -> str:
    """What a frame from the server is (its message type and the start of it), for a failure's message."""
    msg = ForwardMsg()
    msg.ParseFromString(payload)
    kind = msg.WhichOneof("type")
    return f"{kind}: {str(getattr(msg, kind))[:120]!r}" if kind else "?"


def after_rerun(page, action) -> None:
    """Do ``action`` and wait until the script run it starts has finished: the server's own "script finished"
    message on the page's WebSocket, expected from before the action. (The page's script-state attribute was
    watched before; a fast run of a cached page flips it within one frame and no "running" was ever seen.)"""
    wait_idle(page)
    socket = getattr(page, "socket", None)
    assert socket is not None and not socket.is_closed(), "after_rerun needs a page from watch_socket()"
    with socket.expect_event("framereceived", predicate=_run_finished, timeout=600_000):
        action()
    wait_idle(page)


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
