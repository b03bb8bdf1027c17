"""The months on paper: `python -m dashboard timeline` (table and JSON, bad months refused in one line) and the
small multiples in the PNG, the pack, the .pptx and the PDF (a slide per six panels)."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest

from dashboard.model import timeline
from dashboard.model.scenario import DEFAULT, month_run_label
from dashboard.render import images, months
from dashboard.sources import seeds


def test_timeline_json_gives_each_month_of_the_run_with_the_models_figures(run, geo):
    code, out, err = run("timeline", "--from", "2019-04", "--to", "2020-03", "--zone", "0", "30", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [m["month"] for m in data["months"]] == timeline.months_between("2019-04", "2020-03")
    assert data["scenario"]["outer_km"] == 30 and "as_of" not in data["scenario"]
    scenario = DEFAULT.__class__(inner_km=0.0, outer_km=30.0)
    model = timeline.month_figures(
        geo, scenario, "2019-04", "2020-03", seeds.load_table(seeds.TIMELINE), seeds.load_registry()
    )
    for said, m in zip(data["months"], model, strict=True):
        assert said["events"] == m.events
        assert said["deaths"]["inside"]["best"] == m.deaths["inside"][0]
        assert said["posts_on"] == m.last_day.isoformat()
        assert {k: len(v) for k, v in said["posts"].items()} == {k: len(v) for k, v in m.posts.items()}
    feb = next(m for m in data["months"] if m["month"] == "2020-02")
    assert feb["posts"]["encircled"] and "OP06" in feb["posts"]["encircled"]  # Surman, encircled 23 Dec 2019
    march = next(m for m in data["months"] if m["month"] == "2020-03")
    assert {"id": "S04", "quote": "The March 5 agreement"} in next(
        d["quotes"] for d in march["dated"] if d["date"] == "2020-03-05"
    )


def test_timeline_table_reads_as_a_month_per_row_with_posts_and_dated_events(run):
    code, out, _ = run("timeline", "--from", "2019-08", "--to", "2019-09")
    assert code == 0
    assert re.search(r"^2019-08\s+\d+ /\s+\d+", out, re.M) and re.search(r"^2019-09\s", out, re.M)
    assert "posts on 31 Aug 2019:" in out and "1 encircled" in out
    assert "23 Aug: Syrian forces encircle the Morek observation post" in out
    assert "no line of contact is drawn" in out and "OCHA's early-2023 planning figures" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "2016-12"], "outside the events data's months"),
        (["--from", "2019-4"], "not a month"),
        (["--from", "2020-03", "--to", "2019-04"], "before --from"),
        (["--zone", "40", "30"], "the outer depth (30 km) is not allowed"),
        (["--step", "week"], "invalid choice"),
    ],
)
def test_timeline_refuses_bad_months_in_one_line(run, args, needle):
    code, out, err = run("timeline", *args)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1 and out == ""


def test_a_grids_panels_are_the_months_or_the_calendar_quarters_clipped_to_the_run():
    assert months.Grid(DEFAULT, "2019-05", "2020-03", "quarter").panels() == [
        ("2019-05", "2019-06"),
        ("2019-07", "2019-09"),
        ("2019-10", "2019-12"),
        ("2020-01", "2020-03"),
    ]
    monthly = months.Grid(DEFAULT, "2019-04", "2020-03")
    assert len(monthly.panels()) == 12 and [len(c) for c in monthly.chunks(months.PANELS_PER_SLIDE)] == [6, 6]
    with pytest.raises(ValueError, match="backwards"):
        months.Grid(DEFAULT, "2020-03", "2019-04")


def test_each_panel_is_titled_with_its_deaths_inside_and_shares_one_extent_and_size(geo):
    grid = months.Grid(DEFAULT, "2019-12", "2020-03", "month")
    spec = months.grid_chart(geo, grid).to_dict()
    panels = spec["vconcat"][0]["concat"]
    model = timeline.month_figures(geo, DEFAULT, "2019-12", "2020-03", [], [])
    assert [p["title"]["text"] for p in panels] == [
        f"{month_run_label(m.month, m.month)}: {m.deaths['inside'][0]:,.0f} deaths inside the zone" for m in model
    ]
    assert len({json.dumps(p["projection"]) for p in panels}) == 1
    assert {(p["width"], p["height"]) for p in panels} == {(months.PANEL_W, months.PANEL_H)}


def test_the_timeline_writes_the_small_multiples_as_a_png(run, tmp_path):
    out = tmp_path / "grid.png"
    code, _, err = run("timeline", "--from", "2019-04", "--to", "2020-03", "--step", "quarter", "--png", str(out))
    assert code == 0, err
    width, height = images.png_size(out.read_bytes())
    assert width > 1000 and height > 250


@pytest.fixture
def one_step_deck(tmp_path, monkeypatch):
    from dashboard.exchange import decks

    monkeypatch.setenv(decks.DB_ENV, str(tmp_path / "decks.sqlite3"))
    decks.DeckStore().save("Months", decks.default_sequence()[:1], None)
    return "Months"


def test_the_pptx_pdf_and_pack_carry_a_grid(run, tmp_path, one_step_deck):
    from pptx import Presentation

    pptx, pdf, html = (tmp_path / f"b.{k}" for k in ("pptx", "pdf", "html"))
    grid = ["--grid", "2019-04:2020-03:month"]
    for out, kind in ((pptx, "pptx"), (pdf, "pdf"), (html, "html")):
        code, _, err = run("briefing", "--deck", one_step_deck, "--format", kind, "--out", str(out), *grid)
        assert code == 0, err
    deck = Presentation(io.BytesIO(pptx.read_bytes()))
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in deck.slides]
    grids = [t for slide in texts for t in slide if t.startswith("Deaths inside the zone by month")]
    assert grids == [
        "Deaths inside the zone by month, Apr–Sep 2019 (1 of 2)",
        "Deaths inside the zone by month, Oct 2019–Mar 2020 (2 of 2)",
    ]
    pictures = [s for slide in deck.slides for s in slide.shapes if s.name.startswith("Small multiples")]
    assert len(pictures) == 2
    assert pdf.read_bytes().startswith(b"%PDF")
    text = html.read_text()
    assert "Deaths inside the zone by month, Apr 2019–Mar 2020" in text
    found = re.search(r'alt="Small multiples: Apr 2019,[^"]*"', text)
    assert found and "Mar 2020" in found.group(0)
    png = re.search(r'<section class="chart grid">.*?base64,([^"]+)"', text, re.S).group(1)
    assert images.png_size(base64.b64decode(png))[0] > 1000


@pytest.mark.parametrize("spec", ["2019-04", "2019-04:2021-01", "2019-04:2020-03:week", "2020-03:2019-04"])
def test_a_bad_grid_is_refused_in_one_line(run, tmp_path, spec):
    code, _, err = run("briefing", "--default", "--format", "pptx", "--out", str(tmp_path / "x.pptx"), "--grid", spec)
    assert code == 2 and "invalid grid" in err and len(err.strip().splitlines()) == 1


def test_a_deck_step_with_months_says_them_in_the_pptx_and_the_pack(run, tmp_path, monkeypatch):
    """Issue 30: a step's months go onto its slide's lead line and its pack section, with the months' events
    and the posts' date; the step's figures are the scenario's over those months."""
    from pptx import Presentation

    from dashboard.exchange import decks
    from dashboard.model.scenario import Step

    monkeypatch.setenv(decks.DB_ENV, str(tmp_path / "decks.sqlite3"))
    plain = decks.default_sequence()[1]
    step = Step(plain.title, plain.notes, plain.scenario, None, ("2019-07", "2019-08"))
    decks.DeckStore().save("Summer", [step], None)
    pptx, html = tmp_path / "b.pptx", tmp_path / "b.html"
    for out, kind in ((pptx, "pptx"), (html, "html")):
        code, _, err = run("briefing", "--deck", "Summer", "--format", kind, "--out", str(out))
        assert code == 0, err
    deck = Presentation(io.BytesIO(pptx.read_bytes()))
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    lead = next(t for t in texts if "Jul–Aug 2019: " in t)
    assert "; as of 31 Aug 2019; Jul–Aug 2019: " in lead and lead.endswith(" deaths inside"), lead
    text = html.read_text()
    assert re.search(r"<b>Months shown:</b> Jul–Aug 2019: [\d,]+ events and [\d,]+ deaths inside the zone", text)
