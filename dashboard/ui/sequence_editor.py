"""The briefing's sequence: an editable table of named scenarios, kept across page changes, read into
steps through the one record mapping (a row the scenario refuses is skipped and said)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.exchange import decks
from dashboard.model import returns, timeline
from dashboard.model.scenario import (
    FIELD_NAMES,
    FIELDS,
    SEGMENTS,
    ScenarioError,
    Step,
    parse_field,
    scenario_from_record,
)
from dashboard.sources.text import MAX_TEXT, clean_text, markdown_escape

# A step's returns what-if (optional): how many people settle, by which rule, into which places (comma-separated
# sub-district p-codes or GeoNames ids); an empty people cell means none.
RETURNS_COLUMNS = ("returns_people", "returns_rule", "returns_where")
# The months a step shows (optional, YYYY-MM): a month, or a run of months to the second; empty means none.
MONTHS_COLUMNS = ("months_from", "months_to")
COLUMNS = ("title", "notes", *FIELD_NAMES, *RETURNS_COLUMNS, *MONTHS_COLUMNS)
MAX_TITLE = MAX_TEXT  # characters of a step's title (what saved decks keep); a longer one is said, not cut
DATE_FIELD = next(spec for spec in FIELDS if spec.kind == "date")


def _text(value: object) -> str:
    """A text cell as typed; an empty cell (None, NaN) is empty text, never "nan"."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _day(value: object) -> dt.date | None:
    """A date cell as a date (None where it holds none), read as links and decks read dates."""
    if isinstance(value, dt.datetime):  # pandas hands back Timestamps for some edits
        return None if pd.isna(value) else value.date()
    try:
        return parse_field(DATE_FIELD, value)
    except ValueError:
        return None


def editor_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The editor's rows in the types its columns are set up for, in their order, with a plain index.

    After every row is deleted, or a row is added to an emptied table, the editor can hand back dates as
    text, numbers as text and an index of its own; given back to the editor as they are, the date column
    refuses them and the page cannot be drawn again."""
    out = frame.reindex(columns=list(COLUMNS)).reset_index(drop=True)
    out["title"] = [_text(v) for v in out["title"]]
    out["notes"] = [_text(v) for v in out["notes"]]
    for spec in FIELDS:
        if spec.kind in ("depth", "km"):
            out[spec.name] = pd.to_numeric(out[spec.name], errors="coerce").astype(float)
        elif spec.kind == "date":
            out[spec.name] = pd.Series([_day(v) for v in out[spec.name]], dtype=object)
        else:
            out[spec.name] = pd.Series([_text(v) or None for v in out[spec.name]], dtype=object)
    out["returns_people"] = pd.to_numeric(out["returns_people"], errors="coerce").astype(float)
    for name in ("returns_rule", "returns_where", *MONTHS_COLUMNS):
        out[name] = pd.Series([_text(v) or None for v in out[name]], dtype=object)
    return out


def _returns_of(row) -> returns.WhatIf | None:
    """A row's returns what-if, None where its people cell is empty; ReturnsError says what is wrong."""
    people = row["returns_people"]
    if people is None or people != people:
        return None
    return returns.WhatIf(people, row["returns_rule"] or "population", row["returns_where"] or ())


def _months_of(row) -> tuple[str, str] | None:
    """A row's months, None where both cells are empty; MonthError says what is wrong."""
    first, last = (_text(row[c]).strip() for c in MONTHS_COLUMNS)
    if not first and not last:
        return None
    if not first:
        raise timeline.MonthError(f"a run of months needs its first month (to {last}: from which?)")
    return decks.months_of({"from": first, "to": last or first})


