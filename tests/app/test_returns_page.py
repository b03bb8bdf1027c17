"""AppTest of the Returns page: the what-if's figures, its rules, a link's what-if, bad input kept out in plain
words with the previous values shown, the comparison, and the step it adds to the briefing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.apptest import APP, app

PAGE = "views/returns.py"


def on_page(**params):
    """The Returns page opened from a link (with ``params``), as a browser opens /returns?...."""
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(PAGE).run()


def said(element) -> str:
    """A message as read: the page escapes Markdown in what it says."""
    return element.value.replace("\\", "")


def metric_value(at, label: str) -> float:
    return float(next(m.value for m in at.metric if m.label == label).replace(",", ""))


COLUMN_OF = {"returns_table": "p-code", "returns_compare": "figure", "returns_context": "quote"}


def table(at, key: str = "returns_table"):
    """A table of the page, known by a column only it has."""
    return next(d.value for d in at.dataframe if COLUMN_OF[key] in d.value.columns)


def test_the_page_shows_the_zone_before_and_after_and_its_table_adds_up():
    at = on_page()
    assert not at.exception
    rows = table(at)
    assert rows["arrivals"].sum() == 1_000_000
    assert metric_value(at, "Housing units needed") == rows["housing units"].sum()
    assert "1,000,000 people settling in proportion to today" in at.markdown[0].value.replace("\\", "")
    context = table(at, "returns_context")
    assert {"2019-09-24", "2022-05-09", "2025-01-16"} <= set(context["when"])


def test_a_link_carries_the_what_if_and_the_page_writes_it_back():
    at = on_page(ret_n="2500000", ret_rule="area")
    assert at.text_input(key="ret_people").value == "2,500,000"
    assert at.radio(key="ret_rule").value == "area"
    assert table(at)["arrivals"].sum() == 2_500_000
    at.text_input(key="ret_people").set_value("3,000,000").run()
    assert str(at.query_params["ret_n"]).strip("[]'") == "3000000"  # the page writes the what-if into its link
    assert str(at.query_params["ret_rule"]).strip("[]'") == "area"


def test_a_nonsense_link_is_said_and_the_defaults_stay():
    at = on_page(ret_n="-7", ret_rule="subdistricts", ret_in="SY999999")
    assert any("In the link, ignored the returns what-if" in said(w) for w in at.warning)
    assert table(at)["arrivals"].sum() == 1_000_000


def test_bad_numbers_are_refused_and_the_previous_values_shown():
    at = on_page()
    at.text_input(key="ret_people").set_value("1,200,000").run()
    assert table(at)["arrivals"].sum() == 1_200_000
    for bad in ("-5", "4000001", "a million"):
        at.text_input(key="ret_people").set_value(bad).run()
        assert not at.exception
        assert any("Showing the previous values: 1,200,000 people" in said(e) for e in at.error), bad
        assert table(at)["arrivals"].sum() == 1_200_000


def test_into_chosen_subdistricts_puts_arrivals_only_there():
    at = on_page()
    at.radio(key="ret_rule").set_value("subdistricts").run()
    assert any("needs at least one sub-district" in said(e) for e in at.error)  # nothing chosen yet: said
    at.multiselect(key="ret_subs").set_value(["SY070000"]).run()  # Idleb sub-district
    rows = table(at)
    assert rows.loc[rows["arrivals"] > 0, "p-code"].tolist() == ["SY070000"]
    assert rows["arrivals"].sum() == 1_000_000


def test_compare_two_sizes_side_by_side():
    at = on_page()
    compared = table(at, "returns_compare").set_index("figure")
    assert compared.loc["People settling", "A"] == 1_000_000
    assert compared.loc["People settling", "B"] == 2_000_000


def test_add_to_briefing_makes_a_step_with_the_what_if():
    at = on_page(ret_n="300000")
    at.button(key="returns_to_briefing").click().run()
    assert any("Added to the briefing sequence" in said(s) for s in at.success)
    rows = at.session_state["brief_table"]
    assert rows.iloc[-1]["returns_people"] == 300_000 and rows.iloc[-1]["returns_rule"] == "population"


def test_the_page_starts_from_the_scenario_the_landing_page_showed():
    at = app(inner="10", outer="55")  # the landing page, from a link
    at.switch_page(PAGE).run()
    assert at.slider(key="depth").value == (10, 55)
    assert any("Scenario: 10–55 km band" in said(c) for c in at.caption)


def test_compare_side_by_side_per_subdistrict():
    at = on_page()
    frame = next(d.value for d in at.dataframe if "B: arrivals" in d.value.columns)
    assert frame["A: arrivals"].sum() == 1_000_000 and frame["B: arrivals"].sum() == 2_000_000
