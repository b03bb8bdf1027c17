"""The time control on the landing page: a month slider over UCDP GED 21.1's months with play/pause and a speed,
a map of the month's events (deaths as the disc's area, the previous months fading as a trail) and the posts'
status on its last day, the month's dated events of the source texts with their quotes, the zone's figures for
the month and a deaths-by-month chart with a cursor.

Playing happens in the browser: the component (``time_control/index.html``, no library, canvas and SVG) fetches
two same-origin files once, the months' events (the same for every scenario) and the scenario's months (its
zone's outline, each month's figures, each event's place, each post's status per month), and a step only
filters them and redraws the events, the posts, the cursor and the text. The base map is drawn once per scenario.
Nothing reaches the server while it plays; on a pause or a move of the slider it reports the month, which goes
into the link (``?month=YYYY-MM``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import shapely
import streamlit as st
import streamlit.components.v1 as components

from dashboard.exchange import links
from dashboard.model import timeline
from dashboard.model.geography import AFRIN, IDLIB, KEY_TOWNS
from dashboard.model.impact import EVENTS_CAVEAT, EVENTS_SOURCE, assess, event_masks
from dashboard.model.posts import STATUSES
from dashboard.model.scenario import Scenario
from dashboard.render import months, style
from dashboard.render.static_map import EXTENT, scale_bar_marks
from dashboard.sources import layers, seeds
from dashboard.sources.text import markdown_escape
from dashboard.ui import engine_results, served_files
from dashboard.ui.guard import friendly_errors

GRIDS = "time_grids"  # session key: the small multiples chosen for the pack and the slides (months.Grid, in order)
GRIDS_KEPT = 4
MONTH = "time_month"  # session key: the month shown (the link's, then the one last reported by the browser)
SPEEDS = (0.5, 1.0, 2.0, 4.0)  # months a second
SIMPLIFY_DEG = 0.005  # ~500 m: outlines at the panel's scale (about 1 km a pixel)
_control = components.declare_component("time_control", path=str(Path(__file__).with_name("time_control")))


def _rounded(geom, digits: int = 3) -> list:
    """An outline as lists of [lon, lat] rings (~100 m), simplified for a panel about 1 km a pixel."""
    geom = shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True)
    rings = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            for ring in (part.exterior, *part.interiors):
                rings.append(np.round(np.asarray(ring.coords)[:, :2], digits).tolist())
        elif part.geom_type in ("LineString", "LinearRing"):
            rings.append(np.round(np.asarray(part.coords)[:, :2], digits).tolist())
        elif part.geom_type.startswith("Multi") or part.geom_type == "GeometryCollection":
            rings.extend(_rounded(part, digits))
    return rings


@st.cache_data(show_spinner=False, max_entries=2)
def base_file(mtime: float) -> str | None:
    """The months' events and what does not change with the scenario, as one served file (URL), written once."""
    geo = engine_results.geography()
    ll = geo.layers_lonlat
    first, last = timeline.SPAN
    all_months = timeline.months_between(first, last)
    ev = geo.events
    table = ll["events"]
    lon, lat = table["lon"].to_numpy(), table["lat"].to_numpy()
    west, south, east, north = EXTENT
    m0 = timeline.month_index(first)
    offset = ev.month - m0
    keep = (offset >= 0) & (offset < len(all_months)) & (lon >= west) & (lon <= east) & (lat >= south)
    keep &= lat <= north
    order = np.flatnonzero(keep)
    dated = timeline.dated_by_month(seeds.load_table(seeds.TIMELINE), seeds.load_registry(), all_months)
    govs = ll["governorates"]
    data = {
        "months": all_months,
        "extent": EXTENT,
        "events": {
            "index": order.tolist(),  # rows of the events table: the scenario's file gives each one's place
            "lon": np.round(lon[order], 4).tolist(),
            "lat": np.round(lat[order], 4).tolist(),
            "month": offset[order].tolist(),
            "best": ev.best[order].tolist(),
        },
        "posts": [
            {"id": pid, "name": name, "lon": round(p.x, 4), "lat": round(p.y, 4)}
            for pid, name, p in zip(ll["posts"]["id"], ll["posts"]["name"], ll["posts"].geometry, strict=True)
        ],
        "towns": [
            {"name": name, "lon": round(p.x, 4), "lat": round(p.y, 4)}
            for name, p in zip(
                KEY_TOWNS, ll["settlements"].set_index("id").loc[list(KEY_TOWNS.values())].geometry, strict=True
            )
        ],
        "countries": [
            {"syria": cid == "SYR", "rings": _rounded(g)}
            for cid, g in zip(ll["countries"]["id"], ll["countries"].geometry, strict=True)
        ],
        "boundaries": [_rounded(g.boundary) for g in govs.geometry],
        "idlib": _rounded(govs.loc[govs["id"] == IDLIB].geometry.iloc[0]),
        "afrin": _rounded(ll["districts"].set_index("id").geometry[AFRIN]),
        "border": _rounded(shapely.union_all(ll["border"].geometry.values)),
        "dated": {m: [d.to_dict() for d in dated[m]] for m in all_months},
        "statuses": list(STATUSES),
        "paint": {
            "status": {s: p.hex for s, p in style.STATUS.items()},
            "inside": style.TIME["inside"].hex,
            "outside": style.TIME["outside"].hex,
            "trail": list(style.TIME["trail"]),
            "neighbour": style.MAP["neighbour"].fill.hex,
            "syria": style.MAP["syria"].fill.hex,
            "line": style.MAP["syria"].line.hex,
            "boundary": style.MAP["boundary"].line.hex,
            "border": style.MAP["border"].line.hex,
            "zone": [style.MAP["zone"].fill.hex, style.MAP["zone"].fill.opacity],
            "band": [style.MAP["band"].fill.hex, style.MAP["band"].fill.opacity],
            "idlib": [style.MAP["idlib"].line.hex, style.MAP["afrin"].line.hex],
            "ink": style.INK.hex,
        },
        "scale": scale_bar_marks(),  # 0, 25, 50 km along the parallel, measured on the WGS84 ellipsoid
        "source": f"{EVENTS_SOURCE}: deaths are UCDP's best estimate; lower bounds ({EVENTS_CAVEAT})",
        "control": months.CONTROL_NOTE,
    }
    return served_files.static_file("time-base", data)


