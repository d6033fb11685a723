"""Persona fixtures shared by every app's tests: the people who use the tracker, and an outsider."""

import os
import uuid

import pytest
from django.conf import settings as django_settings

from actions.tests.factories import UserFactory
from secamb_journey.roles import Role


def pytest_collection_modifyitems(config, items):
    """Skip tests whose servers are not here: a live Celery worker, Azurite, or PostgreSQL. Refuse a transactional
    test without serialized_rollback: its flush at the end re-creates the content types but not the roles
    (migrations' data), so the next transactional test fails to set up, in whatever order xdist runs them."""
    from django.conf import settings

    unserialized = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db")) is not None
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if unserialized:
        raise pytest.UsageError(f"transactional tests need serialized_rollback=True: {unserialized}")

    live_broker = os.environ.get("CELERY_LIVE_BROKER_URL")
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    for item in items:
        if "celery_worker" in item.keywords and not live_broker:
            item.add_marker(pytest.mark.skip(reason="needs CELERY_LIVE_BROKER_URL (scripts/with-services.sh sets it)"))
        if "azurite" in item.keywords and not os.environ.get("AZURITE_CONNECTION_STRING"):
            item.add_marker(
                pytest.mark.skip(reason="needs AZURITE_CONNECTION_STRING (scripts/with-services.sh sets it)")
            )
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL"))


# The database the settings name, before a test database takes its place (see django_db_setup).
CONFIGURED_DATABASE = django_settings.DATABASES["default"]["NAME"]
MIGRATED_DATABASE = pytest.StashKey[dict[str, str]]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test databases, and for the browser tests a copy of the test database as its
    migrations left it (their data: the roles, the regulations), taken before any test changes it.

    The browser tests keep their demo worlds outside pytest-django's test cases (a server thread must see
    them), and start each world from this copy (secamb_journey/tests/browser/conftest.py, Worlds).
    pytest-django makes the test database only if a collected test asks for its `db` (or
    `transactional_db`, `live_server`) fixture: if none did, it is made here, and removed after.
    """
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.test.utils import setup_databases, teardown_databases

    if not any("world" in item.fixturenames for item in request.session.items):
        yield
        return
    made = None
    with django_db_blocker.unblock():
        if connections[DEFAULT_DB_ALIAS].settings_dict["NAME"] == CONFIGURED_DATABASE:
            made = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
        assert connections[DEFAULT_DB_ALIAS].settings_dict["NAME"] != CONFIGURED_DATABASE
        request.config.stash[MIGRATED_DATABASE] = {
            DEFAULT_DB_ALIAS: connections[DEFAULT_DB_ALIAS].creation.serialize_db_to_string()
        }
    yield
    if made is not None:
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)


@pytest.fixture(scope="session")
def migrated_database(django_db_setup, request) -> dict[str, str]:
    """The copy django_db_setup took: {database alias: its rows, serialized}."""
    return request.config.stash[MIGRATED_DATABASE]


@pytest.fixture(scope="session", autouse=True)
def _storage_ready():
    """The Azure container or S3 bucket, made if missing (STORAGE_BACKEND=azure or s3), as
    `manage.py ensure_storage` makes it before a deployment's first request."""
    from secamb_journey.stored_files import storage_ensure

    storage_ensure()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test's stored files on their own: a folder of its own, or on object storage a prefix of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    default = settings.STORAGES["default"]
    if "OPTIONS" in default:
        location = f"tests/{tmp_path.name}-{uuid.uuid4().hex[:8]}"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": location}},
        }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _generation_triggers_at_each_statement(request):
    """PostgreSQL runs the generation triggers at commit (secamb_journey.generations), and a test in a
    transaction that is rolled back never commits: there they run at each statement instead, so a test
    sees its own write move the generation. Tests that commit (transactional_db) keep them deferred."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    if marker is None and "db" not in request.fixturenames:
        return
    from django.db import connection

    request.getfixturevalue("db")
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _person(name: str, first_name: str, last_name: str, *roles: Role, username: str = ""):
    """A fixture `name`: a signed-up person with these names and roles (username: `name` unless given)."""

    @pytest.fixture(name=name)
    def person(db):
        return UserFactory(username=username or name, first_name=first_name, last_name=last_name, roles=list(roles))

    return person


owner = _person("owner", "Priya", "Shah", Role.OWNER)
other_owner = _person("other_owner", "Tom", "Hughes", Role.OWNER, username="owner2")
lead = _person("lead", "Jo", "Clarke", Role.LEAD)
other_lead = _person("other_lead", "Ruth", "Okafor", Role.LEAD, username="lead2")
board = _person("board", "Alan", "Reed", Role.BOARD)
comms = _person("comms", "Sasha", "Patel", Role.COMMS)
# Signed in, but holding no role: may see nothing internal.
outsider = _person("outsider", "No", "Role")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
