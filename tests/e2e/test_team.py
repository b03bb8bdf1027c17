"""A team's set-up in real Chromium: PostgreSQL, two app servers and HAProxy (bench/team.py, `make team`).

Through the proxy: the security headers and the request limit Streamlit does not send itself; two analysts
pinned to different servers open and save each other's decks at once; and one server killed with kill -9
mid-briefing: its analyst's page comes back from the other server with the scenario of its link, and no
saved deck is lost. PostgreSQL restarted during saves is in tests/unit/test_decks.py; the same faults under
load are in `make bench-load`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import tomllib
import urllib.error
import urllib.request

import pytest

from bench.harness import IDLE, MAP, ROOT
from tests.e2e.conftest import ARTIFACTS, after_rerun, wait_idle, warm_up, watch_socket
from tests.e2e.test_survival import choose

STATE_JS = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-connection-state')"
CAPTION_JS = "() => document.querySelector('[data-testid=stCaptionContainer]')?.innerText"


@pytest.fixture(scope="module")
def team_setup(browser):
    from bench.team import pg_bindir, team

    if not shutil.which("haproxy"):
        pytest.skip("haproxy is not installed (apt-get install haproxy): the team set-up's tests skipped")
    try:
        pg_bindir()
    except FileNotFoundError as exc:
        pytest.skip(f"{exc}: the team set-up's tests skipped")
    ports = [int(p) for p in os.environ.get("NWSYRIA_TEST_TEAM_PORTS", "8540,8541,8542").split(",")]
    with team(ports[0], (ports[1], ports[2]), int(os.environ.get("NWSYRIA_TEST_TEAM_PG_PORT", "55434"))) as t:
        for url, _ in t.servers:
            warm_up(browser, url)
        yield t


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_the_proxy_adds_the_security_headers_and_the_upload_limit(team_setup):
    status, headers, body = fetch(team_setup.url + "/")
    script = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', body).group(1).decode()
    for path in ("/", "/" + script, "/_stcore/health"):
        status, headers, _ = fetch(team_setup.url + path)
        assert status == 200, path
        csp = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
        assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'self'"]
        assert csp["object-src"] == ["'none'"] and "'unsafe-inline'" not in csp["script-src"]
        assert "'unsafe-eval'" not in csp["script-src"]
        sources = {s for values in csp.values() for s in values}
        # Only this origin: keywords, hashes of the page's own inline scripts, and data:/blob: the page makes.
        assert all(s.startswith("'") or s in ("data:", "blob:") for s in sources), sources
        assert headers["X-Frame-Options"] == "SAMEORIGIN" and headers["X-Content-Type-Options"] == "nosniff"
    direct = fetch(team_setup.servers[0][0] + "/")[1]
    assert "Content-Security-Policy" not in direct  # the proxy adds them: Streamlit does not send them
    limit_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    limit = (limit_mb + 1) * 1024 * 1024  # the upload limit and Streamlit's own 1 MB for multipart framing
    assert put_status(team_setup.url, limit + 1, send_body=False).startswith(b"HTTP/1.1 413")  # told at once
    answer = put_status(team_setup.url, limit, send_body=True)
    assert answer.startswith(b"HTTP/1.1 ") and not answer.startswith(b"HTTP/1.1 413")  # Streamlit answers


def put_status(url: str, length: int, send_body: bool) -> bytes:
    """The status line the proxy returns for an upload of ``length`` bytes (the body sent only if asked: a
    refused upload is refused on its declared length, before any of it is sent)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=120) as sock:
        head = f"PUT /_stcore/upload_file/no-session/no-file HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        sock.sendall(f"{head}Content-Length: {length}\r\nContent-Type: text/plain\r\n\r\n".encode())
        if send_body:
            with contextlib.suppress(OSError):  # the server may answer and close before the whole body
                sock.sendall(b"x" * length)
        return sock.makefile("rb").readline()


def server_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "NWSYRIA_SERVER")


def open_decks(page) -> None:
    page.get_by_text("Saved decks: save, open, import, export").click()
    wait_idle(page)


