"""The files the server serves to the browser (``ui/served_files.py``), tested without Streamlit: content
names, whole-or-nothing writes, the check that they are still there, the datasets of a chart moved to
files, and the removal of old uploads' drawings, which importing the UI never does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from dashboard.ui import served_files


@pytest.fixture
def static(tmp_path, monkeypatch):
    folder = tmp_path / "static"
    monkeypatch.setattr(served_files, "STATIC_DIR", folder)
    return folder


def test_the_module_runs_without_streamlit():
    code = "import sys, dashboard.ui.served_files; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_file_is_named_by_its_content_and_an_upload_by_chance(static):
    first = served_files.static_file("posts", {"a": 1})
    assert first == served_files.static_file("posts", {"a": 1}) != served_files.static_file("posts", {"a": 2})
    assert json.loads(served_files.path_of(first).read_text()) == {"a": 1}
    assert oct(served_files.path_of(first).stat().st_mode)[-3:] == "644"
    private = {served_files.static_file("user", {"a": 1}, private=True) for _ in range(2)}
    assert len(private) == 2 and first not in private


def test_a_folder_that_cannot_be_written_gives_no_url_and_leaves_no_part(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("where the folder should be")
    monkeypatch.setattr(served_files, "STATIC_DIR", blocker / "static")
    assert served_files.static_file("posts", {"a": 1}) is None
    assert list(tmp_path.iterdir()) == [blocker]


def test_present_sees_a_removed_file_and_a_removed_tile(static):
    url = served_files.static_file("posts", [1, 2])
    template = served_files.STATIC_URL + "names-x-{z}-{x}-{y}.json"
    tiles = [served_files.tile_url(template, *key) for key in ((0, 0, 0), (1, 1, 0))]
    for tile in tiles:
        served_files.written(served_files.path_of(tile), b"[]")
    assert served_files.present([url, template], lambda t: tiles)
    served_files.path_of(tiles[1]).unlink()
    assert not served_files.present([url, template], lambda t: tiles)
    assert served_files.present([url])
    served_files.path_of(url).unlink()
    assert not served_files.present([url])


def test_a_charts_datasets_become_files_but_an_inline_view_keeps_its_own(static):
    spec = {
        "datasets": {"curve": [{"km": 1}], "band": [{"km": 2}], "unused": [0]},
        "layer": [{"data": {"name": "curve"}}, {"name": "band", "data": {"name": "band"}}],
    }
    out = served_files.served_datasets(spec, "curve", inline=lambda view: view.get("name") == "band")
    [url] = served_files.served_urls(out["layer"][0] | {"layer": []})
    assert json.loads(served_files.path_of(url).read_text()) == [{"km": 1}]
    assert out["layer"][1]["data"] == {"name": "band"} and set(out["datasets"]) == {"band"}


def test_only_upload_drawings_older_than_a_day_are_removed(static):
    static.mkdir()
    old, new, other = (static / name for name in ("user-old.json", "user-new.json", "posts-old.json"))
    for path in (old, new, other):
        path.write_text("[]")
    two_days_ago = time.time() - 2 * 86_400
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(other, (two_days_ago, two_days_ago))
    assert served_files.forget_old_uploads() == 1
    assert not old.exists() and new.exists() and other.exists()


def test_importing_the_ui_deletes_no_file():
    """Before: importing the UI's cache module removed old uploads' drawings, whatever imported it (a test,
    a tool). Now a running app asks once per process (app.py)."""
    old = served_files.STATIC_DIR / "user-import-check.json"
    served_files.written(old, b"[]")
    try:
        os.utime(old, (time.time() - 2 * 86_400,) * 2)
        code = "import dashboard.ui.landing, dashboard.ui.map_specs, dashboard.ui.uploaded_layers"
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        assert old.exists()
    finally:
        old.unlink(missing_ok=True)
