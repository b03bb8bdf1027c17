"""Where the committed data lives: the geodata layers and the seed texts.

In a checkout they are the folders at its top (``geodata/``, ``seeds/``), where ``make geodata`` writes the
layers and reviewers read them. An installed wheel carries the same folders as package data inside
``dashboard`` (``pyproject.toml`` maps them), so the app runs from the package outside any checkout.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def data_dir(name: str) -> Path:
    """The folder ``name`` (``"geodata"`` or ``"seeds"``): the checkout's own, else the installed copy."""
    top = _PACKAGE.parent
    return top / name if (top / "pyproject.toml").is_file() else _PACKAGE / name
