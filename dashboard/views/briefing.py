"""Briefing: presenter mode over an editable sequence of named scenarios, saved decks, and the one-file pack."""

import streamlit as st

from dashboard.ui import controls, deck_panel, exports, presenter, sequence_editor
from dashboard.ui.guard import friendly_errors
from dashboard.ui.state import KEEP

with friendly_errors():
    presenter.step_from_link()
    presenting = st.toggle(
        "Presenter mode (large type, high contrast)", value=True, key="presenter", persist_state=KEEP
    )
    if presenting:
        st.markdown(presenter.PRESENTER_CSS, unsafe_allow_html=True)
    steps = sequence_editor.edited_steps(presenter=presenting)
    with st.expander("Saved decks: save, open, import, export", expanded=False):
        deck_panel.deck_panel(steps)
    if not steps:
        controls.keep_in_link(controls.page_scenario())
        st.info("The sequence is empty: add a row above.")
        st.stop()
    presenter.keyboard()
    step = presenter.current_step(steps)
    # the address: the briefer's scenario, for the other pages, and the step on screen (?step=2)
    controls.keep_in_link(controls.page_scenario(), **presenter.step_param())
    presenter.step_view(step)
    presenter.pack_download(steps)
    exports.slides_panel(steps)
