"""Entry point: page configuration and navigation only. Run with `make run`.

Icons are from Streamlit's bundled Material Symbols font, served by the app itself: emoji need an emoji font,
which a machine without internet often lacks (they show as empty boxes)."""

import streamlit as st

from dashboard.ui.connection import watch_connection
from dashboard.ui.uploaded_layers import forget_old_uploads

st.set_page_config(page_title="NW Syria scenarios", layout="wide")
watch_connection()  # a lost server shows a banner, and its return reloads the page from its link
forget_old_uploads()  # once a server process: uploads' drawings older than a day leave the disk

pages = [
    st.Page("views/scenario.py", title="Map & scenario", default=True, url_path="scenario"),
    st.Page("views/figures.py", title="Figures & timeline", url_path="figures"),
    st.Page("views/compare.py", title="Compare", url_path="compare"),
    st.Page("views/returns.py", title="Returns what-if", url_path="returns"),
    st.Page("views/briefing.py", title="Briefing", url_path="briefing"),
    st.Page("views/sources.py", title="Sources & method", url_path="sources"),
]
st.navigation(pages).run()