def _zone_of(scenario: Scenario) -> Scenario:
    """What the scenario's months depend on: the zone (segment and depths). The rest is each month's own."""
    return Scenario(inner_km=scenario.inner_km, outer_km=scenario.outer_km, segment=scenario.segment)


@st.cache_data(show_spinner=False, max_entries=64)
def scenario_file(zone: Scenario, mtime: float) -> str | None:
    """The scenario's months as one served file (URL): its zone's outline, each month's figures, each event's
    place (0 outside, 1 inside, 2 in the band) and each post's status (an index into the statuses) per month."""
    geo = engine_results.geography()
    first, last = timeline.SPAN
    found = timeline.month_figures(geo, zone, first, last, [], [])
    whole = replace(zone, events_from=timeline.first_day(first), events_to=timeline.last_day(last))
    masks = event_masks(geo, whole)
    place = masks["inside"].astype(np.int8) + masks["in_band"].astype(np.int8)
    impact = assess(geo, zone)
    code = {s: k for k, s in enumerate(STATUSES)}
    ids = list(geo.posts["id"])
    statuses = []
    for m in found:
        of = {pid: s for s, members in m.posts.items() for pid in members}
        statuses.append([code[of[pid]] for pid in ids])
    data = {
        "label": zone.label().rsplit("; as of", 1)[0],
        "outer_km": zone.outer_km,
        "inner_km": zone.inner_km,
        "zone": _rounded(geo.to_lonlat(impact.zone)),
        "band": _rounded(geo.to_lonlat(impact.band)),
        "place": "".join(map(str, place.tolist())),  # every event's, in the events table's order
        "figures": [
            {
                "events": m.events,
                "deaths": {p: m.deaths[p][0] for p in timeline.PLACES},
                "low": {p: m.deaths[p][1] for p in timeline.PLACES},
                "high": {p: m.deaths[p][2] for p in timeline.PLACES},
                "posts_inside": {s: len(v) for s, v in m.posts_inside.items()},
            }
            for m in found
        ],
        "post_status": statuses,
    }
    return served_files.static_file("time-scenario", data)


def _month_in_link(month: str) -> None:
    """The address carries the month shown, unless it is the default (dropped, as the scenario's defaults are)."""
    if links.month_params(month):
        st.query_params[links.MONTH_PARAM] = month
    elif links.MONTH_PARAM in st.query_params:
        del st.query_params[links.MONTH_PARAM]


def start_month() -> str:
    """The month to show first: the one kept in the session, else the link's, else the offensive's start."""
    if MONTH not in st.session_state:
        month, warnings = links.decode_month(st.query_params.to_dict())
        for warning in warnings:
            st.warning(markdown_escape(f"In the link, {warning}."))  # its text, not markup
        st.session_state[MONTH] = month or links.DEFAULT_MONTH
    return st.session_state[MONTH]


