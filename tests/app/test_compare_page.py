"""AppTest of the Compare page: two scenarios and their differences."""

from __future__ import annotations

from tests.app.apptest import app, linked, opened


def test_compare_shows_a_table_of_differences():
    at = app(inner="0", outer="30")  # A is the briefer's scenario
    at.switch_page("views/compare.py").run()
    table = at.dataframe[0].value
    assert "B − A" in table.columns
    zone = table.set_index("metric").loc["Zone area (km²)"]
    assert zone["B"] > zone["A"]


def test_both_columns_use_the_landing_pages_form_and_move_independently():
    at = app()
    at.switch_page("views/compare.py").run()
    for prefix in ("a_", "b_"):  # the same five widgets as the sidebar, under the column's prefix
        assert at.slider(key=f"{prefix}depth") and at.selectbox(key=f"{prefix}segment")
        assert at.number_input(key=f"{prefix}corridor") and at.number_input(key=f"{prefix}radius")
        assert at.date_input(key=f"{prefix}as_of")
    at.number_input(key="b_radius").set_value(5.0).run()
    rows = at.dataframe[0].value.set_index("metric")
    assert rows.loc["Area around manned posts (km²)", "A"] == 0
    assert rows.loc["Area around manned posts (km²)", "B"] > 0
    assert at.slider(key="a_depth").value == (30, 40)  # the briefer's scenario, here the default


def test_people_in_the_table_are_estimates_to_the_nearest_thousand():
    at = app()
    at.switch_page("views/compare.py").run()
    rows = at.dataframe[0].value.set_index("metric")
    people = [label for label in rows.index if label.startswith("People")]
    assert len(people) >= 8
    assert (rows.loc[people, ["A", "B"]] % 1000 == 0).all().all()


def test_compare_starts_from_the_briefers_scenario_as_its_left_column():
    """Issue 27: Compare ignored the scenario the briefer came with."""
    at = app(inner="20", outer="45", corridor="3")
    at.switch_page("views/compare.py").run()
    assert at.slider(key="a_depth").value == (20, 45) and at.number_input(key="a_corridor").value == 3
    assert at.number_input(key="b_corridor").value == 6
    assert linked(at) == {"inner": "20", "outer": "45", "corridor": "3"}


def test_a_compare_link_opens_both_columns_for_the_recipient():
    at = opened("views/compare.py", inner="20", outer="45", b_radius="5")
    assert at.slider(key="a_depth").value == (20, 45) and at.number_input(key="b_radius").value == 5
    at.number_input(key="b_corridor").set_value(10.0).run()
    assert linked(at) == {"inner": "20", "outer": "45", "b_corridor": "10", "b_radius": "5"}
    at.switch_page("views/scenario.py").run()  # the briefer's scenario, on the map page too
    assert at.slider(key="depth").value == (20, 45) and linked(at) == {"inner": "20", "outer": "45"}
