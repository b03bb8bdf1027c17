"""A scenario month by month on paper: the CLI's table and the small multiples (a grid of static maps, one per
month or quarter, each titled with its deaths inside the zone) for the pack, the slides and a PNG download.

Every panel of a grid is the static map of :mod:`dashboard.render.static_map` at one size, fitted to one
extent, so all share their extent and scale; each adds its own months' events (a disc per event, its area
growing with the deaths) and shows the posts' status on its last day.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

import altair as alt

from dashboard.model.geography import Geography
from dashboard.model.impact import EVENTS_CAVEAT, EVENTS_SOURCE, assess, event_masks
from dashboard.model.scenario import Scenario, month_run_label, month_run_view
from dashboard.model.timeline import Month, months_between, parse_month
from dashboard.render.static_map import EXTENT, static_map
from dashboard.render.style import TEXT, TIME, WHITE

STEPS = ("month", "quarter")
PANELS_PER_GRID = 12  # 4 × 3 on a printed page or a PNG; a longer run makes more grids
COLUMNS = 4
PANELS_PER_SLIDE, SLIDE_COLUMNS = 6, 3  # 3 × 2 on a slide, so each panel's title is 14 pt once placed
SLIDE_TITLE_PX = 22  # the grid is drawn ~1,030 px wide and placed 5.3 in tall: 22 px is 14 pt there
PANEL_W, PANEL_H = 330, 250  # pixels; one size for every panel: one scale
DISC_AREA_PER_DEATH = 6.0  # px² per death (area, not radius, grows with deaths)
INSIDE_INK, OUTSIDE_INK = TIME["inside"].hex, TIME["outside"].hex
CONTROL_NOTE = (
    "Boundaries are administrative (governorates, districts); no line of contact is drawn: no dated front-line "
    "data is held offline. Control shares are OCHA's early-2023 planning figures."
)


@dataclass(frozen=True)
class Grid:
    """What a briefer chose: a scenario, a run of months and the step (a panel per month or per quarter)."""

    scenario: Scenario
    first: str
    last: str
    step: str = "month"

    def __post_init__(self):
        parse_month(self.first), parse_month(self.last), months_between(self.first, self.last)
        if self.step not in STEPS:
            raise ValueError(f"step {self.step!r} is not one of {', '.join(STEPS)}")

    def panels(self) -> list[tuple[str, str]]:
        """(first month, last month) of each panel: every month, or the calendar quarters clipped to the run."""
        months = months_between(self.first, self.last)
        if self.step == "month":
            return [(m, m) for m in months]
        out: list[list[str]] = []
        for m in months:
            quarter = (int(m[:4]), (int(m[5:]) - 1) // 3)
            if out and (int(out[-1][0][:4]), (int(out[-1][0][5:]) - 1) // 3) == quarter:
                out[-1].append(m)
            else:
                out.append([m])
        return [(q[0], q[-1]) for q in out]

    def chunks(self, per: int = PANELS_PER_GRID) -> list[list[tuple[str, str]]]:
        """The panels a grid at a time (a page or a PNG per grid of 12, a slide per grid of 6)."""
        p = self.panels()
        return [p[i : i + per] for i in range(0, len(p), per)]


def events_chart(geo: Geography, scenario: Scenario):
    """The window's events within the map's extent: a disc per event, its area the deaths, darker inside."""
    table = geo.layers_lonlat["events"]
    masks = event_masks(geo, scenario)
    west, south, east, north = EXTENT
    lon, lat = table["lon"].to_numpy(), table["lat"].to_numpy()
    keep = masks["window"] & (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    rows = [
        {
            "lon": float(x),
            "lat": float(y),
            "area": max(float(b), 1.0) * DISC_AREA_PER_DEATH,
            "colour": INSIDE_INK if i else OUTSIDE_INK,
        }
        for x, y, b, i in zip(lon[keep], lat[keep], table["best"].to_numpy()[keep], masks["inside"][keep], strict=True)
    ]
    return (
        alt.Chart(alt.Data(values=rows or [{"lon": west, "lat": south, "area": 0, "colour": OUTSIDE_INK}]))
        .mark_circle(stroke=WHITE.hex, strokeWidth=0.3, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("area:Q", scale=None),
            # literal colours: a scale here would merge with the posts' status scale in the layered map
            color=alt.Color("colour:N", scale=None),
            opacity=alt.value(0.55),
        )
    )


def panel(geo: Geography, scenario: Scenario, first: str, last: str, title_px: float = 12):
    """One panel: the scenario's static map for the months, their events, titled with the deaths inside (a
    slide's larger type keeps the title and leaves the subtitle to the slide's own lines)."""
    s = month_run_view(scenario, first, last)
    impact = assess(geo, s)
    base = static_map(geo, impact, PANEL_W, PANEL_H, type_px=9)
    shapes, *marks = base.layer  # the events go over the areas and under the posts, towns and furniture
    layered = alt.layer(shapes, events_chart(geo, s), *marks)
    large = title_px > 12
    title = alt.TitleParams(
        f"{month_run_label(first, last)}: {impact.deaths_inside:,.0f} deaths" + ("" if large else " inside the zone"),
        subtitle=alt.Undefined if large else f"{impact.events_inside:,} events inside; posts as of {s.as_of:%d %b %Y}",
        anchor="start",
        fontSize=title_px,
        subtitleFontSize=10,
        subtitleColor=TEXT["static_town"][0].hex,
    )
    return layered.project(type="mercator", fit=base.projection.fit).properties(
        width=PANEL_W, height=PANEL_H, title=title
    )


def slide_grid(geo: Geography, grid: Grid, panels: list[tuple[str, str]]):
    """A slide's grid: its panels only, in larger type (the slide's title and source line say the rest)."""
    body = alt.concat(
        *(panel(geo, grid.scenario, a, b, SLIDE_TITLE_PX) for a, b in panels), columns=SLIDE_COLUMNS, spacing=12
    )
    return body.properties(background=WHITE.hex, padding=6)


def grid_chart(geo: Geography, grid: Grid, panels: list[tuple[str, str]] | None = None):
    """A grid of panels (one of :meth:`Grid.chunks`, or the first), with its title, key and sources: the PNG
    download and the pack's picture."""
    panels = panels if panels is not None else grid.chunks()[0]
    s = grid.scenario
    ink = TEXT["static_town"][0].hex
    notes = [line for text in grid_notes(grid) for line in textwrap.wrap(text, int(COLUMNS * PANEL_W / 5.4))]
    footer = (
        alt.Chart(alt.Data(values=[{"text": notes}]))
        .mark_text(align="left", baseline="top", fontSize=10, lineHeight=13, color=ink)
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(width=COLUMNS * PANEL_W, height=13 * len(notes), view=alt.ViewConfig(stroke=None))
    )
    body = alt.concat(*(panel(geo, s, a, b) for a, b in panels), columns=COLUMNS, spacing=14)
    return alt.vconcat(body, footer, spacing=8).properties(
        title=alt.TitleParams(
            grid_title(grid, panels),
            subtitle=s.label().rsplit("; as of", 1)[0] + " — each panel's posts as of its last day",
            anchor="start",
            fontSize=16,
            subtitleFontSize=12,
        ),
        background=WHITE.hex,
        padding=12,
    )