@st.fragment
def time_panel(scenario: Scenario) -> None:
    """The time control, under the map (its own map: a month is a view of the scenario's zone). A fragment: the
    month it reports reruns this alone, not the page, so it guards itself as the landing page's fragments do."""
    with friendly_errors(panel=True):
        _time_panel(scenario)


def _time_panel(scenario: Scenario) -> None:
    st.subheader("Through time: the months of the events data")
    st.caption(
        "Play the months: each month's UCDP events (disc area = deaths; earlier months fade), the posts' status "
        "on its last day, and the dated events of the source texts. " + months.CONTROL_NOTE
    )
    mtime = layers.layers_mtime()
    base, own = base_file(mtime), scenario_file(_zone_of(scenario), mtime)
    if base is None or own is None:
        st.info("The time control needs the server's static files (a writable dashboard/static/).")
        return
    month = start_month()
    reported = _control(base=base, scenario=own, month=month, speeds=list(SPEEDS), key="time_control", default=None)
    if isinstance(reported, dict) and isinstance(reported.get("month"), str):
        try:
            shown = timeline.parse_month(reported["month"])
        except timeline.MonthError:
            shown = None
        if shown and shown != st.session_state.get(MONTH):
            st.session_state[MONTH] = shown
            _month_in_link(shown)
    elif month:
        _month_in_link(month)
    grid_chooser(scenario)


def chosen() -> tuple:
    """The small multiples chosen for the briefing's pack, .pptx and PDF (none until a briefer adds one)."""
    return tuple(st.session_state.get(GRIDS, ()))


def chosen_names() -> list[str]:
    """What the chosen grids are, for the digest of an export built earlier."""
    return [f"{g.scenario.to_dict()} {g.first}:{g.last}:{g.step}" for g in chosen()]


@st.cache_data(show_spinner=False, max_entries=8)
def _grid_pngs(grid: months.Grid, mtime: float) -> list[bytes]:
    from dashboard.render import images

    return [images.png(months.grid_chart(engine_results.geography(), grid, panels)) for panels in grid.chunks()]


def grid_chooser(scenario: Scenario) -> None:
    """Small multiples for print: the briefer chooses the months and the step; a PNG to download, and the grid
    added to the pack and the slides (Briefing page)."""
    with st.expander("Small multiples for print: a map per month or quarter", expanded=False):
        first, last = st.select_slider(
            "Months",
            options=timeline.months_between(*timeline.SPAN),
            value=("2019-04", "2020-03"),
            format_func=lambda m: f"{timeline.first_day(m):%b %Y}",
            key="time_grid_months",
        )
        step = st.radio("A panel per", months.STEPS, horizontal=True, key="time_grid_step")
        grid = months.Grid(_zone_of(scenario), first, last, step)
        panels = len(grid.panels())
        st.caption(
            f"{panels} panel{'s' * (panels != 1)}, every one at the same extent and scale, each titled with its "
            f"deaths inside the zone; posts as of each panel's last day. A PNG holds {months.PANELS_PER_GRID} "
            f"panels, a slide {months.PANELS_PER_SLIDE}."
        )
        left, right = st.columns(2)
        if left.button("Draw the PNG", key="time_grid_draw"):
            with st.spinner("Drawing the maps…"):
                st.session_state["time_grid_png"] = (grid, _grid_pngs(grid, layers.layers_mtime()))
        drawn = st.session_state.get("time_grid_png")
        if drawn and drawn[0] == grid:
            for k, png in enumerate(drawn[1]):
                name = f"small-multiples-{first}-{last}-{step}" + (f"-{k + 1}" if len(drawn[1]) > 1 else "")
                st.download_button(
                    f"Download {name}.png ({len(png) / 1e6:.1f} MB)",
                    png,
                    file_name=f"{name}.png",
                    mime="image/png",
                    key=f"time_grid_dl_{k}",
                    on_click="ignore",
                )
        kept = list(st.session_state.get(GRIDS, ()))
        if right.button("Add to the briefing's pack and slides", key="time_grid_add", disabled=grid in kept):
            st.session_state[GRIDS] = [*kept, grid][-GRIDS_KEPT:]
            st.rerun(scope="fragment")  # drawn again with the button off and the grid listed
        if kept:
            st.caption(
                "In the pack and the slides (Briefing page): "
                + "; ".join(f"{g.first} to {g.last} by {g.step}" for g in kept)
            )
            if st.button("Remove them", key="time_grid_clear"):
                st.session_state[GRIDS] = []
                st.rerun(scope="fragment")
