"""The live view's JavaScript (``dashboard/ui/live_view.js``) run in Node against the engine: the figures it
reads off the curves and the words it paints equal the Python side's, for random grid pairs and values."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard.model import depth_curves, metrics
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario
from dashboard.ui.live_view import OF, SAID

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (apt-get install nodejs)")
SCRIPT = Path(__file__).resolve().parents[2] / "dashboard" / "ui" / "live_view.js"
SETTINGS = Scenario(segment="west", events_from=dt.date(2019, 5, 1), events_to=dt.date(2020, 3, 31))
RUN = """
const m = await import(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.cases.map(([a, b]) => {
  const values = m.figures(input.record, input.constant, a, b);
  return {
    values,
    texts: input.rows.map((row) => m.metricText(row, values)),
    said: input.said.map((row) => m.aloud(row, values, input.spread)),
  };
});
process.stdout.write(JSON.stringify(out));
"""


def run_js(payload: dict) -> list:
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", RUN.replace("require('fs')", "(await import('fs'))"), str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_the_browser_paints_what_the_engine_says(geo):
    record = depth_curves.curves(geo, SETTINGS.segment, SETTINGS.events_from, SETTINGS.events_to)
    chance = random.Random("live-js")
    pairs = {(0, 80), (60, 80), (0, 1), (199, 200)}
    while len(pairs) < 30:
        pairs.add(tuple(sorted(chance.sample(range(len(depth_curves.grid())), 2))))
    cases = [(a * depth_curves.GRID_KM, b * depth_curves.GRID_KM) for a, b in sorted(pairs)]
    constant = depth_curves.constants(assess(geo, SETTINGS))
    zone_metrics = [m for m in metrics.CATALOGUE if m.group == "zone"]
    impact0 = assess(geo, SETTINGS)
    rows = [
        {
            "key": m.key,
            "unit": m.unit.name,
            "of": OF.get(m.key) if m.of else None,
            "parts": [name for name, _ in m.parts(impact0)] if m.parts else [],
        }
        for m in zone_metrics
    ]
    said = [{"key": k, "unit": metrics.BY_KEY[k].unit.name, "ranged": metrics.BY_KEY[k].ranged} for k in SAID]
    from dashboard.model import population

    painted = run_js(
        {
            "record": record,
            "constant": constant,
            "cases": cases,
            "rows": rows,
            "said": said,
            "spread": population.LOW_CONFIDENCE_SPREAD,
        }
    )
    for (inner, outer), browser in zip(cases, painted, strict=True):
        impact = assess(geo, replace(SETTINGS, inner_km=inner, outer_km=outer))
        python = depth_curves.figures(record, constant, inner, outer)
        for key, value in python.items():
            assert browser["values"][key] == pytest.approx(value, rel=1e-12, abs=1e-9), (inner, outer, key)
        for m, text in zip(zone_metrics, browser["texts"], strict=True):
            if m.key == "band_area_km2":  # the one figure within 0.5 km² of the engine's, not equal to it
                assert abs(int(text.split()[0].replace(",", "")) - round(impact.band_area_km2)) <= 1
                continue
            assert text == m.text(impact), (inner, outer, m.key)
        for key, text in zip(SAID, browser["said"], strict=True):
            assert text == metrics.BY_KEY[key].aloud(impact), (inner, outer, key)


def test_every_count_out_of_a_total_has_its_total_in_the_curves():
    assert {m.key for m in metrics.CATALOGUE if m.of is not None} <= set(OF)
