"""A real Streamlit server and Debian's Chromium, shared by the browser tests and the browser benchmarks.

Chromium is the system one (``apt-get install chromium``); Playwright never downloads a browser.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
# a page's map: the landing page's live view (deck.gl in a component) or pydeck's chart on the other pages
MAP = "[data-testid=stDeckGlJsonChart] canvas, .nws-map canvas"
# A headline figure's text, wherever it is painted: the live view's tile (by its metric's key) or a metric element
# (by its label). The live view paints on every thumb move; its tile is the same figure once a move is released.
FIGURE_JS = (
    "([key, label]) => { const tile = document.querySelector(`.nws-tile[data-key=${key}] .nws-value`);"
    " if (tile) return tile.textContent;"
    " const el = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.includes(label));"
    " return el ? el.querySelector('[data-testid=stMetricValue]').innerText : null; }"
)
ZONE_METRIC_JS = f"() => ({FIGURE_JS})(['zone_area_km2', 'Zone area'])"
CHANGED_JS = (
    f"(before) => {{ const now = ({FIGURE_JS})(['zone_area_km2', 'Zone area']); return now && now !== before; }}"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    timeout: float = 180.0,
    env: dict | None = None,
    port: int | None = None,
    script: Path = ROOT / "dashboard" / "app.py",
):
    """Start ``script`` (the dashboard unless given) on a localhost port (a free one unless given);
    yields (url, process)."""
    port = port or free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s") from None
                time.sleep(0.5)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used, in seconds (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def is_local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.scheme not in ("http", "https", "ws", "wss") or parsed.hostname in LOCAL_HOSTS


def big_polygon_geojson(vertices: int = 900_000) -> bytes:
    """One ~18 MB polygon of 900,000 vertices around Atmeh: the upload limit filled by a single feature."""
    import numpy as np

    t = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    ring = [*zip(np.round(36.6 + 0.3 * np.cos(t), 5), np.round(36.3 + 0.2 * np.sin(t), 5), strict=True)]
    ring.append(ring[0])
    coords = ",".join(f"[{x},{y}]" for x, y in ring)
    head = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"big"},'
    return (head + '"geometry":{"type":"Polygon","coordinates":[[' + coords + "]]}}]}").encode()


def many_polygons_geojson(count: int = 5_000, vertices: int = 150) -> bytes:
    """``count`` ~2 km polygons of ``vertices`` vertices scattered over north-west Syria (~17 MB): an
    upload at the feature limit, whose coverage and drawing must not make a slider move slow."""
    import numpy as np

    rng = np.random.default_rng(7)
    t = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    features = []
    for k, (lon, lat) in enumerate(zip(rng.uniform(35.9, 38.2, count), rng.uniform(35.3, 36.9, count), strict=True)):
        r = 0.01 * (1 + 0.3 * np.sin(5 * t + k))
        ring = [[round(lon + x, 6), round(lat + y, 6)] for x, y in zip(r * np.cos(t), r * np.sin(t), strict=True)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "properties": {"name": f"site {k}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
