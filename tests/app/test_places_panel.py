"""AppTest of finding a place: the search box, its matches, the card, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.app.apptest import app


def card_text(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("**English:**"))


def test_an_arabic_name_lists_its_places_and_choosing_one_centres_the_map_and_opens_its_card():
    at = app()
    at.text_input(key="place_query").input("إدلب").run()
    labels = [b.label for b in at.button if b.key and b.key.startswith("go:")]
    assert labels[0] == "Idlib · إدلب · İdlib \\(key town\\)" and len(labels) >= 4
    next(b for b in at.button if b.key == "go:town:gn169389").click().run()
    assert not at.exception
    card = card_text(at)
    assert "**Arabic:** إدلب" in card and "**Turkish:** İdlib" in card
    assert "**In the zone:** yes" in card and "**Distance to the border:** 25\\.9 km" in card
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    view = deck["initialViewState"]
    assert (view["longitude"], view["latitude"], view["zoom"]) == (36.63393, 35.93062, 10)  # Idlib, GeoNames
    at.slider(key="depth").set_value((0, 20)).run()  # the card follows the scenario
    assert "**In the zone:** no" in card_text(at)
    assert at.selectbox(key="camera").value is None  # on the place: no preset shown, so any preset is a change
    at.selectbox(key="camera").set_value("NW Syria").run()  # even the preset shown before the search
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert (view["longitude"], view["latitude"], view["zoom"]) == (36.75, 36.2, 7.4)
    at.selectbox(key="camera").set_value("Afrin").run()  # a preset takes the view back
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert (view["longitude"], view["latitude"]) == (36.85, 36.5)
    next(b for b in at.button if b.key == "close_place").click().run()
    assert card_text(at) == ""


@pytest.mark.parametrize(
    "query", ["x" * 200, "\u202e\x07<img src=x onerror=alert(1)>", "**bold** [a](http://e.x)", " "]
)
def test_odd_queries_give_no_error_and_no_markup(query):
    at = app()
    at.text_input(key="place_query").input(query).run()
    assert not at.exception
    assert not [b for b in at.button if b.key and b.key.startswith("go:")]
    assert all("<img" not in m.value for m in at.markdown)


def test_a_sub_districts_card_leads_on_to_its_district_and_governorate():
    """A click on the map finds the sub-district (the unseen layer that catches it anywhere in Syria); its card
    opens the units that hold it, one after another."""
    at = app()
    at.text_input(key="place_query").input("Armanaz").run()
    next(b for b in at.button if b.key == "go:subdistrict:SY070305").click().run()
    assert "**What it is:** sub\\-district" in card_text(at)
    assert [b.label for b in at.button if b.key and b.key.startswith("within:")] == [
        "Open its district: Harim",
        "Open its governorate: Idlib",
    ]
    next(b for b in at.button if b.key == "within:district:SY0703").click().run()
    assert "**What it is:** district" in card_text(at) and "**Governorate:** Idlib" in card_text(at)
    assert [b.key for b in at.button if b.key and b.key.startswith("within:")] == ["within:governorate:SY07"]
    next(b for b in at.button if b.key == "within:governorate:SY07").click().run()
    assert "**What it is:** governorate" in card_text(at) and not at.exception
