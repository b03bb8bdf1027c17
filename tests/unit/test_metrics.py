"""The metric catalogue: each headline number defined once, read the same way by every surface."""

from __future__ import annotations

import json

import pytest

from dashboard.model import metrics
from dashboard.model.impact import assess, sensitivity
from dashboard.model.scenario import DEFAULT, Scenario
from dashboard.render import maps, report


@pytest.fixture(scope="module")
def impact(geo):
    return assess(geo, Scenario(corridor_km=6.0, post_radius_km=5.0))


def test_keys_are_unique_and_every_label_says_what_it_counts():
    keys = [m.key for m in metrics.CATALOGUE]
    assert len(keys) == len(set(keys)) and all(m.label and m.note for m in metrics.CATALOGUE)
    assert len({m.column for m in metrics.CATALOGUE}) == len(keys)


def test_every_metric_reads_off_an_impact(impact):
    for m in metrics.CATALOGUE:
        value = m.value(impact)
        assert value == value and value >= 0, m.key  # a number, never NaN or negative
        assert m.text(impact) and m.aloud(impact)


def test_an_estimate_carries_its_range_and_a_count_its_total(impact):
    people = metrics.BY_KEY["population_inside"]
    low, high = people.range(impact)
    assert low <= people.value(impact) <= high
    assert "range" in people.aloud(impact) or people.text(impact)
    posts = metrics.BY_KEY["posts_inside"]
    assert posts.text(impact).startswith(f"{int(impact.posts['inside'].sum())} of {len(impact.posts)} inside; ")
    assert metrics.BY_KEY["zone_area_km2"].range(impact) is None


def test_metrics_a_scenario_does_not_have_are_left_out(geo):
    plain = assess(geo, Scenario())
    keys = {m.key for m in metrics.shown(plain)}
    assert "corridor_area_km2" not in keys and "post_rings_area_km2" not in keys
    assert {m.key for m in metrics.CATALOGUE} - keys == {
        "corridor_area_km2",
        "post_rings_area_km2",
        "deaths_in_corridor",
    }


def test_every_curve_has_its_column_in_the_sensitivity_table(geo):
    curve = sensitivity(geo, "west", depths=[0, 40], window=(DEFAULT.events_from, DEFAULT.events_to))
    for m in metrics.WITH_CURVE:
        assert m.key in curve.columns, m.key
        if m.ranged:
            assert {f"{m.key}_low", f"{m.key}_high"} <= set(curve.columns)


def test_every_surface_iterates_the_catalogue(geo, impact):
    """The panel, the CLI's JSON and table, and the alt text each carry every metric the scenario has."""
    shown = metrics.shown(impact)
    tiles = [m.label for m in shown if m.group == "zone"]
    assert [label for label, _, _ in report.headline_metrics(impact, impact)] == tiles
    sentence = report.events_sentence(impact)  # the other group: one sentence under the tiles
    assert all(m.text(impact) in sentence for m in shown if m.group == "events")
    data = json.loads(json.dumps(report.impact_dict(impact)))
    assert all(m.key in data for m in metrics.CATALOGUE)
    assert data["population_inside_low"] <= data["population_inside"] <= data["population_inside_high"]
    table, alt = report.impact_table(impact), maps.alt_text(impact)
    for m in shown:
        said = f"{m.label_for(impact)}: {m.aloud(impact)}"
        assert said in table and (said in alt or m.group == "events")


def test_deltas_are_signed_in_the_unit_of_the_value(geo, impact):
    base = assess(geo, Scenario(inner_km=0.0, outer_km=30.0, corridor_km=6.0, post_radius_km=5.0))
    deltas = {m.key: m.delta(impact, base) for m in metrics.CATALOGUE}
    assert deltas["zone_area_km2"].startswith("+") and deltas["zone_area_km2"].endswith(" km²")
    assert deltas["idlib_share"].endswith(" pts") and deltas["posts_inside"].startswith(("+", "-"))
    assert deltas["population_inside"].startswith("≈+")


def test_people_are_written_to_the_nearest_thousand_and_in_millions_aloud():
    assert metrics.people_estimate(5_651_046) == "≈5,651,000"
    assert metrics.people_with_range(5_730_000, 5_460_000, 5_870_000) == "≈ 5.73 M (range 5.46–5.87 M)"
    assert metrics.people_with_range(1_070_000, 800_000, 1_230_000).endswith("low confidence")
    assert metrics.people_with_range(12_000, 12_100, 12_200) == "≈ 12,000"


