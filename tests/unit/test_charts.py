"""Chart builders, tested through their Vega-Lite specs (and one rendered picture)."""

import json

import pytest

from dashboard.render import charts
from dashboard.sources import seeds


@pytest.fixture(scope="module")
def data():
    return seeds.load_registry(), seeds.load_table(seeds.EXTERNAL), seeds.load_table(seeds.TIMELINE)


def layers_of(spec):
    return spec.get("layer", [spec])


def all_tooltips(spec):
    out = []
    for layer in layers_of(spec):
        tips = layer.get("encoding", {}).get("tooltip", [])
        out.append([t["field"] for t in (tips if isinstance(tips, list) else [tips]) if "field" in t])
    return out


def values(spec, layer):
    return spec["datasets"][layer["data"]["name"]]


def check_frame(spec):
    assert spec["title"]["text"]
    assert spec["title"]["subtitle"][0].startswith("Sources: ")


def test_refugee_chart_marks_the_texts_nearly_4_million(data):
    registry, external, _ = data
    spec = charts.syrians_in_turkiye(external, registry).to_dict()
    check_frame(spec)
    layers = layers_of(spec)
    series = values(spec, layers[0])
    assert [r["id"] for r in series][0] == "REF-2012a" and len(series) == 13
    seed = values(spec, layers[2])[0]
    assert seed["value"] == 4_000_000 and seed["quote"] == "nearly 4 million refugees"
    assert "all nationalities" in seed["note"]
    assert "quote" in all_tooltips(spec)[3]
    assert all("source" in tips for tips in all_tooltips(spec)[:2])
    assert "millions" in layers[0]["encoding"]["y"]["title"]


def test_timeline_highlights_events_the_texts_name(data):
    registry, _, timeline = data
    spec = charts.escalation_timeline(timeline, registry).to_dict()
    check_frame(spec)
    rows = values(spec, spec)
    named = {r["date"][:10] for r in rows if r["named"]}
    assert {"2020-03-05", "2020-02-03", "2015-11-24", "2018-09-17", "2011-03-15", "2023-04-03"} <= named
    assert "2019-10-09" not in named  # Peace Spring: external record only
    assert all(r["date"][:4] >= "2011" and r["date"][:4] <= "2023" for r in rows)
    assert {"quote", "source"} <= set(all_tooltips(spec)[0])


def test_displacement_marks_deadline_and_agreement(data):
    _, external, _ = data
    spec = charts.nw_displacement(external).to_dict()
    check_frame(spec)
    layers = layers_of(spec)
    points = values(spec, layers[0])
    assert points[0]["date"].startswith("2020-01-01") and points[-1]["value"] == 961000
    marks = [r["label"] for r in values(spec, layers[1])]
    assert marks == ["5 Feb deadline", "5 Mar protocol"]
    assert "source" in all_tooltips(spec)[0]


def test_turkish_deaths_link_the_texts_eight_lives(data):
    registry, external, _ = data
    spec = charts.turkish_deaths(external, registry).to_dict()
    check_frame(spec)
    bars = values(spec, spec)
    linked = [b for b in bars if b["in_texts"] == "named in the source texts"]
    assert len(linked) == 1 and linked[0]["value"] == 8 and "eight Turkish lives" in linked[0]["quote"]
    assert sum(b["value"] for b in bars) == 8 + 5 + 2 + 33
    assert spec["encoding"]["y"]["title"].endswith("(people)")


def test_palette_is_colour_blind_safe(data):
    registry, external, _ = data
    spec = charts.turkish_deaths(external, registry).to_dict()
    assert spec["encoding"]["color"]["scale"]["range"] == [charts.SEED, charts.REFERENCE]
    assert {charts.SEED, charts.REFERENCE, charts.CONTEXT} <= {"#D55E00", "#0072B2", "#999999"}


def test_a_chart_renders_offline_to_png(data):
    vlc = pytest.importorskip("vl_convert")
    registry, external, _ = data
    spec = json.loads(json.dumps(charts.turkish_deaths(external, registry).to_dict()).replace('"container"', "600"))
    png = vlc.vegalite_to_png(spec, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_the_people_curve_carries_its_range_as_a_band(geo):
    from dashboard.model.impact import sensitivity

    curve = sensitivity(geo, "west", depths=[0, 20, 40, 60])
    assert (curve["population_inside_low"] <= curve["population_inside"]).all()
    assert (curve["population_inside"] <= curve["population_inside_high"]).all()
    spec = charts.sensitivity_chart(curve, 30, 40, "population_inside").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "area", "line"]
    area = charts.sensitivity_chart(curve, 30, 40, "zone_area_km2").to_dict()
    assert len(area["layer"]) == 2  # a measured area has no range to draw


def test_a_band_swapped_into_a_kept_curve_draws_what_a_new_chart_draws(geo):
    """A slider step reuses the curve's spec and swaps the shaded band (``with_band``): the result must be
    the chart that building it again gives, and the kept spec must not change."""
    from dashboard.model.impact import sensitivity

    curve = sensitivity(geo, "west", depths=[0, 20, 40, 60])
    kept = charts.sensitivity_chart(curve, 0, 0, "population_inside").to_dict()
    before = json.dumps(kept, sort_keys=True)
    swapped = charts.with_band(kept, 25, 55)
    built = charts.sensitivity_chart(curve, 25, 55, "population_inside").to_dict()
    assert json.dumps(kept, sort_keys=True) == before

    def drawn(spec):
        """Each layer with its data inline, whether named in ``datasets`` or given as values."""
        data = spec.get("datasets", {})
        return [
            {**layer, "data": data[layer["data"]["name"]] if "name" in layer["data"] else layer["data"]["values"]}
            for layer in spec["layer"]
        ]

    assert drawn(swapped) == drawn(built)
    assert {k: v for k, v in swapped.items() if k not in ("layer", "datasets")} == {
        k: v for k, v in built.items() if k not in ("layer", "datasets")
    }
    assert len(swapped["datasets"]) == 1  # the kept spec's own band is not sent along


def test_date_labels_sit_inside_the_plot_and_leave_the_title_visible(data):
    """The displacement chart's '5 Feb deadline' labels were pushed 150 px up, over its title, which then
    did not show on the Figures page; they are placed at the top of the plot instead."""
    _, external, _ = data
    spec = charts.nw_displacement(external).to_dict()
    texts = [
        layer
        for layer in layers_of(spec)
        if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == "text"
    ]
    assert texts
    for layer in texts:
        assert abs(layer["mark"].get("dy", 0)) <= 20
        assert layer["encoding"]["y"] == {"value": 4}
