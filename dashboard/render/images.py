"""Charts and maps drawn to files on the server with vl-convert (no browser, no network): PNG for slides and
pages, SVG where vectors are kept (the PDF, the map download). Every picture is set in the one font
(``render/fonts.py``), which vl-convert is given.

vl-convert reports a broken spec on its console and still returns a tiny blank picture; a picture that small
is refused here, so a broken map fails loudly instead of leaving an empty slide.
"""

from __future__ import annotations

import base64
import io
import re
import struct

from dashboard.render import fonts

MIN_PIXELS = 100  # no real chart or map here is narrower or shorter than this


class RenderError(RuntimeError):
    """vl-convert drew nothing: the chart's spec is broken."""


def _spec(chart) -> dict:
    """The chart's spec with the one font named in its config (see ``render/fonts.py``)."""
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return {**spec, "config": {**spec.get("config", {}), "font": fonts.FAMILY}}


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise RenderError("not a PNG")
    return struct.unpack(">II", data[16:24])


def png(chart, scale: float = 1.0) -> bytes:
    import vl_convert

    fonts.use_in_vl_convert()
    data = vl_convert.vegalite_to_png(_spec(chart), scale=scale)
    width, height = png_size(data)
    if min(width, height) < MIN_PIXELS * scale or _blank(data):
        raise RenderError(f"the chart drew as a blank {width}×{height} px picture: its spec is broken")
    return data


def _blank(data: bytes) -> bool:
    """One colour from edge to edge: what vl-convert returns when the spec fails."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        low, high = picture.convert("L").getextrema()
    return low == high


def png_at_least(chart, min_width_px: int) -> bytes:
    """A PNG at least this wide (for slides and screens): the width is read off the SVG, which is cheap to
    draw, and the PNG drawn once at the scale needed."""
    spec = _spec(chart)
    found = re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg(spec))
    width = float(found.group(1)) if found else min_width_px
    return png(spec, scale=max(1.0, min_width_px / width))


def svg(chart) -> str:
    import vl_convert

    fonts.use_in_vl_convert()
    text = vl_convert.vegalite_to_svg(_spec(chart))
    if "<path" not in text and "<text" not in text:
        raise RenderError("the chart drew as an empty SVG: its spec is broken")
    return text


def svg_data_uri(chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(chart).encode("utf-8")).decode("ascii")
