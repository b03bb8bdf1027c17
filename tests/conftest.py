"""Shared fixtures: the committed layers and the precomputed geography, loaded once per session."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from dashboard.model.geography import load_geography
from dashboard.sources import layers

# Timing is not what these property tests check: this 2-core virtual machine stalls at random, so no
# per-example deadline and no "too slow" health check (speed lives in `make bench`).
settings.register_profile(
    "project",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    max_examples=50,
)
settings.load_profile("project")


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
