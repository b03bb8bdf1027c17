"""AppTest: every page that shows people shows the estimate placed where people live, with its range and
who governs them."""

from __future__ import annotations

from dashboard.model import metrics
from dashboard.model.geography import load_geography
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario
from dashboard.sources import text
from tests.app.apptest import app


def test_the_panel_reads_people_where_they_live_with_a_range_and_who_governs_them():
    expected = assess(load_geography(), Scenario())
    at = app()
    people = next(m.value for m in at.metric if m.label == "People inside (estimate)")
    assert people == metrics.people_estimate(expected.population_inside)
    text = " ".join(m.value for m in at.markdown)
    assert f"**People inside:** {metrics.BY_KEY['population_inside'].aloud(expected)}" in text
    assert "low confidence" in text  # the 30–40 km band hinges on where Aleppo's edge falls
    (table,) = [m.value for m in at.markdown if m.value.startswith("| Who governs the people inside |")]
    rows = {
        cells[0]: cells[1:]
        for cells in ([c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:])
    }
    opposition = "North-west opposition areas"
    assert rows[opposition][0] == metrics.people_estimate(expected.people_by_control[opposition])
    assert any("not a line of contact" in c.value for c in at.caption)


def test_compare_and_presenter_show_the_range():
    at = app()
    at.switch_page("views/compare.py").run()
    rows = at.dataframe[0].value.set_index("metric")
    assert {"People inside, low", "People inside, high", "People inside: Government of Syria"} <= set(rows.index)
    assert (rows.loc["People inside, low", ["A", "B"]] <= rows.loc["People inside (estimate)", ["A", "B"]]).all()
    at.switch_page("views/briefing.py").run()
    assert any("(range" in m.value and "Who governs them" in m.value for m in at.markdown)


def test_every_page_names_the_large_towns_a_line_crosses():
    """al-Bab's centre is 29.9 km out: on the landing panel, Compare (its 0–30 km column) and the presenter
    view, the sentence says its people count or not depending on where the 30 km line falls."""
    sentence = text.markdown_escape("al-Bab's centre is 29.9 km from the border")  # shown as plain text
    at = app()
    panel = " ".join(m.value for m in at.markdown)
    assert f"**Where the line falls:** {sentence}" in panel
    at.switch_page("views/compare.py").run()
    assert any(f"Where the line falls: {sentence}" in c.value for c in at.caption)
    at.switch_page("views/briefing.py").run()
    assert any("depends on where the" in m.value for m in at.markdown)
