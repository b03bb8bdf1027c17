"""Finding a place and reading its card: the search box above the map, the map's click, and the card.

A place is chosen by the search (which also centres the map on it) or by clicking it on the map (which keeps
the briefer's pan and zoom). Its card is drawn under the map for the current scenario. Everything shown
comes from data and is shown as text: names are escaped, never markup.
"""

from __future__ import annotations

import streamlit as st

from dashboard.model import places
from dashboard.sources import text
from dashboard.ui import engine_results

CHOSEN = "place"  # session key: the place whose card is open, as "kind:id"
CENTRED = "place_view"  # session key: the place the map was centred on by the search
HANDLED = "place_click"  # session key: the map selection already turned into a card (a rerun keeps it)
CAMERA = "camera"  # session key: the camera preset box above the map (ui/controls), emptied by a search
# the map's clickable layers: the geodata layer whose rows its features are, in order, and the kind of place
CLICKABLE = {
    "settlements": ("settlements", "settlement"),
    "posts": ("posts", "post"),
    "districts": ("districts", "district"),
    "subdistricts": ("subdistricts", "subdistrict"),
    "units": ("governorates", "governorate"),
}


@st.fragment
def search_box() -> None:
    """One box: matches appear as one types (a pause of 0.3 s), best first; choosing one centres the map on
    it and opens its card. Typing reruns this box alone."""
    query = st.text_input(
        "Find a place",
        key="place_query",
        live="300ms",  # no max_chars: a longer paste would be refused whole; the search reads its start
        placeholder="Idlib, إدلب, İdlip, Jisr ash-Shughur, Morek…",
        help="Any name in English, Arabic or Turkish, in any common spelling",
    )
    if not query or not query.strip():
        return
    matches = engine_results.gazetteer().search(query)
    if not matches:
        st.caption("No place matches that name.")
        return
    if matches[0].score < places.STRONG:
        st.caption("No name matches it; the nearest spellings:")
    for match in matches:
        if st.button(text.markdown_escape(match.place.label), key=f"go:{match.place.key}", type="tertiary"):
            choose(match.place, centre=True)
            st.rerun()  # the whole page: the map moves and the card opens


def choose(place: places.Place, centre: bool) -> None:
    st.session_state[CHOSEN] = place.key
    if centre:
        st.session_state[CENTRED] = place.key
        # the camera box shows no preset while the map is on the place: choosing the preset it showed before
        # ("NW Syria") is then a change, and takes the view back
        st.session_state[CAMERA] = None


def forget_centre() -> None:
    """A camera preset chosen: the preset's view, not the searched place's."""
    st.session_state.pop(CENTRED, None)


def view() -> dict | None:
    """The map's view when the search centred it on a place: its position at a zoom for its kind."""
    key = st.session_state.get(CENTRED)
    place = engine_results.gazetteer().by_key.get(key) if key else None
    if place is None:
        return None
    return {"longitude": place.lon, "latitude": place.lat, "zoom": places.ZOOM[place.kind]}


def picked(event) -> None:
    """A click on the map's settlements, posts, sub-districts (anywhere in Syria, the zone included), districts
    or governorates opens that place's card. The selection stays in the map's state through later reruns, so
    only a new one is acted on."""
    indices = dict(getattr(getattr(event, "selection", None), "indices", None) or {})
    clicked = next(((layer, rows[0]) for layer, rows in indices.items() if layer in CLICKABLE and rows), None)
    if clicked is None:
        st.session_state.pop(HANDLED, None)  # nothing selected: the next click on anything is new
        return
    if clicked == st.session_state.get(HANDLED):
        return
    st.session_state[HANDLED] = clicked
    open_row(*clicked)


def open_row(layer: str, row: int) -> None:
    """Open the card of the place drawn as feature ``row`` of the map's clickable ``layer`` (the live view's
    click, picked in the browser, arrives here too)."""
    if layer not in CLICKABLE:
        return
    source, kind = CLICKABLE[layer]
    frame = engine_results.geography().layers_lonlat[source]
    if not 0 <= row < len(frame):
        return
    gazetteer = engine_results.gazetteer()
    place_id = str(frame["id"].iloc[row])
    place = gazetteer.by_key.get(f"{kind}:{place_id}") or gazetteer.by_key.get(f"town:{place_id}")
    if place is not None:  # a Turkish province is drawn but is not a place of the briefing
        choose(place, centre=False)


def card_panel(result) -> None:
    """The chosen place's card for the scenario on screen, with a button to close it."""
    key = st.session_state.get(CHOSEN)
    place = engine_results.gazetteer().by_key.get(key) if key else None
    if place is None:
        return
    rows = places.card(engine_results.geography(), result, place)
    with st.container(border=True, key="place_card"):
        title, close = st.columns([5, 1], vertical_alignment="center")
        title.markdown(f"**{text.markdown_escape(place.label)}**")
        if close.button("Close", key="close_place"):
            st.session_state.pop(CHOSEN, None)
            st.rerun()
        st.markdown("  \n".join(f"**{label}:** {text.markdown_escape(value)}" for label, value in rows))
        gazetteer = engine_results.gazetteer()
        for unit in (gazetteer.by_key.get(key) for key in places.within(engine_results.geography(), place)):
            if unit is not None and st.button(
                f"Open its {places.KINDS[unit.kind]}: {text.markdown_escape(unit.name)}",
                key=f"within:{unit.key}",
                type="tertiary",
            ):
                choose(unit, centre=False)
                st.rerun()
