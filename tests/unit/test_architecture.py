"""The folders are the architecture: imports run one way, views -> ui -> render -> exchange -> model -> sources."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"
# Lower rank = closer to the data. A module may import its own layer or any layer below it.
RANK = {"sources": 0, "model": 1, "exchange": 2, "render": 3, "ui": 4, "views": 5, "app": 6, "__main__": 6}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "app"


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dashboard"):
            found |= {f"{node.module}.{a.name}" if node.module == "dashboard" else node.module for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("dashboard")}
    return found


def test_imports_run_one_way():
    against = []
    for path in PACKAGE.rglob("*.py"):
        own = path.relative_to(PACKAGE).parts
        layer = own[0] if len(own) > 1 else path.stem
        for target in imports(path):
            if RANK[layer_of(target)] > RANK.get(layer, 6):
                against.append(f"{'/'.join(own)} imports {target}")
    assert against == []


def test_every_module_sits_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.stem not in RANK and p.stem != "__init__"]
    assert loose == []
    data_dirs = {"__pycache__", "static"}  # static: the layer files the app serves (no code)
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in data_dirs} <= set(RANK)


def test_the_core_never_loads_streamlit():
    """Ruff bans a direct import; this catches an indirect one."""
    code = (
        "import sys, dashboard.render.pack, dashboard.render.report, dashboard.exchange.decks, dashboard.__main__;"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
