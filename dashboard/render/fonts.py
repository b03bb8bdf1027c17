"""The one font of every picture drawn on the server, and how wide its text is.

DejaVu Sans ships with the package (``fonts/``, with its licence): it covers Latin with every mark the place
names carry (ḑ ū ş) and Arabic, and it is the same file wherever the app runs. Every chart and map names
:data:`FAMILY` in its config; vl-convert is given the folder (:func:`use_in_vl_convert`), so its PNGs and
SVGs draw this file and not its own fallback (Liberation Sans, ~10 % narrower); the PDF embeds the same file
(:func:`css_font_faces`). Label placement measures text with :func:`text_width`, read from the font file's own
advance widths, so what is placed is what is drawn.
"""

from __future__ import annotations

import base64
import functools
import unicodedata
from pathlib import Path

FAMILY = "DejaVu Sans"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FILES = {False: FONT_DIR / "DejaVuSans.ttf", True: FONT_DIR / "DejaVuSans-Bold.ttf"}


@functools.cache
def use_in_vl_convert() -> None:
    """Give vl-convert the shipped font files (once a process: it keeps them)."""
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))


@functools.cache
def _font(bold: bool) -> tuple[dict[int, str], dict[str, int], dict[tuple[str, str], int], float]:
    """(glyph per code point, advance per glyph, kerning per glyph pair, units per em), read once."""
    from fontTools.ttLib import TTFont

    font = TTFont(FILES[bold], lazy=True)
    advances = {glyph: advance for glyph, (advance, _) in font["hmtx"].metrics.items()}
    kerning: dict[tuple[str, str], int] = {}
    for table in font["kern"].kernTables if "kern" in font else []:
        kerning.update(table.kernTable)
    return font.getBestCmap(), advances, kerning, float(font["head"].unitsPerEm)


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide a line of ``text`` is drawn at type size ``size`` (in the size's unit: px or pt), from the font
    file's advance widths and its kerning pairs. A letter the font lacks is read as its base letter without
    marks (Ḑ as D), else as the font's missing-glyph box."""
    glyphs, advances, kerning, per_em = _font(bold)
    total, previous = 0, None
    for letter in unicodedata.normalize("NFC", text):
        glyph = glyphs.get(ord(letter))
        if glyph is None:
            base = unicodedata.normalize("NFD", letter)[0]
            glyph = glyphs.get(ord(base), ".notdef")
        total += advances[glyph] + kerning.get((previous, glyph), 0)
        previous = glyph
    return total / per_em * size


@functools.cache
def css_font_faces() -> str:
    """``@font-face`` rules carrying the font files as data (the PDF fetches nothing else), so WeasyPrint sets
    the PDF, its maps' SVG text included, in the very file the PNGs are drawn with."""
    rules = []
    for bold, path in FILES.items():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {"bold" if bold else "normal"}; '
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}'
        )
    return "\n".join(rules)
