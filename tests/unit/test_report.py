"""The plain serialisations of an Impact: the JSON the CLI prints, the zones GeoJSON, the text table."""

from __future__ import annotations

import json

import pytest
import shapely

from dashboard.model import metrics
from dashboard.model.impact import assess
from dashboard.model.scenario import Scenario
from dashboard.render import report


@pytest.fixture(scope="module")
def corridor(geo):
    return assess(geo, Scenario(corridor_km=6.0))


def test_the_json_is_plain_and_round_trips(corridor):
    data = report.impact_dict(corridor)
    assert json.loads(json.dumps(data, allow_nan=False)) == data  # no NaN, no numpy types
    assert data["scenario"] == corridor.scenario.to_dict()
    assert data["zone_area_km2"] == round(corridor.zone_area_km2, 1)
    assert data["idlib_share"] == round(corridor.idlib_share, 4)
    assert data["population_in_band_low"] == round(corridor.population_in_band_low)
    subs = data["subdistricts"]
    assert [s["people_zone"] for s in subs] == sorted((s["people_zone"] for s in subs), reverse=True)


def test_the_zones_geojson_is_lon_lat_with_one_feature_per_area(geo, corridor):
    collection = report.zones_geojson(geo, corridor)
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    assert kinds == ["band", "zone", "corridor"]  # no post radii: the radius is 0 (off)
    for feature in collection["features"]:
        shape = shapely.geometry.shape(feature["geometry"])
        lon0, lat0, lon1, lat1 = shape.bounds
        assert 35 < lon0 < lon1 < 43 and 32 < lat0 < lat1 < 38  # degrees, not metres
        assert feature["properties"]["corridor_km"] == 6.0
    zone = next(f for f in collection["features"] if f["properties"]["kind"] == "zone")
    assert zone["properties"]["area_km2"] == round(corridor.zone_area_km2, 1)


def test_the_table_says_each_metric_then_the_places(corridor):
    table = report.impact_table(corridor)
    assert table.startswith(f"Scenario: {corridor.scenario.label()}")
    assert "M4 corridor area" in table and "Area around manned posts" not in table
    for m in metrics.shown(corridor):
        assert m.label_for(corridor) in table
    assert "Observation posts on 2020-03-05:" in table and table.rstrip().endswith(report.METHOD_NOTE)


def test_who_governs_is_largest_first_and_the_shares_add_up(corridor):
    rows = report.control_rows(corridor)
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    assert sum(r[2] for r in rows) == pytest.approx(1.0, abs=0.01)
    assert report.severity_text(corridor).startswith("severity ")


def test_the_panel_adds_the_uploaded_layer_after_the_catalogue(geo, corridor):
    import geopandas as gpd

    user = gpd.GeoDataFrame({"in_band": [True, False], "in_zone": [True, True]}, geometry=[None, None])
    base = gpd.GeoDataFrame({"in_band": [False, False], "in_zone": [True, False]}, geometry=[None, None])
    rows = report.headline_metrics(corridor, corridor, user, base)
    assert rows[-2:] == [("Your layer in the band", "1 of 2", "+1"), ("Your layer in the zone", "2 of 2", "+1")]
