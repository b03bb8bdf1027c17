"""The returns what-if's controls and figures: how many people, by which rule, into which places; seeded once
from the link, kept across pages, and never left broken: a value the what-if refuses is said in plain words
and the previous values are shown instead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.exchange import links
from dashboard.model import returns
from dashboard.model.returns import ReturnsError, WhatIf
from dashboard.sources.text import markdown_escape
from dashboard.ui.state import KEEP

PEOPLE, RULE, SUBS, TOWNS = "ret_people", "ret_rule", "ret_subs", "ret_towns"
LAST = "_returns_last"  # the last what-if shown: what bad input falls back to
COMPARE_PEOPLE, COMPARE_RULE = "ret_b_people", "ret_b_rule"


def subdistrict_options(zone: returns.Zone) -> dict[str, str]:
    """Sub-districts in the zone, p-code -> "name (district)", largest part of the zone first."""
    order = np.argsort(-zone.km2)
    return {zone.ids[i]: f"{zone.names[i]} ({zone.districts[i]})" for i in order if zone.km2[i] > 0}


def town_options(zone: returns.Zone) -> dict[str, str]:
    """GeoNames towns in the zone, id -> "name (population)", most people first."""
    rows = np.flatnonzero(zone.town_inside)
    rows = rows[np.argsort(-zone.town_population[rows], kind="stable")]
    return {
        zone.town_ids[i]: f"{zone.town_names[i]} ({zone.town_population[i]:,.0f})"
        if zone.town_population[i] > 0
        else str(zone.town_names[i])
        for i in rows
    }


def _put(whatif: WhatIf) -> None:
    st.session_state[PEOPLE] = f"{whatif.people:,}"
    st.session_state[RULE] = whatif.rule
    st.session_state[SUBS] = list(whatif.where) if whatif.rule == "subdistricts" else []
    st.session_state[TOWNS] = list(whatif.where) if whatif.rule == "towns" else []


def read_link() -> None:
    """Once per session, before the sidebar's form rewrites the link: the what-if it carries, kept for
    :func:`what_if_controls` to check against the zone."""
    if "_returns_link" not in st.session_state:
        st.session_state["_returns_link"] = links.decode_returns(st.query_params.to_dict())


def _seed(zone: returns.Zone) -> list[str]:
    """Once per session: the link's what-if into the widgets (if it has one and it can be shown)."""
    if st.session_state.get("_returns_seeded"):
        return []
    st.session_state["_returns_seeded"] = True
    whatif, warnings = st.session_state.get("_returns_link") or (None, [])
    if whatif is not None:
        try:
            returns.outcome(whatif, zone)
        except ReturnsError as exc:
            return [*warnings, f"ignored the returns what-if in the link: {exc}; keeping the previous values"]
        _put(whatif)
        st.session_state[LAST] = whatif
    return warnings


def _keep_known(key: str, options: dict, names: dict) -> None:
    """A multiselect's state holds only choices it offers; a choice a changed zone no longer reaches is taken
    out and said (never dropped in silence)."""
    if key in st.session_state:
        chosen = st.session_state[key]
        gone = [v for v in chosen if v not in options]
        st.session_state[key] = [v for v in chosen if v in options]
        if gone:
            st.warning(
                markdown_escape(
                    "Taken out of your choice, not in this scenario's zone: "
                    + ", ".join(str(names.get(v, v)) for v in gone)
                    + "."
                ),
            )


def what_if_controls(zone: returns.Zone) -> returns.Outcome | None:
    """Draw the controls; the outcome to show (the previous one where the new values are refused), or None
    where even the default cannot be computed for this zone (said on the page)."""
    for warning in _seed(zone):
        st.warning(markdown_escape(f"In the link, {warning}."))
    st.session_state.setdefault(PEOPLE, f"{returns.DEFAULT_PEOPLE:,}")
    st.session_state.setdefault(RULE, "population")
    subs, towns = subdistrict_options(zone), town_options(zone)
    names = {**dict(zip(zone.ids, zone.names, strict=True)), **dict(zip(zone.town_ids, zone.town_names, strict=True))}
    _keep_known(SUBS, subs, names)
    _keep_known(TOWNS, towns, names)
    left, right = st.columns([1, 2])
    people = left.text_input(
        "People settling in the zone",
        key=PEOPLE,
        persist_state=KEEP,
        help=f"A whole number from 0 to {returns.MAX_PEOPLE:,} (the source text's 'nearly 4 million').",
    )
    rule = right.radio(
        "Where they go", list(returns.RULES), format_func=returns.RULES.get, key=RULE, persist_state=KEEP
    )
    choosing = {
        "subdistricts": ("Into these sub-districts (those the zone reaches)", subs, SUBS),
        "towns": ("Into these towns (GeoNames places inside the zone)", towns, TOWNS),
    }
    where: list[str] = []
    if rule in choosing:
        label, options, key = choosing[rule]
        where = st.multiselect(label, list(options), format_func=options.get, key=key, persist_state=KEEP)
    try:
        whatif = WhatIf(people, rule, tuple(where))
        result = returns.outcome(whatif, zone)
    except ReturnsError as exc:
        result = _previous(zone, str(exc))
    if result is not None:
        st.session_state[LAST] = result.whatif
        st.query_params.update(links.encode_returns(result.whatif))
    return result


