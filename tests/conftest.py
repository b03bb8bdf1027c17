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


def pytest_collection_modifyitems(config, items):
    """The browser tests first: they are the slowest files (up to three minutes each), so with two workers
    (pytest-xdist, ``--dist loadfile --no-loadscope-reorder``) the many quick files fill in beside them and
    both workers end near together. (xdist's own order, the files with most tests first, put them last.)"""
    items.sort(key=lambda item: 0 if item.nodeid.startswith("tests/e2e/") else 1)


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


@pytest.fixture(scope="module")
def pg_cluster():
    """A throwaway PostgreSQL cluster of the module's own, which its fault tests stop and restart (Debian's
    postgresql package; as root it runs as the postgres user). Port: $NWSYRIA_TEST_PG_PORT, else 55433."""
    import os

    from bench.team import pg_bindir, postgres_cluster

    try:
        pg_bindir()
    except FileNotFoundError as exc:
        pytest.skip(f"{exc}: the PostgreSQL fault tests need a server to stop and restart")
    with postgres_cluster(int(os.environ.get("NWSYRIA_TEST_PG_PORT", "55433"))) as cluster:
        yield cluster
