"""How the app talks to its database, as production runs it."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_runs_the_apps_queries_without_jit_compilation():
    """The figures' aggregates cost enough for PostgreSQL to JIT-compile them, which took longer than
    running them (secamb_journey/settings/base.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (scripts/with-services.sh make test-postgres)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
