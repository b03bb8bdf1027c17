"""One font: what the static maps measure when they place a label is what vl-convert draws, in the PNG and in
the PDF."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from dashboard.render import fonts, images

LABEL = "Jisr al-Shughur, Maarrat al-Numan, Aḑ Ḑumayr, Tall Tamr"


def _label_chart(size: float) -> dict:
    """One line of text, left-aligned at x = 10, with no font named: the one font is the picture's own."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 1600,
        "height": 100,
        "data": {"values": [{"t": LABEL}]},
        "mark": {"type": "text", "fontSize": size, "align": "left", "x": 10, "y": 50, "color": "black"},
        "encoding": {"text": {"field": "t"}},
        "config": {"view": {"stroke": None}},
    }


def test_a_label_is_drawn_as_wide_as_it_is_measured():
    """Before: vl-convert drew unfonted text in its fallback (Liberation Sans), 1,008 px of ink against
    1,131 px measured for this label at 40 px; placement was measured for a font that was not drawn."""
    size = 40
    picture = np.asarray(Image.open(io.BytesIO(images.png(_label_chart(size)))).convert("L"))
    inked = np.flatnonzero((picture < 128).any(axis=0))
    drawn = inked[-1] - inked[0] + 1
    measured = fonts.text_width(LABEL, size)
    assert abs(drawn - measured) <= 0.01 * measured, (drawn, measured)


def test_every_picture_names_the_one_font():
    assert images._spec(_label_chart(12))["config"]["font"] == fonts.FAMILY
    assert f'font-family="{fonts.FAMILY}' in images.svg(_label_chart(12)).replace("&quot;", "")
