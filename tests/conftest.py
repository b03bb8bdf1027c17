"""Shared fixtures: the committed layers and the precomputed geography, loaded once per session."""

from __future__ import annotations

import pytest

from dashboard import layers
from dashboard.geography import load_geography


@pytest.fixture(scope="session")
def layer():
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            cache[name] = layers.load_layer(name)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def geo():
    return load_geography()
