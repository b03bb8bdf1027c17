"""A team's set-up on this machine (`make team`): PostgreSQL, two dashboard servers and HAProxy in front.

Everything comes from Debian's packages (postgresql, haproxy); nothing is installed here. The same pieces
serve the tests (tests/e2e/test_team.py), `make bench-load` and `.ci/run` (a throwaway cluster for the deck
store's tests). The cluster lives in a temporary folder and listens on 127.0.0.1 only; as root (CI), it runs
as the ``postgres`` user, since PostgreSQL refuses to run as root.

    python -m bench.team                     # the whole team set-up until Ctrl-C (`make team`)
    python -m bench.team pg-start DIR PORT   # a throwaway cluster in DIR; prints its database URL
    python -m bench.team pg-stop DIR
    python -m bench.team proxy-env           # NWSYRIA_MAX_BODY and NWSYRIA_CSP for deploy/haproxy.cfg
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.harness import ROOT, streamlit_server

HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
PROXY_PORT, APP_PORTS, PG_PORT = 8540, (8541, 8542), 55432
DATABASE = "decks"


def pg_bindir() -> Path:
    """PostgreSQL's server programs (initdb, pg_ctl): Debian keeps them out of PATH, per major version."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise FileNotFoundError("PostgreSQL's initdb was not found (apt-get install postgresql)")