def test_a_metric_added_to_the_catalogue_alone_reaches_every_surface(geo, impact):
    """People inside in sub-districts of HNO severity 4–5 was added as one catalogue record, nothing else."""
    severe = metrics.BY_KEY["people_in_severe_need_areas_inside"]
    expected = impact.people_by_severity.get(4, 0.0) + impact.people_by_severity.get(5, 0.0)
    assert severe.value(impact) == pytest.approx(expected)
    assert 0 < severe.value(impact) <= impact.population_inside
    assert severe.label in [label for label, _, _ in report.headline_metrics(impact, impact)]
    assert report.impact_dict(impact)[severe.key] == round(expected)
    assert severe.label_for(impact) in report.impact_table(impact) and severe.label_for(impact) in maps.alt_text(impact)


def test_the_alt_text_names_each_figure_once(impact):
    alt = maps.alt_text(impact)
    assert alt.count("Key towns inside:") == 1 and "Key towns inside, by name: Idlib" in alt


def test_the_panels_counts_build_no_table(geo):
    """The panel's grid counted the settlements, posts and key towns inside by building each table's DataFrame
    (pandas' string columns): ~12 ms of every slider step to a new depth. The counts read the columns."""
    impact = assess(geo, Scenario(outer_km=47))
    report.headline_metrics(impact, impact)
    assert not {"settlements", "posts", "towns"} & set(vars(impact))  # no DataFrame made
    for table in ("settlements", "posts", "towns"):
        frame = getattr(impact, table)
        assert metrics.BY_KEY[f"{table}_inside"].value(impact) == int(frame["inside"].sum()) > 0
    assert f" of {len(impact.posts)} inside; " in metrics.BY_KEY["posts_inside"].text(impact)


MANNED_BY_REPORTS = {"active", "encircled", "active or encircled (date not reported)"}


@pytest.mark.parametrize("day", ["2019-05-01", "2020-03-05", "2020-12-31", "2021-06-01"])
def test_posts_inside_say_how_many_are_manned_and_never_count_an_evacuated_post(geo, day):
    """Issue 26: "12 of 18 inside; 9 manned". Counted here from the posts' table, without the metric's code:
    manned means a report puts its troops there on the date; an evacuated post, or one whose evacuation may
    have ended, is not manned. Every surface reads the same words (panel, presenter, slides, pack, CLI)."""
    import datetime as dt

    impact = assess(geo, Scenario(outer_km=100.0, as_of=dt.date.fromisoformat(day)))
    posts = impact.posts
    inside = posts.loc[posts["inside"]]
    manned = int(inside["status"].isin(MANNED_BY_REPORTS).sum())
    maybe = int(inside["status"].str.contains("or evacuated").sum())
    said = f"{len(inside)} of {len(posts)} inside; {manned} manned" + (f", {maybe} possibly manned" if maybe else "")
    metric = metrics.BY_KEY["posts_inside"]
    assert metric.text(impact) == metric.aloud(impact) == said
    assert metric.in_large_type(impact) == f"{len(inside)} of {len(posts)}"  # presenter: the parts in the label
    assert metric.parts_text(impact, short=True) == f"{manned} manned" + (f", {maybe} possibly" if maybe else "")
    assert (inside["status"] == "evacuated").sum() + manned + maybe + (
        inside["status"] == "not established"
    ).sum() == len(inside)
    values = report.metric_values(impact)
    assert (values["posts_inside"], values["posts_inside_manned"], values["posts_inside_possibly_manned"]) == (
        len(inside),
        manned,
        maybe,
    )
    rows = dict(metric.table_rows(impact))  # the compare page's rows
    assert rows["Observation posts inside, manned"] == manned
    assert f"Observation posts inside: {said}" in report.impact_table(impact)
    as_json = {p["name"]: p["manned"] for p in report.impact_dict(impact)["posts"]}
    assert not any(as_json[n] for n in posts.loc[posts["status"] == "evacuated", "name"])


def test_tell_touqan_is_manned_until_its_withdrawal_ended_and_then_not(geo):
    """Withdrawal began 16 Dec 2020, ended 12–13 Jan 2021: manned on 31 Dec 2020, not after 13 Jan 2021."""
    import datetime as dt

    def manned(day):
        impact = assess(geo, Scenario(outer_km=100.0, as_of=dt.date.fromisoformat(day)))
        return dict(metrics.manned_inside(impact))["manned"], impact.posts.set_index("name").loc["Tell Tuqan"]

    late_december, post = manned("2020-12-31")
    mid_january, after = manned("2021-01-14")
    assert post["inside"] and post["status"] == "encircled" and after["status"] == "evacuated"
    assert (
        "withdrawal began 16 Dec 2020" in post["status_dates"] and "12 Jan 2021 and 13 Jan 2021" in post["status_dates"]
    )
    assert late_december - mid_january >= 1
