"""A scenario: the parameters a briefer moves, as one frozen, validated value."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

SEGMENTS = {
    "west": "West of the Euphrates (Mediterranean to Jarablus)",
    "east": "East of the Euphrates (Jarablus to the Tigris)",
    "all": "The whole Syria–Türkiye border",
}
SEGMENT_SHORT = {
    "west": "the border west of the Euphrates",
    "east": "the border east of the Euphrates",
    "all": "the whole border",
}
DEPTH_MAX_KM = 100.0
CORRIDOR_MAX_KM = 25.0
POST_RADIUS_MAX_KM = 50.0
AS_OF_MIN = dt.date(2017, 1, 1)
# One date range for the URL, the widgets, saved decks and the CLI. The end is fixed, not "today", so a
# link or deck valid now stays valid, and it is the end earlier releases accepted, so no deck saved with
# them becomes unreadable. After a post's last report its status stays as reported (or uncertain).
AS_OF_MAX = dt.date(2030, 12, 31)
MOSCOW_PROTOCOL = dt.date(2020, 3, 5)


class ScenarioError(ValueError):
    """A scenario field is out of range; the message names the field, the value and the allowed range."""

    def __init__(self, field_name: str, value: object, allowed: str):
        self.field = field_name
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field_name}={value!r} is not allowed: {allowed}")


@dataclass(frozen=True)
class Scenario:
    """What a briefer chooses: the zone's depth band, the border segment, the M4 corridor, post radii, a date.

    Depths are kilometres on the ground measured from the Syria–Türkiye border into Syria.
    The defaults are the "30-40 kilometers deep" safe zone of the source texts, west of the Euphrates,
    as of the 5 March 2020 Moscow protocol.
    """

    inner_km: float = 30.0
    outer_km: float = 40.0
    segment: str = "west"
    corridor_km: float = 0.0
    post_radius_km: float = 0.0
    as_of: dt.date = field(default=MOSCOW_PROTOCOL)

    def __post_init__(self):
        for name in ("inner_km", "outer_km", "corridor_km", "post_radius_km"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise ScenarioError(name, value, "a number of kilometres")
            object.__setattr__(self, name, float(value))
        if not 0.0 <= self.inner_km < DEPTH_MAX_KM:
            raise ScenarioError("inner_km", self.inner_km, f"0 ≤ inner_km < outer_km ≤ {DEPTH_MAX_KM:g}")
        if not self.inner_km < self.outer_km <= DEPTH_MAX_KM:
            raise ScenarioError(
                "outer_km", self.outer_km, f"inner_km ({self.inner_km:g}) < outer_km ≤ {DEPTH_MAX_KM:g}"
            )
        if not isinstance(self.segment, str) or self.segment not in SEGMENTS:
            raise ScenarioError("segment", self.segment, f"one of {', '.join(SEGMENTS)}")
        if not 0.0 <= self.corridor_km <= CORRIDOR_MAX_KM:
            raise ScenarioError("corridor_km", self.corridor_km, f"0 to {CORRIDOR_MAX_KM:g} km (0 = off)")
        if not 0.0 <= self.post_radius_km <= POST_RADIUS_MAX_KM:
            raise ScenarioError("post_radius_km", self.post_radius_km, f"0 to {POST_RADIUS_MAX_KM:g} km (0 = off)")
        if not isinstance(self.as_of, dt.date) or isinstance(self.as_of, dt.datetime):
            raise ScenarioError("as_of", self.as_of, "a date (YYYY-MM-DD)")
        if not AS_OF_MIN <= self.as_of <= AS_OF_MAX:
            raise ScenarioError("as_of", self.as_of.isoformat(), f"{AS_OF_MIN} to {AS_OF_MAX}")

    def to_dict(self) -> dict:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        return out

    def label(self) -> str:
        """A one-line human description, used in captions and alt text."""
        parts = [f"{self.inner_km:g}–{self.outer_km:g} km band along {SEGMENT_SHORT[self.segment]}"]
        if self.corridor_km:
            parts.append(f"M4 corridor {self.corridor_km:g} km either side")
        if self.post_radius_km:
            parts.append(f"{self.post_radius_km:g} km around each post")
        parts.append(f"as of {self.as_of:%d %b %Y}")
        return "; ".join(parts)


DEFAULT = Scenario()


@dataclass(frozen=True)
class Step:
    """One named scenario in a briefing sequence (a deck is a list of steps)."""

    title: str
    notes: str
    scenario: Scenario