def _as_owner(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run the command as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in ``data`` on 127.0.0.1:``port``, trusting local connections."""

    data: Path
    port: int

    @property
    def url(self) -> str:
        user = "postgres" if os.geteuid() == 0 else _me()
        return f"postgresql://{user}@127.0.0.1:{self.port}/{DATABASE}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_owner([str(pg_bindir() / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        subprocess.run(
            _as_owner([str(pg_bindir() / "initdb"), "-D", str(self.data), "-A", "trust", "-E", "UTF8", "--no-sync"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()
        subprocess.run(
            _as_owner([str(pg_bindir() / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), DATABASE]), check=True
        )

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._ctl("-o", opts, "-l", str(self.data / "server.log"), "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def restart(self) -> None:
        """Stop (ending every connection and rolling back open transactions) and start again."""
        self.stop()
        self.start()


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


@contextmanager
def postgres_cluster(port: int = PG_PORT) -> Iterator[Cluster]:
    """A new cluster in a temporary folder, removed at the end."""
    with tempfile.TemporaryDirectory(prefix="nwsyria-pg-") as tmp:
        os.chmod(tmp, 0o755)  # the postgres user must reach its data folder inside
        cluster = Cluster(Path(tmp) / "data", port)
        cluster.init()
        try:
            yield cluster
        finally:
            cluster.stop("immediate")


def max_body_bytes() -> int:
    """The proxy's request limit: server.maxUploadSize (MB, as Streamlit counts them) and 1 MB of multipart
    framing, the margin Streamlit's own upload handler allows."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return (int(config["server"]["maxUploadSize"]) + 1) * 1024 * 1024


def script_hash(body: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"


def inline_script_hashes() -> list[str]:
    """The CSP hashes of the only inline scripts the page runs, so that no other inline script can: the one in
    the installed Streamlit's index.html (it sets ``window.prerenderReady``) and the dashboard's connection
    watch (dashboard/ui/connection.py, a constant), which reloads the page through the proxy when its server
    is gone."""
    from dashboard.ui.connection import WATCH_JS

    package = Path(importlib.util.find_spec("streamlit").origin).parent
    html = (package / "static" / "index.html").read_text(encoding="utf-8")
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    bodies += re.findall(r"<script[^>]*>(.*?)</script>", WATCH_JS, flags=re.S)
    return [script_hash(b) for b in bodies]


def content_security_policy() -> str:
    """Only this origin. Styles may be inline: Streamlit's front end (emotion) writes its styles into
    <style> elements at run time. WebAssembly may be compiled ('wasm-unsafe-eval', not 'unsafe-eval'):
    Streamlit's own protobuf decoder and the map (deck.gl) compile theirs, from this origin's files. Scripts
    may be blob: URLs: Streamlit loads a component's script (the live view's loader) as a module from a blob
    the page itself makes, which only a script already running here can do.
    Images and fonts may be data: and blob: URLs the page makes itself."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' blob: 'wasm-unsafe-eval' " + " ".join(inline_script_hashes()),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "frame-ancestors 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def proxy_env(bind: str, servers: tuple[str, str]) -> dict[str, str]:
    return {
        "NWSYRIA_PROXY_BIND": bind,
        "NWSYRIA_APP_A": servers[0],
        "NWSYRIA_APP_B": servers[1],
        "NWSYRIA_MAX_BODY": str(max_body_bytes()),
        "NWSYRIA_CSP": content_security_policy(),
    }


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"nothing listens on port {port}") from None
            time.sleep(0.2)


@contextmanager
def haproxy(port: int, servers: tuple[str, str]) -> Iterator[str]:
    """HAProxy on 127.0.0.1:``port`` with deploy/haproxy.cfg in front of ``servers``; yields its URL."""
    if not shutil.which("haproxy"):
        raise FileNotFoundError("haproxy is not installed (apt-get install haproxy)")
    subprocess.run(
        ["haproxy", "-c", "-q", "-f", str(HAPROXY_CFG)],
        check=True,
        env={**os.environ, **proxy_env(f"127.0.0.1:{port}", servers)},
    )
    proc = subprocess.Popen(
        ["haproxy", "-db", "-f", str(HAPROXY_CFG)],
        env={**os.environ, **proxy_env(f"127.0.0.1:{port}", servers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Team:
    url: str  # the proxy: what analysts open
    servers: list  # [(url, process)] of the app servers
    cluster: Cluster


def server_env(database_url: str, cookie_secret: str) -> dict[str, str]:
    """What every app server of a team shares: the deck database, and the secret that signs Streamlit's
    XSRF cookie (a browser moved to another server by the proxy keeps a cookie that server accepts)."""
    return {"NWSYRIA_DECKS_URL": database_url, "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}


@contextmanager
def team(
    proxy_port: int = PROXY_PORT, app_ports: tuple[int, int] = APP_PORTS, pg_port: int = PG_PORT
) -> Iterator[Team]:
    """PostgreSQL, two app servers on it and HAProxy in front; all stopped at the end."""
    with ExitStack() as stack:
        cluster = stack.enter_context(postgres_cluster(pg_port))
        env = server_env(cluster.url, secrets.token_hex(32))
        servers = [stack.enter_context(streamlit_server(env=env, port=port)) for port in app_ports]
        url = stack.enter_context(haproxy(proxy_port, tuple(f"127.0.0.1:{port}" for port in app_ports)))
        yield Team(url, servers, cluster)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    start = sub.add_parser("pg-start", help="initialise and start a throwaway cluster; print its URL")
    start.add_argument("data", type=Path)
    start.add_argument("port", type=int)
    stop = sub.add_parser("pg-stop", help="stop the cluster in DATA")
    stop.add_argument("data", type=Path)
    sub.add_parser("proxy-env", help="print the proxy's computed settings (shell syntax)")
    args = parser.parse_args()
    if args.command == "pg-start":
        cluster = Cluster(args.data, args.port)
        cluster.init()
        print(cluster.url)
    elif args.command == "pg-stop":
        Cluster(args.data, 0).stop()
    elif args.command == "proxy-env":
        import shlex

        for key in ("NWSYRIA_MAX_BODY", "NWSYRIA_CSP"):
            print(f"{key}={shlex.quote(proxy_env('', ('', ''))[key])}")
    else:
        # Stopped by Ctrl-C or by `kill` (a service manager's SIGTERM): either way everything is stopped.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
        with team() as t:
            print(f"Team set-up: open {t.url} (servers {', '.join(u for u, _ in t.servers)}; decks in {t.cluster.url})")
            print("Ctrl-C stops PostgreSQL, both servers and the proxy.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                print("Stopping.")
    sys.exit(0)


if __name__ == "__main__":
    main()
