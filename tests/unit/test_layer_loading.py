"""The one loader of the committed layers: every layer reads as EPSG:4326, and a missing or broken file is
named with the way to rebuild it, never a traceback."""

from __future__ import annotations

import os
import shutil

import pytest

from dashboard.sources import layers


def test_every_layer_loads_with_ids_in_lon_lat():
    for name in layers.LAYERS:
        frame = layers.load_layer(name)
        assert len(frame) and frame.crs.to_epsg() == 4326 and frame["id"].is_unique, name


def test_an_unknown_layer_is_refused_with_the_known_ones():
    with pytest.raises(KeyError, match="known layers: countries"):
        layers.layer_path("roads_2030")


def test_a_missing_file_names_itself_and_the_fix(tmp_path):
    with pytest.raises(layers.GeodataError) as err:
        layers.load_layer("posts", tmp_path)
    assert str(tmp_path / "posts.geojson") in str(err.value) and "make geodata" in str(err.value)


@pytest.mark.parametrize("text", ["", "{not json", '{"type": "FeatureCollection", "features": []}'])
def test_a_broken_file_names_itself_and_the_fix(tmp_path, text):
    (tmp_path / "posts.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(layers.GeodataError, match="posts.geojson.*make geodata"):
        layers.load_layer("posts", tmp_path)


def test_the_cache_key_follows_the_newest_layer(tmp_path):
    for name in layers.LAYERS:
        shutil.copy2(layers.layer_path(name), tmp_path / f"{name}.geojson")
    before = layers.layers_mtime(tmp_path)
    path = tmp_path / "rivers.geojson"
    os.utime(path, (before + 60, before + 60))
    assert layers.layers_mtime(tmp_path) == pytest.approx(before + 60)
