"""Plain text from outside (uploads, imported decks): cleaned for display, escaped for Markdown."""

from __future__ import annotations

import re

MAX_TEXT = 120
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """Plain, single-line text of bounded length: what the UI may show of an uploaded value."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text.replace("\n", " ").replace("\r", " ").replace("\t", " ")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_NOTES = 10_000


def clean_notes(value: object, limit: int = MAX_NOTES) -> str:
    """Plain text of bounded length that keeps its line breaks (a briefer's notes): control characters,
    invisible marks and direction overrides removed, so it is valid in any file format."""
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = "\n".join(_CONTROL.sub("", line).rstrip() for line in text.split("\n")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:&])")  # & too: "&lt;" must not become "<"


# where an invisible break goes: inside an address (``http://``, ``www.``, ``a@b``), and after a colon that
# opens a shortcode (Streamlit draws ``:material/warning:`` as an icon and ``:smile:`` as an emoji, escaped or not)
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=w)(?=ww\.)|(?<=@)|(?<=:)(?=[\w+/-])")
_WORD_BREAK = "\u200b"  # zero-width space: invisible, but no address or e-mail is recognised across it


def markdown_escape(text: str) -> str:
    """Text from outside inside a Markdown message: every Markdown/HTML character escaped, so it shows as
    typed, and addresses and shortcodes broken up so the renderer's autolinking (``http://``, ``www.``,
    ``a@b``) never makes a link of them and ``:material/…:`` or ``:emoji:`` never an icon (escaping alone
    stops neither)."""
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(_WORD_BREAK, text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection): a leading = + - @ tab or CR is
    preceded by an apostrophe, which spreadsheets show as text. Anything that is not text is returned as is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame):
    """A copy of a table with every text cell made :func:`spreadsheet_safe` (numbers stay numbers)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].map(spreadsheet_safe)
    return out
