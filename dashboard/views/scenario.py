"""Map & scenario (the landing page): controls -> core -> live view (depth, map, figures), notes, curve, details,
downloads. Where the live view cannot run, today's map and panel instead."""

from dataclasses import replace

import streamlit as st

from dashboard.ui import controls, engine_results, landing, live_view, places, timeline, uploaded_layers
from dashboard.ui.guard import friendly_errors

with friendly_errors():
    engine_results.impact_ahead(controls.likely_scenario())  # the step's figures first: a cache hit below when right
    scenario = controls.scenario_sidebar()
    upload = controls.user_layer_upload()
    result = engine_results.impact(scenario)
    baseline = engine_results.impact(replace(scenario, inner_km=30.0, outer_km=40.0))
    user = user_base = file_id = None
    if upload is not None:
        file_id = st.session_state["user_upload"].file_id
        user = uploaded_layers.user_coverage(file_id, upload, scenario)
        user_base = uploaded_layers.user_coverage(file_id, upload, baseline.scenario)

    st.title("NW Syria safe-zone scenarios")
    st.caption(scenario.label())
    if live_view.available():
        places.search_box()
        landing.live_map(result, baseline, user, file_id)
        left, right = st.columns([3, 2], gap="medium")
        with left:
            if user is not None:
                landing.layer_tiles(user, user_base)
            landing.impact_notes(result)
        with right:
            landing.sensitivity(result)
    else:
        st.caption(
            f"The live map could not start in this browser ({live_view.why()}): the map below is drawn by the "
            "server; move the depth with the sidebar's slider."
        )
        left, right = st.columns([3, 2], gap="medium")
        with right:  # the numbers are sent before the map: they reach the screen first and the map follows
            landing.impact_panel(result, baseline, user, user_base)
        with left:
            places.search_box()
            landing.map_panel(result, user, file_id)
        with right:
            landing.sensitivity(result)
    if user is not None:
        landing.user_layer(result, user, upload, outlined=uploaded_layers.user_outlined(file_id, user))
    landing.detail_panel(result)
    timeline.time_panel(scenario)
