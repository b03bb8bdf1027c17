"""Provenance checks on the figures registry, the external file and the timeline; the scanner."""

import csv
import datetime as dt
import re

import pytest

from dashboard.sources import seeds
from dashboard.sources.seeds import Figure, check_figure, scan_text


@pytest.fixture(scope="module")
def registry():
    return seeds.load_registry()


@pytest.fixture(scope="module")
def texts():
    return seeds.seed_texts()


def test_registry_validates_cleanly():
    assert seeds.validate_registry() == []


def test_every_quote_occurs_verbatim_in_its_seed_file(registry, texts):
    for f in registry:
        assert f.quote in texts[f.file], f.id


def test_ids_are_unique(registry):
    ids = [f.id for f in registry]
    assert len(ids) == len(set(ids))


def test_dates_parse(registry):
    for f in registry:
        if f.refers_to:
            start, end = seeds.parse_period(f.refers_to)
            assert start <= end, f.id


def test_key_figures_are_registered_with_their_values(registry):
    by_quote = {f.quote: f for f in registry}
    assert by_quote["nearly 4 million refugees"].value == 4_000_000
    assert by_quote["claimed eight Turkish lives"].value == 8
    assert (by_quote["30-40 kilometers deep"].low, by_quote["30-40 kilometers deep"].high) == (30, 40)
    assert by_quote["six-hour meeting"].value == 6
    assert by_quote["nine-year war"].value == 9
    assert by_quote["The March 5 agreement"].refers_to == "2020-03-05"


def test_discrepancies_with_the_external_record_are_noted(registry):
    by_id = {f.id: f for f in registry}
    assert "10 May 2023" in by_id["S01"].note  # the ministers met in May, not April
    assert "all nationalities" in by_id["S16"].note


def test_every_registry_figure_is_found_by_the_scanner(registry, texts):
    mentions = [m for name, text in texts.items() for m in scan_text(name, text)]
    held = seeds.mark_registered(mentions, registry, texts)
    assert {f.id for f in registry} <= set(held.values())


def test_the_curated_texts_have_no_unreviewed_mentions():
    assert seeds.unreviewed() == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They came in 2011 and stayed.", [("2011", "year")]),
        ("A zone 30-40 kilometers deep.", [("30-40 kilometers", "range")]),
        ("There were nearly 4 million people.", [("nearly 4 million", "hedged")]),
        ("dozens of people were hurt", [("dozens of", "vague")]),
        ("after a six-hour meeting", [("six-hour", "compound")]),
        ("the nine-year war", [("nine-year", "compound")]),
        ("The March 5 agreement", [("March 5", "date")]),
        ("Since May 2019 it has", [("May 2019", "month_year")]),
        ("It claimed eight lives.", [("eight", "word")]),
        ("We met in April.", [("April", "month")]),
        ("It cost 1,250 dollars.", [("1,250", "number")]),
        ("since World War II", [("World War II", "roman")]),
    ],
)
def test_scanner_finds_each_form(sentence, expected):
    found = [(m.text, m.kind) for m in scan_text("t.txt", sentence)]
    assert found == expected


def test_scanner_reports_the_sentence():
    text = "First line here.\nSecond: 12 posts were set up. Then more."
    m = [m for m in scan_text("t.txt", text) if m.text == "12"][0]
    assert m.sentence == "Second: 12 posts were set up."


def test_new_text_shows_its_unreviewed_candidates(tmp_path):
    (tmp_path / "a.txt").write_text("About 500 people crossed on 3 March. Nothing else.", encoding="utf-8")
    with (seeds.SEEDS_DIR / seeds.REGISTRY).open(encoding="utf-8") as src:
        (tmp_path / seeds.REGISTRY).write_text(src.read(), encoding="utf-8")
    texts = [m.text for m in seeds.unreviewed(tmp_path)]
    assert texts == ["About 500", "3 March"]


def fig(**kw):
    base = dict(
        id="X",
        kind="count",
        value=8.0,
        low=None,
        high=None,
        unit="deaths",
        measures="m",
        refers_to="",
        refers_to_note="",
        file="a.txt",
        quote="claimed eight lives",
        note="",
    )
    base.update(kw)
    return Figure(**base)


def test_value_inconsistent_with_its_quote_is_reported():
    assert check_figure(fig(), "it claimed eight lives") == []
    assert any("not stated" in p for p in check_figure(fig(value=9.0), "it claimed eight lives"))
    assert any("verbatim" in p for p in check_figure(fig(), "it claimed 8 lives"))
    assert any(
        "month differs" in p
        for p in check_figure(fig(kind="month", value=None, quote="in April", refers_to="2023-05"), "met in April")
    )


def test_external_figures_all_have_sources_and_dates():
    rows = seeds.load_table(seeds.EXTERNAL)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["source_title"].strip() and re.match(r"https?://", r["source_url"]), r["id"]
        assert r["status"].strip(), r["id"]
        dt.date.fromisoformat(r["date"])
        if r["value"]:
            float(r["value"])


def test_timeline_events_have_sources_and_dates():
    with (seeds.SEEDS_DIR / seeds.TIMELINE).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 50
    for r in rows:
        dt.date.fromisoformat(r["date"])
        assert r["source_title"].strip() and r["source_url"].startswith("http"), r["event"]
