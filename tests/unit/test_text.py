"""Plain text from outside: cleaned, Markdown-escaped, and safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.sources.text import clean_text, markdown_escape, spreadsheet_safe, spreadsheet_safe_frame


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Atmeh", "Atmeh"),
        ("a=b", "a=b"),
        ("", ""),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_spreadsheet_formulas_are_neutralised(value, safe):
    assert spreadsheet_safe(value) == safe


def test_a_table_keeps_its_numbers_and_neutralises_its_text():
    frame = pd.DataFrame({"label": ["=1+1", "Idlib"], "km": [-3.0, 4.0]})
    out = spreadsheet_safe_frame(frame)
    assert list(out["label"]) == ["'=1+1", "Idlib"] and list(out["km"]) == [-3.0, 4.0]
    assert list(frame["label"]) == ["=1+1", "Idlib"]  # the original is untouched


def test_html_entities_show_as_typed():
    assert markdown_escape("&lt;b&gt; &#60;") == r"\&lt;b\&gt; \&\#60;"


def test_markdown_and_control_characters():
    assert markdown_escape("[x](http://e.invalid)") == "\\[x\\]\\(http\\:\u200b//e\\.invalid\\)"
    assert markdown_escape("www.e.invalid a@e.invalid") == "w\u200bww\\.e\\.invalid a@\u200be\\.invalid"
    assert clean_text("a\u202eb\x00c\nd") == "abc d"


@pytest.mark.parametrize("value", [":material/warning:", ":warning:", "x :smile: y", ":streamlit:"])
def test_icon_and_emoji_shortcodes_are_shown_as_typed(value):
    """Streamlit draws ``:material/…:`` as an icon and ``:name:`` as an emoji even when escaped (issue 27):
    no colon in the escaped text may open a shortcode (Streamlit's own patterns, from its front end)."""
    import re

    escaped = markdown_escape(value).replace("\\", "")
    assert not re.search(r":material/\w+:", escaped) and not re.search(r":[\w+-][\w_+-]*:", escaped)
    assert escaped.replace("\u200b", "") == value
