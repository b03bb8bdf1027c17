"""The scenario form: one set of widgets, drawn from the scenario's field list, for every place a
scenario is chosen (the landing page's sidebar, both columns of the compare page). Widget keys are the
field's widget key with a prefix ("depth" in the sidebar, "a_depth" in the first compare column)."""

from __future__ import annotations

import math

import streamlit as st

from dashboard.model.scenario import (
    DEFAULT,
    DEPTH_MAX_KM,
    FIELDS,
    SEGMENTS,
    Scenario,
    ScenarioError,
)
from dashboard.ui.state import KEEP


def slider_depth(scenario: Scenario) -> tuple[int, int]:
    """Whole-km slider thumbs that contain the scenario's band (29.6–29.9 km shows as 29–30, not 30–30)."""
    inner = min(math.floor(scenario.inner_km), int(DEPTH_MAX_KM) - 1)
    return inner, max(math.ceil(scenario.outer_km), inner + 1)


# One entry per widget: the depth pair is one range slider, drawn with (and keyed by) the inner depth.
WIDGET_FIELDS = tuple(spec for spec in FIELDS if spec.name != "outer_km")


def set_values(prefix: str, scenario: Scenario, *, only_missing: bool = False) -> None:
    """Put a scenario into the form's widget state, before the widgets are drawn. Starting values go
    through session state, never as a widget default, so values kept across page changes are never
    contradicted by a default; ``only_missing`` leaves what the user already chose."""
    for spec in WIDGET_FIELDS:
        key = prefix + spec.widget
        value = slider_depth(scenario) if spec.kind == "depth" else getattr(scenario, spec.name)
        if not (only_missing and key in st.session_state):
            st.session_state[key] = float(value) if spec.kind == "km" else value


def _widget(spec, key: str):
    """The widget of one field; its value as the widget gives it."""
    help_text = spec.help or None
    if spec.kind == "depth":
        return st.slider(spec.label, 0, int(spec.maximum), key=key, step=1, persist_state=KEEP, help=help_text)
    if spec.kind == "segment":
        return st.selectbox(spec.label, list(SEGMENTS), format_func=SEGMENTS.get, key=key, persist_state=KEEP)
    if spec.kind == "km":
        return st.number_input(spec.label, 0.0, spec.maximum, step=1.0, key=key, persist_state=KEEP, help=help_text)
    return st.date_input(
        spec.label, min_value=spec.first, max_value=spec.last, key=key, persist_state=KEEP, help=help_text
    )


def scenario_form(prefix: str = "") -> tuple[Scenario, list[tuple[str, str]]]:
    """Draw the form; return its scenario and what the page should say about it ((kind, text): a band that
    needed inner < outer, a value the scenario refused), for the caller to show where the page reads it."""
    return _scenario([(spec, _widget(spec, prefix + spec.widget)) for spec in WIDGET_FIELDS])


def scenario_in_state(prefix: str = "") -> Scenario | None:
    """The scenario the form will give, read from its widgets' state before they are drawn: a guess to start
    work early on, never what the page shows. None if a value is not there or the scenario refuses them."""
    try:
        scenario, notes = _scenario([(spec, st.session_state[prefix + spec.widget]) for spec in WIDGET_FIELDS])
    except (KeyError, TypeError, ValueError):
        return None
    return None if any(kind == "warning" for kind, _ in notes) else scenario


def _scenario(field_values: list) -> tuple[Scenario, list[tuple[str, str]]]:
    """The scenario of the form's (field, value) pairs, and its notes."""
    values, notes = {}, []
    for spec, value in field_values:
        if spec.kind == "depth":
            inner, outer = value
            if inner >= outer:
                outer = min(inner + 1, int(DEPTH_MAX_KM))
                inner = outer - 1
                notes.append(("info", f"The band needs inner < outer: using {inner}–{outer} km."))
            values["inner_km"], values["outer_km"] = float(inner), float(outer)
        else:
            values[spec.name] = value
    try:
        return Scenario(**values), notes
    except ScenarioError as exc:
        return DEFAULT, [*notes, ("warning", f"{exc}; using the default scenario.")]


def say(notes: list[tuple[str, str]]) -> None:
    """Show the form's notes (in the main area for the sidebar's form)."""
    for kind, text in notes:
        getattr(st, kind)(text)