def steps_from_table(table: pd.DataFrame) -> tuple[list[Step], list[str]]:
    """The editor's rows as steps; a row without a title, or one the scenario refuses, is skipped and said."""
    steps, problems = [], []
    for i, row in editor_rows(table).iterrows():
        title = clean_text(row["title"], MAX_TITLE + 1)
        if not title:
            problems.append(f"row {i + 1}: it needs a title")
            continue
        if len(title) > MAX_TITLE:
            problems.append(f"row {i + 1}: its title is over the limit of {MAX_TITLE} characters; shorten it")
            continue
        if len(row["notes"]) > decks.MAX_NOTES:
            problems.append(
                f"row {i + 1} ({title}): its notes have {len(row['notes']):,} characters; the limit is "
                f"{decks.MAX_NOTES:,}, shorten them"
            )
            continue
        try:
            scenario = scenario_from_record(row.to_dict(), text=True)
        except ScenarioError as exc:
            problems.append(f"row {i + 1} ({title}): {exc}")
            continue
        try:
            whatif = _returns_of(row)
        except returns.ReturnsError as exc:
            problems.append(f"row {i + 1} ({title}): returns what-if: {exc}")
            continue
        try:
            run = _months_of(row)
        except timeline.MonthError as exc:
            problems.append(f"row {i + 1} ({title}): months: {exc}")
            continue
        steps.append(Step(title, row["notes"], scenario, whatif, run))
    return steps, problems


def table_of(steps: list[Step]) -> pd.DataFrame:
    rows = [
        {
            "title": s.title,
            "notes": s.notes,
            **{f: getattr(s.scenario, f) for f in FIELD_NAMES},
            **(
                {
                    "returns_people": s.returns.people,
                    "returns_rule": s.returns.rule,
                    "returns_where": ",".join(s.returns.where),
                }
                if s.returns is not None
                else {}
            ),
            **({"months_from": s.months[0], "months_to": s.months[1]} if s.months is not None else {}),
        }
        for s in steps
    ]
    return editor_rows(pd.DataFrame(rows, columns=list(COLUMNS)))


def use_deck(name: str, steps: list[Step], version: int | None) -> None:
    """Replace the editor's sequence (a new editor key, so the widget shows the loaded rows)."""
    st.session_state["brief_table"] = table_of(steps)
    st.session_state["brief_editor_n"] = st.session_state.get("brief_editor_n", 0) + 1
    st.session_state["deck_name"] = name
    st.session_state["deck_version"] = (name, version) if version is not None else None
    st.session_state["brief_step"] = 0
    st.session_state.pop("brief_edited", None)  # the loaded rows replace any earlier edits


def edited_steps(presenter: bool) -> list[Step]:
    """Draw the sequence editor (open unless presenting) and return its valid steps."""
    if "brief_table" not in st.session_state:
        st.session_state["brief_table"] = table_of(decks.default_sequence())
        st.session_state.pop("brief_edited", None)
        st.session_state.setdefault("deck_name", "Default briefing")
    editor_key = f"brief_editor_{st.session_state.get('brief_editor_n', 0)}"
    if editor_key not in st.session_state and "brief_edited" in st.session_state:
        # The editor was forgotten while another page was open: start it again from the last edits.
        st.session_state["brief_table"] = editor_rows(st.session_state["brief_edited"])
    with st.expander("Edit the sequence", expanded=not presenter):
        edited = st.data_editor(
            st.session_state["brief_table"],
            num_rows="dynamic",
            hide_index=True,
            key=editor_key,
            column_config={
                "as_of": st.column_config.DateColumn("as of"),
                "segment": st.column_config.SelectboxColumn(options=list(SEGMENTS)),
                "returns_people": st.column_config.NumberColumn(
                    "returns: people", min_value=0, max_value=returns.MAX_PEOPLE, step=1, format="localized"
                ),
                "returns_rule": st.column_config.SelectboxColumn("returns: rule", options=list(returns.RULES)),
                "returns_where": st.column_config.TextColumn("returns: into (codes)"),
                "months_from": st.column_config.TextColumn(
                    "months: from",
                    help="A month the step shows (YYYY-MM, 2017-01 to 2020-12): its events "
                    "and the posts on its last day; empty for none",
                ),
                "months_to": st.column_config.TextColumn(
                    "months: to", help="The last month of a run (YYYY-MM); empty for one month"
                ),
            },
        )
    st.session_state["brief_edited"] = edited
    steps, problems = steps_from_table(edited)
    for p in problems:  # the row stays in the table as typed
        st.warning(markdown_escape(f"Skipped {p}."))
    return steps
