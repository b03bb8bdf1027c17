"""AppTest of the Sources & method page: every layer with its source, and every figure with its method."""

from __future__ import annotations

import pytest

from dashboard.model import metrics
from dashboard.sources import layers
from tests.app.apptest import app, linked, opened


def test_every_layer_and_every_figure_says_where_it_comes_from():
    at = app()
    at.switch_page("views/sources.py").run()
    assert not at.exception
    datasets, figures = (t.value for t in at.table)
    assert list(datasets["dataset"]) == list(layers.DATASETS) and "events" in list(datasets["dataset"])
    assert list(figures["figure"]) == [m.label for m in metrics.CATALOGUE]
    assert all(note for note in figures["how it is measured, and from what"])


@pytest.mark.parametrize("page", ["views/sources.py", "views/figures.py"])
def test_the_address_keeps_the_briefers_scenario(page):
    """Issue 27: opened from a link, these pages kept the parameters in the address but a later page used
    30–40 km; now the link's scenario is the session's, and the address keeps it."""
    at = opened(page, inner="20", outer="45")
    assert linked(at) == {"inner": "20", "outer": "45"}
    at.query_params.clear()  # the browser's navigation link to the next page carries no parameters
    at.switch_page("views/scenario.py").run()
    assert at.slider(key="depth").value == (20, 45) and linked(at) == {"inner": "20", "outer": "45"}
