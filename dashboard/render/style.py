"""One style for every picture: the pydeck map, the static maps of the pack and the Altair charts.

Colours are the Okabe–Ito palette (readable by colour-blind viewers and on a projector) plus neutral
greys. Each is named once here and converted once: to RGBA lists for deck.gl (:attr:`Paint.rgba`) and
to hex plus an opacity for Vega (:attr:`Paint.hex`, :attr:`Paint.opacity`). No other module writes a
colour literal (``tests/unit/test_style.py`` checks).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.model.posts import (
    ACTIVE_OR_ENCIRCLED,
    ACTIVE_OR_EVACUATED,
    ENCIRCLED_OR_EVACUATED,
    UNREPORTED,
)
from dashboard.render.fonts import FAMILY


@dataclass(frozen=True)
class Paint:
    """One colour with its opacity (0–255, as deck.gl takes it)."""

    red: int
    green: int
    blue: int
    alpha: int = 255

    @property
    def rgba(self) -> list[int]:
        return [self.red, self.green, self.blue, self.alpha]

    @property
    def hex(self) -> str:
        return f"#{self.red:02X}{self.green:02X}{self.blue:02X}"

    @property
    def opacity(self) -> float:
        return round(self.alpha / 255, 3)

    @classmethod
    def of(cls, hex_code: str) -> Paint:
        """An opaque colour from its #RRGGBB code."""
        code = hex_code.lstrip("#")
        return cls(int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16))

    def at(self, alpha: int) -> Paint:
        """The same colour at another opacity (a legend swatch must be seen even where the map is faint)."""
        return Paint(self.red, self.green, self.blue, alpha)


# Okabe–Ito, in its published order, then the neutrals
ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = map(
    Paint.of, ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
)
BLACK, WHITE, INK, DARK_GREY, MID_GREY, EVACUATED_GREY = map(
    Paint.of, ["#000000", "#FFFFFF", "#141414", "#444444", "#999999", "#787878"]
)


@dataclass(frozen=True)
class Look:
    """How one map feature is drawn: its fill, its outline and the outline's width in pixels."""

    fill: Paint | None = None
    line: Paint | None = None
    width: float = 1.0


def stacked(*alphas: int) -> int:
    """The opacity of fills of one colour laid over each other (0–255)."""
    clear = 1.0
    for alpha in alphas:
        clear *= 1 - alpha / 255
    return round(255 * (1 - clear))


MAP = {
    "neighbour": Look(Paint(228, 228, 228), Paint(150, 150, 150), 1),
    "syria": Look(Paint(250, 248, 242), Paint(150, 150, 150), 1),
    "boundary": Look(None, EVACUATED_GREY.at(200), 1),
    "district": Look(None, Paint(160, 160, 160, 160), 1),
    # sub-districts are not drawn (the districts' outlines are enough at a glance) but catch the click and the
    # hover anywhere in Syria, over the zone too: the layer is drawn at an opacity of 0 (see maps.py), and
    # deck.gl still picks it; its colour is what Streamlit would paint a selected one, so it is never seen
    "subdistrict": Look(Paint(0, 0, 0, 0), Paint(0, 0, 0, 0), 0),
    "idlib": Look(ORANGE.at(55), ORANGE, 2),
    "afrin": Look(PURPLE.at(70), PURPLE, 2),
    "border": Look(None, Paint(90, 20, 20), 3),
    "river": Look(None, Paint(86, 150, 210, 230), 1),
    "river_named": Look(None, Paint(86, 150, 210, 230), 2),
    "zone": Look(VERMILLION.at(45), None, 0),
    "band": Look(VERMILLION.at(120), None, 0),
    # the interactive map draws the band alone over the zone's inner part (the zone's outline is sent once, not
    # twice): its fill is the zone's and the band's stacked, so it looks as the band over the zone does
    "band_alone": Look(VERMILLION.at(stacked(45, 120)), None, 0),
    "edge_inner": Look(None, BLACK.at(200), 2.5),
    "edge_outer": Look(None, VERMILLION, 2.5),
    "corridor": Look(BLUE.at(90), BLUE, 0),
    "rings": Look(SKY_BLUE.at(70), SKY_BLUE, 0),
    "road": Look(None, Paint(60, 60, 60, 220), 2),
    "scale": Look(None, INK, 2),  # the interactive map's scale bar
    "scale_panel": Look(WHITE.at(240), None, 0),  # under it, so that it reads over a place's name
    "patrol": Look(None, BLUE, 5),
    "settlement": Look(Paint(70, 70, 70, 170), Paint(70, 70, 70, 170), 0),
    "post": Look(None, BLACK, 1.5),
    "user": Look(YELLOW.at(230), BLACK, 1.5),
}
# Point sizes: a settlement's disc grows with the square root of its people; posts and uploads are fixed.
POINT = {
    "settlement_m": 500.0,  # radius in metres of a settlement of unknown or no population
    "settlement_per_sqrt_thousand_m": 120.0,  # added per √(people / 1,000)
    "settlement_min_px": 2,
    "post_m": 1500,
    "post_min_px": 6,
    "user_m": 900,
    "user_min_px": 5,
    "static_post": 60,  # Vega symbol area in px² on the pack's static maps
}
TEXT = {
    "town": (INK, 14),
    "place": (Paint(60, 60, 60), 12),
    "scale": (INK, 12),  # the other places named on the interactive map, below the key towns
    "river": (Paint(40, 100, 170), 12),
    "static_town": (INK, 11),
}
# Observation-post status: the two uncertain statuses sit between the certain ones they join.
STATUS = {
    "active": GREEN,
    ACTIVE_OR_ENCIRCLED: ORANGE,
    "encircled": VERMILLION,
    ENCIRCLED_OR_EVACUATED: PURPLE,
    ACTIVE_OR_EVACUATED: SKY_BLUE,
    UNREPORTED: BLUE,
    "evacuated": EVACUATED_GREY,
    "not established": WHITE,
}
# Conflict events (UCDP) by type of violence; a disc's area grows with its deaths.
VIOLENCE = {
    "state-based": Paint(120, 0, 60, 190),
    "non-state": SKY_BLUE.at(190),
    "one-sided": YELLOW.at(220),
}
EVENT_POINT = {"base_m": 400.0, "per_sqrt_death_m": 350.0, "min_px": 2, "max_m": 6000.0}
# Charts: what a mark is, not which chart it is in.
CHART = {
    "seed": VERMILLION,  # a figure from the source texts
    "reference": BLUE,  # the external record
    "context": MID_GREY,  # muted context
    "accent": ORANGE,  # agreements, deadlines
    "accent_text": Paint(122, 74, 0),  # labels of accents, dark enough to read on white
    "subtitle": DARK_GREY,
}
FONT = 14
ALERT = {"background": Paint.of("#8B0000"), "text": WHITE}  # the lost-connection banner
PAGE = {"ink": Paint(17, 17, 17), "rule": Paint(187, 187, 187)}  # the pack's text and table rules
MAP_FONT = f"'{FAMILY}, sans-serif'"  # the one font (render/fonts.py), quoted as pydeck passes it to deck.gl


