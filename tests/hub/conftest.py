"""Hub test setup: one throwaway PostgreSQL cluster per session, a fresh database per test."""

from __future__ import annotations

import importlib
import importlib.util
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kiosk.hub.devcluster import DevCluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[DevCluster]:
    """A PostgreSQL server for this test session. It never skips: without PostgreSQL the hub
    tests error with the reason (packaging/system-deps.sh test installs it)."""
    with DevCluster.create() as cluster:
        yield cluster


@contextmanager
def _fresh_database(cluster: DevCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    # The test's name in the database's name, so that a leftover or a log line says whose it is.
    test_name = re.sub(r"[^a-z0-9_]+", "_", request.node.name.lower())[:40]
    name = f"t_{test_name}_{secrets.token_hex(4)}"
    url = cluster.create_database(name)
    try:
        yield url
    finally:
        cluster.drop_database(name)


@pytest.fixture
def empty_database(pg_cluster: DevCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new, empty database (no migrations), dropped after the test."""
    with _fresh_database(pg_cluster, request) as url:
        yield url


@pytest.fixture
def hub_database(pg_cluster: DevCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new database with the hub's schema (kiosk.hub.schema's migrations, once
    that module exists), dropped after the test."""
    with _fresh_database(pg_cluster, request) as url:
        if importlib.util.find_spec("kiosk.hub.schema") is not None:
            importlib.import_module("kiosk.hub.schema").apply_migrations(url)
        yield url
