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


def test_the_figures_page_links_the_texts_incidents_to_the_events_and_says_whether_counts_agree():
    at = app()
    at.switch_page("views/figures.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    by_figure = table.set_index("figure")
    assert by_figure.loc["S22", "verdict"].startswith("agrees: UCDP event 336418")
    assert by_figure.loc["S22", "count"] == "8" and by_figure.loc["S22", "place"] == "Saraqib"
    assert by_figure.loc["TMF-2020-02-27", "UCDP events"] == "338074, 338066"
    assert by_figure.loc["S18", "verdict"] == "outside the dataset (see the note)"
    events = next(d.value for d in at.dataframe if "km" in d.value.columns)
    assert set(events["figure"]) == {"S22", "TMF-2020-02-10", "TMF-2020-02-27"}
    assert any("UCDP counts every death in an event, on all sides" in c.value for c in at.caption)
    said = next(m.value for m in at.markdown if "**S22**" in m.value)  # the verdicts in full, to read aloud
    assert "1 other event within 10 km then, 23 deaths" in said and "events in Syria only" in said


def test_the_figures_charts_load_their_data_from_files_and_send_none_with_the_page(tmp_path, monkeypatch):
    """Sent inline, each visit converted every chart's data to an Arrow table again (~40 ms of server time
    per visit) and sent it (~70 kB); served files are fetched once and kept by the browser."""
    from dashboard.ui import served_files

    monkeypatch.setattr(served_files, "STATIC_DIR", tmp_path)  # its own: the browser tests' servers share the other
    at = app()
    at.switch_page("views/figures.py").run()
    charts = at.get("vega_lite_chart")
    assert all(not chart.proto.datasets for chart in charts)
    specs = [json.loads(chart.proto.spec) for chart in charts]
    assert all(not spec.get("datasets") for spec in specs)
    urls = [url for spec in specs for url in served_files.served_urls(spec)]
    assert len(urls) >= 4
    rows = {url: json.loads((served_files.STATIC_DIR / url.removeprefix("app/static/")).read_text()) for url in urls}
    escalation = specs[1]["data"]["url"]  # the timeline: every dated event of the seeds
    assert any(row["location"] == "Moscow" for row in rows[escalation]) and len(rows[escalation]) > 50
    for path in served_files.STATIC_DIR.glob("figures-*.json"):  # `make clean` while the server runs
        path.unlink()
    at.switch_page("views/figures.py").run()
    again = [
        url for chart in at.get("vega_lite_chart") for url in served_files.served_urls(json.loads(chart.proto.spec))
    ]
    assert again == urls and all((served_files.STATIC_DIR / u.removeprefix("app/static/")).is_file() for u in again)


def test_served_chart_data_keeps_a_dataset_still_named_inside_the_spec():
    """Only a top-level view's and its layers' data become files; a dataset named anywhere else (a lookup, a
    nested view) stays inline rather than vanish from under the chart."""
    from dashboard.ui import served_files

    spec = {
        "data": {"name": "rows"},
        "transform": [{"lookup": "id", "from": {"data": {"name": "names"}, "key": "id", "fields": ["name"]}}],
        "hconcat": [{"data": {"name": "deep"}, "mark": "bar"}],
        "datasets": {"rows": [{"id": 1}], "names": [{"id": 1, "name": "Idlib"}], "deep": [{"x": 2}]},
    }
    out = served_files.served_datasets(spec, "test")
    assert "url" in out["data"] and set(out["datasets"]) == {"names", "deep"}
    path = served_files.STATIC_DIR / out["data"]["url"].removeprefix("app/static/")
    assert json.loads(path.read_text()) == [{"id": 1}]
    path.unlink()
