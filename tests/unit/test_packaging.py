"""The wheel is the app: installed in a fresh virtual environment outside the checkout, it answers
``python -m dashboard scenario`` and builds the briefing pack from the layers and seed texts it carries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh environment holding only the wheel; the libraries it needs are this environment's, reached
    through a path file (not its editable install of the checkout), so no package is fetched."""
    where = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(where), str(ROOT)],
        capture_output=True,
        text=True,
        cwd=where,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = where.glob("*.whl")
    env_dir = where / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True
    ).stdout.strip()
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "shared_libraries.pth").write_text("\n".join(sorted(shared)) + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        cwd=where,
    )
    assert install.returncode == 0, install.stderr
    return python, where, build.stdout + build.stderr


def _run(python, cwd, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([python, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_build_lists_every_package_it_ships(installed):
    _, _, log = installed
    assert "is absent from the `packages` configuration" not in log, log  # setuptools: "would be ignored"


def test_the_wheel_and_the_checkout_carry_the_front_end_code_the_pages_serve(installed):
    """The live view's script, the time control's page and the vendored deck.gl bundle with its licence are in
    git (a fresh clone once lacked the bundle: an ignore rule hid it) and in the wheel."""
    _, where, _ = installed
    shipped = set(zipfile.ZipFile(next(where.glob("*.whl"))).namelist())
    front = [
        "dashboard/ui/live_view.js",
        "dashboard/ui/live_view.css",
        "dashboard/ui/time_control/index.html",
        "dashboard/static/vendor/deck.gl-9.2.6.min.js",
        "dashboard/static/vendor/deck.gl-LICENSE.txt",
    ]
    tracked = subprocess.run(["git", "ls-files", *front], capture_output=True, text=True, cwd=ROOT).stdout.split()
    assert sorted(tracked) == sorted(front)
    assert set(front) <= shipped, set(front) - shipped


def test_the_installed_wheel_answers_a_scenario_outside_the_checkout(installed):
    python, where, _ = installed
    found = _run(python, where, "-c", "import dashboard; print(dashboard.__file__)")
    assert found.returncode == 0 and Path(found.stdout.strip()).is_relative_to(where), found
    out = _run(python, where, "-m", "dashboard", "scenario", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["zone_area_km2"] > 0


def test_the_installed_wheel_builds_the_pack(installed):
    python, where, _ = installed
    pack = where / "pack.html"
    out = _run(python, where, "-m", "dashboard", "briefing", "--default", "--format", "html", "--out", str(pack))
    assert out.returncode == 0, out.stderr
    html = pack.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Natural Earth" in html