def save(page, name: str, version: int) -> None:
    box = page.get_by_label("Deck name")
    if box.input_value() != name:
        box.fill(name)
        box.press("Enter")
        wait_idle(page)
    page.get_by_role("button", name="Save deck").click()
    page.get_by_text(re.compile(rf"Saved {name} as version {version}\.")).wait_for(timeout=600_000)
    wait_idle(page)


def test_two_analysts_on_two_servers_share_decks_and_a_killed_server_loses_nothing(browser, team_setup):
    proxy = team_setup.url
    ana = browser.new_context(viewport={"width": 1400, "height": 900})
    ben = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        a = ana.new_page()
        watch_socket(a)
        a.set_default_timeout(600_000)
        a.goto(f"{proxy}/briefing", timeout=600_000)
        wait_idle(a)
        open_decks(a)
        save(a, "Team brief", 1)
        other = "b" if server_of(ana) == "a" else "a"
        ben.add_cookies([{"name": "NWSYRIA_SERVER", "value": other, "url": proxy}])  # Ben is on the other server
        b = ben.new_page()
        watch_socket(b)
        b.set_default_timeout(600_000)
        b.goto(f"{proxy}/briefing", timeout=600_000)
        wait_idle(b)
        assert server_of(ben) == other != server_of(ana)
        open_decks(b)
        choose(b, "Open a saved deck", "Team brief")  # Ana's deck, at once, through the other server
        b.locator("[data-testid=stBaseButton-secondary]", has_text="Open").click()
        b.get_by_text("Opened Team brief, version 1.").wait_for()
        save(b, "Team brief", 2)
        save(a, "Team brief", 3)  # Ana saved after Ben: both versions kept, and she is told
        a.get_by_text("Someone else saved version 2 after you opened this deck").wait_for()
        b.screenshot(path=str(ARTIFACTS / "team_ben.png"))

        a.goto(f"{proxy}/?outer=44&corridor=6")
        a.wait_for_selector(MAP)
        wait_idle(a)
        caption = a.evaluate(CAPTION_JS)
        assert "44 km" in caption and "corridor 6 km" in caption
        dead = team_setup.servers["ab".index(server_of(ana))][1]  # server a is the first, b the second
        os.kill(dead.pid, signal.SIGKILL)  # mid-briefing
        dead.wait()
        a.wait_for_function(f"{STATE_JS} !== 'CONNECTED'")
        a.wait_for_function(f"{STATE_JS} === 'CONNECTED'", timeout=600_000)  # through the proxy, to the other
        a.wait_for_selector(IDLE)
        a.wait_for_selector(MAP)
        a.wait_for_function(f"() => ({CAPTION_JS})() === {caption!r}")  # the scenario of its link
        assert "outer=44" in a.url and "corridor=6" in a.url
        assert a.locator("[data-testid=stException]").count() == 0
        a.screenshot(path=str(ARTIFACTS / "team_after_kill.png"))
        assert server_of(ana) == other  # the proxy moved Ana to the server still up

        after_rerun(a, a.locator("[data-testid=stSidebarNav] a", has_text="Briefing").first.click)
        open_decks(a)
        choose(a, "Open a saved deck", "Team brief")
        a.get_by_label("Version").first.click()  # every version saved before the kill is there, newest first
        a.get_by_role("option").first.wait_for()  # the list opens a frame after the click
        listed = [o.inner_text().split(" ")[0] for o in a.get_by_role("option").all()]
        assert listed == ["3", "2", "1"], listed
        a.keyboard.press("Escape")
        choose(a, "Version", "2 (saved")  # the newest (3) is chosen already: choosing it would start no run
        a.locator("[data-testid=stBaseButton-secondary]", has_text="Open").click()
        a.get_by_text("Opened Team brief, version 2.").wait_for()
        save(a, "Team brief", 4)
        a.screenshot(path=str(ARTIFACTS / "team_after_kill_briefing.png"))
    finally:
        ana.close()
        ben.close()