def _undated(status: str) -> str:
    """A status as a legend says it: "(date not reported)" is long for a swatch's label."""
    return status.replace(" (date not reported)", " (undated)").replace(" (dates not reported)", " (undated)")


# The legend: every layer's entry once, as (label, swatch colour, swatch shape), in drawing order. Faint fills
# are shown stronger so the swatch can be seen; the shape is a Vega symbol ("square" an area, "stroke" a line).
LEGEND = {
    "neighbour": ("Neighbouring country", MAP["neighbour"].fill, "square"),
    "syria": ("Syria", MAP["syria"].fill, "square"),
    "idlib": ("Idlib governorate", MAP["idlib"].fill.at(160), "square"),
    "afrin": ("Afrin district", MAP["afrin"].fill.at(160), "square"),
    "boundary": ("Governorate boundary", MAP["boundary"].line, "stroke"),
    "border": ("Syria–Türkiye border", MAP["border"].line, "stroke"),
    "river": ("River", MAP["river"].line, "stroke"),
    "zone": ("Zone (0 – outer km)", MAP["zone"].fill.at(90), "square"),
    "band": ("Band (inner – outer km)", MAP["band"].fill.at(180), "square"),
    "edge_inner": ("Inner edge", MAP["edge_inner"].line, "stroke"),
    "edge_outer": ("Outer edge", MAP["edge_outer"].line, "stroke"),
    "corridor": ("M4 corridor", MAP["corridor"].fill.at(160), "square"),
    "rings": ("Post radius", MAP["rings"].fill.at(160), "square"),
    "patrol": ("M4/M5 (schematic) · patrol stretch", MAP["patrol"].line, "stroke"),
    **{f"post:{status}": (f"Post: {_undated(status)}", paint, "circle") for status, paint in STATUS.items()},
    "settlement": ("Settlement (size = population)", MAP["settlement"].fill, "circle"),
    **{f"event:{kind}": (f"Event: {kind}", paint, "circle") for kind, paint in VIOLENCE.items()},
    "town": ("Key town", MAP["settlement"].fill, "circle"),
    "user": ("Your layer", MAP["user"].fill, "square"),
}
ON_SCREEN_LEGEND = [key for key in LEGEND if key not in ("neighbour", "syria", "boundary", "town")]


def legend(keys: list[str] | None = None) -> list[tuple[str, Paint]]:
    """(label, swatch) of the given layers, in drawing order; by default the on-screen map's."""
    return [LEGEND[key][:2] for key in (ON_SCREEN_LEGEND if keys is None else keys)]


# The returns what-if's choropleth: people per km² added, light to dark in one hue (the zone's vermillion is not
# drawn under it); classes in render/returns_map.py.
def over_white(paint: Paint, alpha: int) -> Paint:
    """An opaque colour: ``paint`` at ``alpha`` laid over white (a class of a ramp must differ on paper too)."""
    return Paint(*(round(255 - (255 - c) * alpha / 255) for c in (paint.red, paint.green, paint.blue)))


INCREASE = [over_white(BLUE, alpha) for alpha in (45, 95, 145, 200, 255)]
INCREASE_LINE = WHITE.at(200)


# The months' events on the time control and the small multiples: a disc per event, darker inside the zone than
# outside, so that it reads over the zone's orange; earlier months fade as a trail.
TIME = {
    "inside": Paint.of("#A50F15"),
    "outside": DARK_GREY,
    "trail": (0.45, 0.25, 0.12),  # the opacity of the 1st, 2nd, 3rd month before
}
