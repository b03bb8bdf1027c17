"""Briefing: presenter mode over an editable sequence of named scenarios, saved decks, and the one-file pack."""

import streamlit as st

from dashboard.ui import deck_panel, exports, presenter, sequence_editor
from dashboard.ui.guard import friendly_errors
from dashboard.ui.state import KEEP

with friendly_errors():
    presenting = st.toggle(
        "Presenter mode (large type, high contrast)", value=True, key="presenter", persist_state=KEEP
    )
    if presenting:
        st.markdown(presenter.PRESENTER_CSS, unsafe_allow_html=True)
    steps = sequence_editor.edited_steps(presenter=presenting)
    with st.expander("Saved decks: save, open, import, export", expanded=False):
        deck_panel.deck_panel(steps)
    if not steps:
        st.info("The sequence is empty: add a row above.")
        st.stop()
    presenter.step_view(presenter.current_step(steps))
    presenter.pack_download(steps)
    exports.slides_panel(steps)
