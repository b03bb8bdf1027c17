"""AppTest of the Figures & timeline page: four charts, the registry, the curation check."""

from __future__ import annotations

import json

from tests.app.apptest import app


def test_figures_page_draws_four_charts_and_the_registry():
    at = app()
    at.switch_page("views/figures.py").run()
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [s["title"]["text"] for s in specs]
    assert titles == [
        "Syrians in Türkiye by year",
        "Escalation timeline, 2011–2023",
        "NW Syria displacement, December 2019 – March 2020",
        "Turkish military deaths in Idlib, February 2020",
    ]
    assert at.success  # every mention curated
