"""The returns what-if travels with the scenario: link, deck, sequence table and CLI round trips; the pack and the
slides carry a step's what-if; bad input gives a plain message, never a traceback; the context rows are cited."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from pptx import Presentation

from dashboard.exchange import decks, links
from dashboard.model import returns
from dashboard.model.impact import assess
from dashboard.model.returns import WhatIf
from dashboard.model.scenario import DEFAULT, Scenario, Step
from dashboard.render import pack, slides
from dashboard.sources import seeds
from dashboard.ui import sequence_editor

CHOSEN = WhatIf(1_500_000, "subdistricts", ("SY070000", "SY020300"))  # Idleb and Afrin


@pytest.mark.parametrize("whatif", [WhatIf(), WhatIf(0, "area"), CHOSEN, WhatIf(4_000_000, "towns", ("gn169389",))])
def test_link_round_trip(whatif):
    params = {**links.encode(DEFAULT), **links.encode_returns(whatif)}
    assert links.decode_returns(params) == (whatif, [])
    assert links.decode(params) == (DEFAULT, [])  # the scenario's parameters are untouched by the what-if's


def test_a_link_without_a_what_if_has_none_and_a_nonsense_one_keeps_the_previous_values():
    assert links.decode_returns({"outer": "30"}) == (None, [])
    previous = WhatIf(700_000, "area")
    for bad in (
        {"ret_n": "-5"},
        {"ret_n": "4000001"},
        {"ret_n": "lots"},
        {"ret_rule": "everywhere"},
        {"ret_rule": "towns"},
        {"ret_n": ["1", "2e99"]},
    ):
        whatif, warnings = links.decode_returns(bad, previous)
        assert whatif == previous, bad
        assert len(warnings) == 1 and "keeping the previous values" in warnings[0], bad


def test_deck_json_round_trip_keeps_each_steps_what_if_and_old_decks_still_open():
    steps = decks.default_sequence()
    steps[0] = replace(steps[0], returns=CHOSEN)
    name, back = decks.deck_from_json(decks.deck_to_json("With returns", steps))
    assert back == steps
    assert back[0].returns == CHOSEN and back[1].returns is None
    old = json.loads(decks.deck_to_json("Old", decks.default_sequence()))
    assert all("returns" not in r for r in old["steps"])
    with pytest.raises(decks.DeckError, match="returns what-if"):
        bad = json.loads(decks.deck_to_json("Bad", steps))
        bad["steps"][0]["returns"]["people"] = -1
        decks.deck_from_json(json.dumps(bad))


def test_deck_store_round_trip(tmp_path):
    store = decks.DeckStore(tmp_path / "decks.sqlite3")
    steps = [Step("Returns", "", DEFAULT, CHOSEN)]
    store.save("R", steps)
    assert store.load("R").steps == steps


def test_sequence_table_round_trip_and_a_bad_cell_is_said():
    steps = [Step("A", "", DEFAULT, CHOSEN), Step("B", "", replace(DEFAULT, outer_km=35.0))]
    back, problems = sequence_editor.steps_from_table(sequence_editor.table_of(steps))
    assert (back, problems) == (steps, [])
    table = sequence_editor.table_of(steps)
    table.loc[0, "returns_people"] = 5_000_000
    back, problems = sequence_editor.steps_from_table(table)
    assert [s.title for s in back] == ["B"] and "returns what-if" in problems[0]


def test_cli_json_round_trip_equals_the_core(run, geo):
    code, out, _ = run(
        "returns", "--people", "1000000", "--rule", "population", "--zone", "0", "30", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    scenario = Scenario(inner_km=0, outer_km=30)
    expected = returns.outcome(WhatIf(1_000_000), returns.zone_of(geo, assess(geo, scenario)))
    assert returns.from_record(data["what_if"]) == WhatIf(1_000_000)
    assert (
        Scenario(
            **{
                **data["scenario"],
                **{k: DEFAULT.as_of.fromisoformat(data["scenario"][k]) for k in ("as_of", "events_from", "events_to")},
            }
        )
        == scenario
    )
    assert sum(r["arrivals"] for r in data["subdistricts"]) == 1_000_000 == data["totals"]["arrivals"]
    assert data["totals"]["housing_units"] == expected.totals["housing_units"]
    assert [r["id"] for r in data["subdistricts"]] == list(expected.table["id"])


def test_cli_table_and_bad_input(run):
    code, out, _ = run("returns", "--people", "2,000,000", "--rule", "area")
    assert code == 0 and "2,000,000 people settling in proportion to area" in out
    for args, words in (
        (("--people", "-1"), "outside 0 to 4,000,000"),
        (("--people", "4000001"), "outside 0 to 4,000,000"),
        (("--people", "10", "--rule", "subdistricts", "--into", "SY999999"), "none of the chosen sub-districts"),
        (("--people", "10", "--rule", "nowhere"), "rule must be one of"),
    ):
        code, out, err = run("returns", *args)
        assert code == 2 and words in err and "Traceback" not in err, args
        assert len(err.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def steps_with_returns():
    steps = decks.default_sequence()[:2]
    return [replace(steps[0], returns=WhatIf(1_000_000)), replace(steps[1], returns=WhatIf(10, "towns", ("gn1",)))]


def test_pack_has_a_returns_section_per_step_with_one(geo, steps_with_returns):
    impacts = [assess(geo, s.scenario) for s in steps_with_returns]
    html = pack.pack_html(geo, steps_with_returns, impacts, [], "http://localhost:8501", [])
    assert html.count("<h3>Returns what-if</h3>") == 2
    assert "1,000,000 people settling in proportion to today&#39;s people" in html
    assert "/returns?" in html and "ret_n=1000000" in html
    assert "none of the chosen towns lies in the zone" in html  # said, not a failed pack


def test_slides_have_a_returns_slide_after_a_step_with_one(geo, steps_with_returns):
    impacts = [assess(geo, s.scenario) for s in steps_with_returns]
    briefing = slides.briefing_slides(geo, steps_with_returns, impacts)
    titles = [s.title for s in briefing.slides]
    assert titles[1:5] == [
        steps_with_returns[0].title,
        "What-if: 1,000,000 people settle in the zone",
        steps_with_returns[1].title,
        "What-if: 10 people settle in the zone",
    ]
    deck = Presentation(io.BytesIO(slides.to_pptx(briefing)))
    table = next(shape.table for shape in deck.slides[2].shapes if shape.has_table)
    assert table.cell(0, 1).text == "Before" and table.cell(1, 0).text == "People in the zone"


def test_context_rows_are_cited_with_an_exact_quote():
    rows = returns.context_rows(seeds.load_table(seeds.EXTERNAL))
    categories = {r["category"] for r in rows}
    assert categories == set(returns.CONTEXT_CATEGORIES)
    for r in rows:
        assert r["quote"] and r["source_url"].startswith("http") and r["source_title"], r["id"]
        assert float(r["value"]) in seeds.numbers_in(r["quote"]), r["id"]  # the value is what the quote says
    size = next(r for r in rows if r["id"] == returns.HOUSEHOLD_SOURCE)
    assert float(size["value"]) == returns.HOUSEHOLD_SIZE
