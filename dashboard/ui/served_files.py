"""Files this server serves to the browser: the map's layers and names' tiles, the charts' data and uploads'
drawings, as JSON in the folder ``static`` beside the main script, which Streamlit serves at ``app/static/``
when ``server.enableStaticServing`` is on (``.streamlit/config.toml``).

A file sent this way is fetched once by the browser (same origin: nothing leaves the machine) and kept in its
cache, so a slider step sends only what the scenario changed. Plain functions on paths, no Streamlit: the
caches that decide what to serve are in ``map_specs.py`` and ``uploaded_layers.py``.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
STATIC_URL = "app/static/"  # relative: resolved against the page's own address, base URL path included
UPLOAD_STEM = "user"  # an upload's drawing (its layer's id, render/maps.py): removed after a day


def path_of(url: str) -> Path:
    """The file behind a served URL."""
    return STATIC_DIR / url.removeprefix(STATIC_URL)


def static_file(stem: str, data, private: bool = False) -> str | None:
    """``data`` as a JSON file, written once; its URL, or None if it cannot be written (a read-only
    install: the caller then sends the data inline, slower but the same).

    The name is a hash of the content, so rebuilt data gets a new name and a stale copy is never shown;
    a ``private`` file (an analyst's upload) gets a random name instead, which no one can derive from the
    file they hold."""
    body = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return static_bytes(stem, body, ".json", private)


def static_bytes(stem: str, body: bytes, suffix: str, private: bool = False) -> str | None:
    """``body`` as a file named ``stem``-hash``suffix`` (a random tag if ``private``), written once; its URL,
    or None if it cannot be written."""
    tag = secrets.token_hex(16) if private else hashlib.sha256(body).hexdigest()[:16]
    path = STATIC_DIR / f"{stem}-{tag}{suffix}"
    return STATIC_URL + path.name if written(path, body) else None


def written(path: Path, body: bytes) -> bool:
    """Whether ``path`` holds ``body``: written now, whole or not at all, unless it is there already."""
    if os.access(path, os.R_OK):
        return True
    tmp = None
    try:
        path.parent.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as tmp:
            tmp.write(body)
        os.chmod(tmp.name, 0o644)  # readable by the server whoever runs it next (mkstemp makes it 0600)
        os.replace(tmp.name, path)  # whole or not at all, even with two servers starting at once
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp.name)
        return False
    return True


def tile_url(url: str, z: int = 0, x: int = 0, y: int = 0) -> str:
    """A tiled layer's tile (by default level 0's, which holds the whole map) for a URL template; any other
    URL as it is."""
    return url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def present(urls: Iterable[str], tiles: Callable[[str], list[str]] = lambda template: [tile_url(template)]) -> bool:
    """Whether every served file behind ``urls`` is still there (``make clean`` under a running server); a URL
    template stands for the files ``tiles(template)`` lists."""
    return all(os.access(path_of(f), os.R_OK) for url in urls for f in (tiles(url) if "{z}" in url else [url]))


def served(layer, private: bool = False):
    """The map layer with its data in a file (see :func:`static_file`), loaded by URL; the layer as it is if
    no file can be written."""
    url = static_file(layer.id, layer.data, private)
    if url is None:
        return layer
    out = copy.copy(layer)
    out.data = url
    return out


def served_datasets(spec: dict, stem: str, inline=lambda view: False) -> dict:
    """A Vega-Lite spec whose named datasets are files loaded by URL (see :func:`static_file`), for the
    spec itself and each of its layers: Streamlit converts a dataset sent inline to an Arrow table on every
    call (the Figures page's four charts: ~40 ms of each visit's server time), and sends it again. A view for
    which ``inline(view)`` is true keeps its data inline (the sensitivity chart's band, swapped per step, see
    ``charts.with_band``); so does every view if a file cannot be written."""
    datasets = spec.get("datasets", {})

    def one(view: dict) -> dict:
        name = view.get("data", {}).get("name")
        if name not in datasets or inline(view):
            return view
        url = static_file(stem, datasets[name])
        return view if url is None else {**view, "data": {"url": url, "format": {"type": "json"}}}

    out = one(spec)
    if "layer" in out:
        out = {**out, "layer": [one(layer) for layer in out["layer"]]}
    # a dataset is dropped only if nothing left names it (a nested view or a lookup may, though no chart does)
    named = json.dumps({k: v for k, v in out.items() if k != "datasets"})
    return {**out, "datasets": {k: v for k, v in datasets.items() if json.dumps(k) in named}}


def served_urls(spec: dict) -> list[str]:
    """The files a chart spec from :func:`served_datasets` loads."""
    return [view["data"]["url"] for view in (spec, *spec.get("layer", [])) if "url" in view.get("data", {})]


def forget_old_uploads(older_than_s: float = 86_400) -> int:
    """Remove drawings of uploads written more than a day ago: an analyst's layer is not kept on the server's
    disk for longer than a briefing day. How many were removed. Called once a server process
    (``uploaded_layers.forget_old_uploads``), never on import."""
    removed = 0
    with contextlib.suppress(OSError):
        for path in STATIC_DIR.glob(f"{UPLOAD_STEM}-*.json"):
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > older_than_s:
                    path.unlink()
                    removed += 1
    return removed