def grid_notes(grid: Grid) -> list[str]:
    """What a grid's discs and colours are, and where they come from (under a PNG or page, on a slide's notes)."""
    return [
        f"Discs: {EVENTS_SOURCE} events of each panel's months, area ∝ deaths (best); dark red inside the zone "
        f"(0–{grid.scenario.outer_km:g} km), grey outside. Lower bounds: {EVENTS_CAVEAT}.",
        "Posts coloured by their status on each panel's last day (dated reports: geodata/SOURCES.md). "
        "Every panel has the same extent and scale.",
        CONTROL_NOTE,
    ]


def grid_title(grid: Grid, panels: list[tuple[str, str]]) -> str:
    span = month_run_label(panels[0][0], panels[-1][1])
    return f"Deaths inside the zone by {grid.step}, {span}"


# ------------------------------------------------------------------------------------------------ the CLI
def _status_text(counts: dict) -> str:
    return "; ".join(f"{len(ids)} {status}" for status, ids in counts.items()) or "none"


def months_table(scenario: Scenario, months: list[Month]) -> str:
    """The CLI's table: per month, events / deaths inside, in the band and outside; the posts by status on the
    month's last day; and the seeds' dated events of the month, each with its source and the texts' quotes."""
    lines = [
        f"Scenario: {scenario.label().rsplit('; as of', 1)[0]} (posts as of each month's last day)",
        f"Events / deaths (best): {EVENTS_SOURCE}; lower bounds. Outside: the rest of the north-west "
        "(Aleppo, Hama, Lattakia, Idlib) outside the zone.",
        "",
        f"{'Month':<8}  {'Inside':>13}  {'In the band':>13}  {'Outside':>13}",
    ]
    for m in months:
        cells = [f"{m.events[p]:>5,} / {m.deaths[p][0]:>5,.0f}" for p in ("inside", "in_band", "outside")]
        lines.append(f"{m.month:<8}  " + "  ".join(f"{c:>13}" for c in cells))
        lines.append(f"          posts on {m.last_day:%d %b %Y}: {_status_text(m.posts)}")
        if m.posts_inside:
            lines.append(f"          inside the zone: {_status_text(m.posts_inside)}")
        for d in m.dated:
            quoted = "".join(f" — {fid}: “{q}”" for fid, q in d.quotes)
            lines.append(f"          {dt.date.fromisoformat(d.date):%d %b}: {d.event}{quoted} [{d.source_title}]")
    lines += ["", CONTROL_NOTE]
    return "\n".join(lines)


SLIDE_GRID_H_IN = 5.3  # a slide's grid picture: its height on a 7.5 in slide, under the title and over the source
