"""Fixtures shared by the reports tests that run the app in several processes."""

import shutil

import pytest

from reports.tests.processes import MigratedDatabase, Redis, Site


@pytest.fixture(scope="session", autouse=True)
def _migrated_site_database():
    """The database each Site copies is migrated once per test process, and removed at the end."""
    yield
    MigratedDatabase.forget()


@pytest.fixture
def redis(tmp_path):
    """A throwaway Redis on a free loopback port, stopped afterwards (the shared cache of production)."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (scripts/install-system-packages.sh installs it)")
    server = Redis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sites():
    """sites(folder, **kwargs) -> a Site (the app under gunicorn in other processes), stopped afterwards."""
    started = []

    def make(folder, **kwargs):
        site = Site(folder, **kwargs)
        started.append(site)
        return site

    yield make
    for site in started:
        site.stop()
