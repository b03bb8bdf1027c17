"""Figures & timeline: the four charts, the registry with its exact quotes, and unreviewed mentions."""

import pandas as pd
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.guard import friendly_errors

with friendly_errors():
    registry, external, timeline, unreviewed = cache.seed_tables()
    st.title("Figures & timeline")
    st.caption("Every figure is traceable: seed figures carry their exact quote, external figures their source.")
    for spec in cache.figure_specs():  # the Turkish refugees, escalation, displacement and deaths charts
        st.vega_lite_chart(spec, width="stretch")

    st.subheader("Figures in the source texts")
    table = pd.DataFrame([f.__dict__ for f in registry if f.kind != "not_a_figure"])
    st.dataframe(
        table[["id", "kind", "value", "low", "high", "unit", "measures", "refers_to", "quote", "file", "note"]],
        hide_index=True,
        key="registry_table",
    )
    st.subheader("Not yet curated")
    if unreviewed:
        st.warning(f"{len(unreviewed)} numeric mentions in the texts are not in the registry yet.")
        st.dataframe(
            pd.DataFrame(
                [{"file": m.file, "mention": m.text, "kind": m.kind, "sentence": m.sentence} for m in unreviewed]
            ),
            hide_index=True,
            key="unreviewed_table",
        )
    else:
        st.success("Every numeric mention in the texts is curated in seeds/figures.csv.")
    with st.expander("External reference figures (seeds/external.csv)"):
        st.dataframe(pd.DataFrame(external), hide_index=True)
