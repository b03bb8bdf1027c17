"""AppTest of the Compare page: two scenarios and their differences."""

from __future__ import annotations

from tests.app.apptest import app


def test_compare_shows_a_table_of_differences():
    at = app()
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
    assert at.slider(key="a_depth").value == (0, 30)


def test_people_in_the_table_are_estimates_to_the_nearest_thousand():
    at = app()
    at.switch_page("views/compare.py").run()
    rows = at.dataframe[0].value.set_index("metric")
    people = [label for label in rows.index if label.startswith("People")]
    assert len(people) >= 8
    assert (rows.loc[people, ["A", "B"]] % 1000 == 0).all().all()
