"""AppTest of the Sources & method page: every layer with its source, and every figure with its method."""

from __future__ import annotations

from dashboard.model import metrics
from dashboard.sources import layers
from tests.app.apptest import app


def test_every_layer_and_every_figure_says_where_it_comes_from():
    at = app()
    at.switch_page("views/sources.py").run()
    assert not at.exception
    datasets, figures = (t.value for t in at.table)
    assert list(datasets["dataset"]) == list(layers.DATASETS) and "events" in list(datasets["dataset"])
    assert list(figures["figure"]) == [m.label for m in metrics.CATALOGUE]
    assert all(note for note in figures["how it is measured, and from what"])