def _previous(zone: returns.Zone, problem: str) -> returns.Outcome | None:
    """The last what-if shown (or the default) for this zone, with the problem said."""
    for fallback in (st.session_state.get(LAST), WhatIf()):
        if fallback is None:
            continue
        try:
            result = returns.outcome(fallback, zone)
        except ReturnsError:
            continue
        st.error(
            markdown_escape(f"Not used: {problem}. Showing the previous values: {fallback.label()}."),
        )
        return result
    st.error(markdown_escape(f"Not used: {problem}."))
    return None


def compare_controls(zone: returns.Zone, a: returns.Outcome) -> returns.Outcome | None:
    """A second size or rule beside the first (the chosen places are the first's)."""
    st.session_state.setdefault(COMPARE_PEOPLE, f"{2 * returns.DEFAULT_PEOPLE:,}")
    st.session_state.setdefault(COMPARE_RULE, "area")
    left, right = st.columns([1, 2])
    people = left.text_input("B: people settling", key=COMPARE_PEOPLE, persist_state=KEEP)
    rule = right.radio(
        "B: where they go", list(returns.RULES), format_func=returns.RULES.get, key=COMPARE_RULE, persist_state=KEEP
    )
    try:
        where = a.whatif.where if rule == a.whatif.rule else _places_for(rule, a)
        return returns.outcome(WhatIf(people, rule, where), zone)
    except ReturnsError as exc:
        st.error(markdown_escape(f"B not computed: {exc}."))
        return None


def _places_for(rule: str, a: returns.Outcome) -> tuple[str, ...]:
    if rule == "subdistricts":
        return tuple(a.table["id"][a.table["arrivals"] > 0])
    if rule == "towns" and a.towns:
        return tuple(a.towns["id"])
    return ()


def totals_frame(results: dict[str, returns.Outcome]) -> pd.DataFrame:
    """The zone's figures of one or more what-ifs, one column each, as plain numbers."""
    rows = [
        ("People settling", "arrivals"),
        ("People in the zone today (central)", "people_today"),
        ("  today, low", "people_today_low"),
        ("  today, high", "people_today_high"),
        ("People in the zone after (central)", "people_after"),
        ("People per km² before", "density_before"),
        ("People per km² after", "density_after"),
        ("People in need before (HNO 2023)", "in_need_before"),
        ("People in need after (same ratio: assumption)", "in_need_after"),
        ("Housing units needed", "housing_units"),
        ("Sub-districts receiving people", "subdistricts_receiving"),
        ("Zone area (km², geodesic)", "zone_km2"),
    ]
    return pd.DataFrame(
        {"figure": [label for label, _ in rows]}
        | {name: [round(r.totals[key]) for _, key in rows] for name, r in results.items()}
    )


def table_frame(result: returns.Outcome) -> pd.DataFrame:
    """One row per sub-district in the zone, most arrivals first."""
    t = result.table
    frame = pd.DataFrame(
        {
            "sub-district": t["name"],
            "district": t["district"],
            "p-code": t["id"],
            "zone km²": t["zone_km2"].round(1),
            "people today": t["people_today"].round(-2),
            "today low": t["people_today_low"].round(-2),
            "today high": t["people_today_high"].round(-2),
            "arrivals": t["arrivals"],
            "people after": t["people_after"].round(-2),
            "per km² before": t["density_before"].round(),
            "per km² after": t["density_after"].round(),
            "in need before": t["in_need_before"].round(-2),
            "in need after": t["in_need_after"].round(-2),
            "housing units": t["housing_units"],
        }
    )
    return frame.sort_values(["arrivals", "zone km²"], ascending=False, kind="stable").reset_index(drop=True)


def add_to_sequence(scenario, whatif: WhatIf) -> None:
    """Append the scenario with this what-if to the briefing's sequence (after any edits made there), so the
    presenter, the pack, the slides and a saved deck carry it."""
    from dashboard.exchange import decks
    from dashboard.model.scenario import Step
    from dashboard.ui import sequence_editor

    if "brief_edited" in st.session_state:
        rows = sequence_editor.editor_rows(st.session_state["brief_edited"])
    elif "brief_table" in st.session_state:
        rows = st.session_state["brief_table"]
    else:
        rows = sequence_editor.table_of(decks.default_sequence())
    step = Step(f"What-if: {whatif.people:,} people settle", whatif.label(), scenario, whatif)
    st.session_state["brief_table"] = pd.concat([rows, sequence_editor.table_of([step])], ignore_index=True)
    st.session_state["brief_editor_n"] = st.session_state.get("brief_editor_n", 0) + 1
    st.session_state.pop("brief_edited", None)
    st.session_state["returns_added"] = step.title


def side_by_side(a: returns.Outcome, b: returns.Outcome) -> pd.DataFrame:
    """Per sub-district: A's and B's arrivals and people per km² after, most arrivals (either) first."""
    rows = {}
    for name, result in (("A", a), ("B", b)):
        t = result.table
        for i, sub_id in enumerate(t["id"]):
            row = rows.setdefault(sub_id, {"sub-district": t["name"][i], "district": t["district"][i]})
            row[f"{name}: arrivals"] = int(t["arrivals"][i])
            row[f"{name}: per km² after"] = round(float(t["density_after"][i]))
    frame = pd.DataFrame(list(rows.values())).fillna(0)
    frame["most"] = frame[["A: arrivals", "B: arrivals"]].max(axis=1)
    return frame.sort_values("most", ascending=False, kind="stable").drop(columns="most").reset_index(drop=True)
