"""The briefing's sequence: an editable table of named scenarios, kept across page changes, read into
steps through the one record mapping (a row the scenario refuses is skipped and said)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.exchange import decks
from dashboard.model.scenario import FIELD_NAMES, SEGMENTS, ScenarioError, Step, scenario_from_record
from dashboard.sources.text import markdown_escape


def steps_from_table(table: pd.DataFrame) -> tuple[list[Step], list[str]]:
    """The editor's rows as steps; a row the scenario refuses is skipped and said (by row and title)."""
    steps, problems = [], []
    for i, row in table.iterrows():
        try:
            scenario = scenario_from_record(row.to_dict(), text=True)
        except ScenarioError as exc:
            problems.append(f"row {i + 1} ({row['title']}): {exc}")
            continue
        steps.append(Step(str(row["title"]), str(row["notes"] or ""), scenario))
    return steps, problems


def table_of(steps: list[Step]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"title": s.title, "notes": s.notes, **{f: getattr(s.scenario, f) for f in FIELD_NAMES}} for s in steps]
    )


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
        st.session_state["brief_table"] = st.session_state["brief_edited"]
    with st.expander("Edit the sequence", expanded=not presenter):
        edited = st.data_editor(
            st.session_state["brief_table"],
            num_rows="dynamic",
            hide_index=True,
            key=editor_key,
            column_config={
                "as_of": st.column_config.DateColumn("as of"),
                "segment": st.column_config.SelectboxColumn(options=list(SEGMENTS)),
            },
        )
    st.session_state["brief_edited"] = edited
    steps, problems = steps_from_table(edited)
    for p in problems:
        st.warning(markdown_escape(f"Skipped {p}"))
    return steps
