"""User layers: every problem named by row/feature and field; hostile bytes never raise anything else."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model.impact import assess
from dashboard.model.scenario import DEFAULT
from dashboard.sources.text import clean_text
from dashboard.sources.uploads import (
    MAX_FEATURES,
    UploadError,
    coverage,
    coverage_sentence,
    read_user_layer,
)

LIMIT = 20_000_000
# Two places near the border, one 47 km away, one in Türkiye and one (Ariha, ~31 km) in the 30–40 km band
CAMPS_CSV = b"""name,latitude,longitude,kind
Atmeh camps,36.31,36.68,camp
Sarmada,36.18,36.72,town
Maarat al-Numan,35.65,36.67,town
Reyhanli,36.27,36.57,town
Ariha,35.81,36.61,town
"""


def geojson(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def point(lon, lat, **props):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def test_csv_with_latitude_longitude_is_read_with_names_and_properties():
    layer = read_user_layer("camps.csv", CAMPS_CSV, LIMIT)
    assert (layer.accepted, layer.read, layer.dropped) == (5, 5, ())
    assert list(layer.features["label"]) == ["Atmeh camps", "Sarmada", "Maarat al-Numan", "Reyhanli", "Ariha"]
    assert layer.features.geometry.iloc[0].coords[0] == (36.68, 36.31)
    assert layer.features["properties"].iloc[0] == {"name": "Atmeh camps", "kind": "camp"}


def test_semicolon_csv_with_short_column_names_and_bom():
    layer = read_user_layer("x.csv", "\ufefflat;lon\n36.3;36.7\n".encode(), LIMIT)
    assert layer.accepted == 1 and layer.features["label"].iloc[0] == "line 2"


def test_bad_rows_are_dropped_and_named_by_line_and_field():
    data = b"name,lat,lon\nok,36.3,36.7\nswap,136.7,36.3\nword,north,36.1\nshort,36.2\nnan,nan,36\n"
    layer = read_user_layer("c.csv", data, LIMIT)
    assert layer.accepted == 1 and layer.read == 5
    assert layer.dropped == (
        "line 3: latitude 136.7 is outside -90 to 90",
        "line 4: latitude 'north' is not a number",
        "line 5: 2 fields where the header has 3",
        "line 6: latitude nan is outside -90 to 90",
    )
    assert "4 dropped" in layer.summary()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"", "the file is empty"),
        ("a.csv", b"name,north,east\nx,1,2\n", "the header needs a latitude column"),
        ("a.csv", b"lat,lon\nx,y\n", "no usable feature"),
        ("a.csv", b"\xff\xfe\x00l", "not UTF-8"),
        ("a.shp", b"lat,lon\n1,2\n", "only .geojson, .json and .csv"),
        ("a.geojson", b"{nope", "not valid JSON (line 1, column 2)"),
        ("a.geojson", b"[1, 2]", 'must be an object with a "type"'),
        ("a.geojson", b'{"type": "Topology"}', "'Topology' is not a FeatureCollection"),
        ("a.geojson", b'{"type": "FeatureCollection", "features": []}', "it has no features"),
    ],
)
def test_unusable_files_are_refused_whole_with_the_reason(name, data, message):
    with pytest.raises(UploadError) as err:
        read_user_layer(name, data, LIMIT)
    assert message in str(err.value)


def test_size_limit_is_the_configured_one():
    with pytest.raises(UploadError, match="the limit is 1 MB"):
        read_user_layer("big.csv", b"lat,lon\n" + b"36.0,36.0\n" * 200_000, 1_000_000)


def test_feature_count_is_capped():
    with pytest.raises(UploadError, match="limit is 5,000"):
        read_user_layer("many.geojson", geojson([point(36, 36)] * (MAX_FEATURES + 1)), LIMIT)


def test_geojson_features_are_checked_one_by_one():
    data = geojson(
        [
            point(36.7, 36.3, name="Atmeh"),
            point(236.7, 36.3, name="bad lon"),
            {"type": "Feature", "properties": {}, "geometry": {"type": "GeometryCollection", "geometries": []}},
            {"type": "Feature", "properties": None, "geometry": {"type": "Point", "coordinates": ["36", 36]}},
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[36, 36], [37, 36], [36.5, 37], [36, 36]]]},
            },
            "not a feature",
        ]
    )
    layer = read_user_layer("mixed.geojson", data, LIMIT)
    assert layer.accepted == 2 and layer.read == 6
    assert list(layer.features["label"]) == ["Atmeh", "feature 5"]
    assert layer.dropped == (
        "feature 2, geometry: longitude 236.7 is outside -180 to 180",
        "feature 3, geometry: geometry type 'GeometryCollection' is not one of Point, MultiPoint, LineString, "
        "MultiLineString, Polygon, MultiPolygon",
        "feature 4, geometry: longitude '36' is not a number",
        "feature 6, geometry: not a GeoJSON Feature",
    )


def test_a_bare_geometry_and_a_bow_tie_polygon_are_accepted_the_bow_tie_repaired():
    bow_tie = {"type": "Polygon", "coordinates": [[[36, 36], [37, 37], [37, 36], [36, 37], [36, 36]]]}
    layer = read_user_layer("g.json", json.dumps(bow_tie).encode(), LIMIT)
    assert layer.accepted == 1 and layer.features.geometry.iloc[0].is_valid


def test_features_far_from_syria_are_named_in_a_note():
    layer = read_user_layer("swapped.csv", b"name,lat,lon\nAtmeh,36.68,36.31\nswapped,2.0,36.3\n", LIMIT)
    assert layer.accepted == 2 and "1 feature(s) lie far from Syria" in layer.notes[0] and "swapped" in layer.notes[0]


def test_names_are_plain_text_only():
    hostile = '<img src=x onerror="alert(1)">\u202e\x00\nline'
    layer = read_user_layer("x.geojson", geojson([point(36.7, 36.3, name=hostile)]), LIMIT)
    label = layer.features["label"].iloc[0]
    assert label == '<img src=x onerror="alert(1)"> line'  # kept as text; the UI never renders it as HTML
    assert clean_text("a" * 500).endswith("…") and len(clean_text("a" * 500)) == 120
    assert read_user_layer("../../etc/passwd.csv", CAMPS_CSV, LIMIT).filename == "passwd.csv"


def test_coverage_counts_features_in_the_band_and_zone(geo):
    layer = read_user_layer("camps.csv", CAMPS_CSV, LIMIT)
    impact = assess(geo, DEFAULT)
    table = coverage(geo, impact, layer)
    by_name = table.set_index("label")
    assert bool(by_name.loc["Atmeh camps", "in_zone"]) and not by_name.loc["Atmeh camps", "in_band"]
    assert not by_name.loc["Reyhanli", "in_zone"] and not by_name.loc["Reyhanli", "in_syria"]  # zone is in Syria
    assert (
        by_name.loc["Maarat al-Numan", "distance_to_border_km"] > 40 and not by_name.loc["Maarat al-Numan", "in_zone"]
    )
    assert coverage_sentence(table, layer, corridor_on=False) == (
        "Your layer (camps.csv): 1 of 5 features inside the band, 3 of 5 inside the zone."
    )


@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.geojson", "a.json", "a.txt"]))
def test_any_bytes_give_a_layer_or_an_upload_error(data, name):
    try:
        layer = read_user_layer(name, data, LIMIT)
    except UploadError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)
    else:
        assert layer.accepted >= 1


JSONISH = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)
GEOMETRY = st.fixed_dictionaries(
    {"type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "Bogus"]), "coordinates": JSONISH}
)


@settings(max_examples=30)
@given(
    st.lists(
        st.fixed_dictionaries({"type": st.just("Feature"), "geometry": GEOMETRY | JSONISH, "properties": JSONISH}),
        max_size=5,
    )
)
def test_structured_hostile_geojson_never_raises_anything_else(features):
    try:
        layer = read_user_layer("f.geojson", geojson(features), LIMIT)
    except UploadError:
        return
    assert layer.accepted + len(layer.dropped) == len(features)
    assert all(g.is_valid for g in layer.features.geometry)


def test_a_coordinate_too_large_for_a_float_drops_its_feature_with_the_reason():
    def point(name, lon, lat):
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}

    doc = {"type": "FeatureCollection", "features": [point("far", 10**400, 36), point("ok", 36.6, 36.3)]}
    layer = read_user_layer("big.geojson", json.dumps(doc).encode(), 1_000_000)
    assert layer.accepted == 1 and len(layer.dropped) == 1
    assert "longitude" in layer.dropped[0] and "outside -180 to 180" in layer.dropped[0]


def test_indexed_coverage_matches_plain_intersection_feature_by_feature(geo):
    """A scenario's coverage uses the upload placed once (reprojected, indexed, distances measured):
    it must be what intersecting every feature with the zone, band and corridor gives."""
    from dataclasses import replace

    import numpy as np
    import shapely

    from bench.harness import many_polygons_geojson
    from dashboard.sources.uploads import place

    layer = read_user_layer("sites.geojson", many_polygons_geojson(count=300), LIMIT)
    placed = place(geo, layer, "west")
    for scenario in (DEFAULT, replace(DEFAULT, inner_km=5, outer_km=70, corridor_km=6)):
        impact = assess(geo, scenario)
        table = coverage(geo, impact, layer, placed)
        ground = [geo.to_ground(g) for g in layer.features.geometry.values]  # one at a time, the slow way
        for column, area in (("in_zone", impact.zone), ("in_band", impact.band), ("in_corridor", impact.corridor)):
            drawn = column != "in_corridor" or scenario.corridor_km > 0  # no corridor: nothing is in it
            expected = [drawn and bool(shapely.intersects(g, area)) for g in ground]
            assert table[column].tolist() == expected, column
        border = geo.borders["west"]
        assert np.allclose(table["distance_to_border_km"], [round(g.distance(border) / 1000, 1) for g in ground])
        assert table.equals(coverage(geo, impact, layer))  # the same without the placed layer
