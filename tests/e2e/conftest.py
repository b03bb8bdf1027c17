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
