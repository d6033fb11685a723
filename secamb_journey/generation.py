"""Reading a single-row "generation" table: the token that keys a cache, moved on by every change.

Two caches are keyed so (reports.public_cache: published content; actions.figures_cache: staff figures),
and each request reads its generation once, often as its only query: this reader is as cheap as a
query can be. Plumbing, with no app's models: the caller passes its model.
"""

from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from secamb_journey import generation_watch

_GENERATION_SQL: dict[type, str] = {}
_UNREAD = object()


def _generation_on_open_connection(connection, sql: str):
    """The generation's row read straight from the open persistent connection, or _UNREAD.

    With CONN_HEALTH_CHECKS, Django's first query of a request on a reused connection is preceded by
    a `SELECT 1` round trip to check it; on the fast path the generation's SELECT is the only query,
    so it is its own check: if it fails the connection is closed and the caller reads again through
    Django, which opens a fresh one. Only when queries are not being logged (DEBUG, the test suite's
    query counts), so every query a test counts still goes through Django's cursor.
    """
    raw = connection.connection
    if raw is None or connection.queries_logged or connection.in_atomic_block:
        return _UNREAD
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except Exception:  # noqa: BLE001 -- any driver's error: the connection is unusable, so start afresh
        connection.close()
        return _UNREAD
    connection.health_check_done = True
    return row


def generation_row(model) -> tuple[str, datetime | None] | None:
    """(token, changed_at) of a single-row generation table (`model`: reports' PublicContentGeneration,
    or actions.models.FiguresGeneration for actions.figures_cache), or None if the row is missing: one
    primary-key SELECT, its SQL compiled once per process (compiling the query each time cost more
    than running it, on the fast path)."""
    # The connection itself, not django.db.connection: each attribute read through that proxy costs a
    # look-up of the request's context, and on the fast path those look-ups cost more than the query.
    connection = connections[DEFAULT_DB_ALIAS]
    watched = generation_watch.watched_row(model, connection)  # PostgreSQL: no round trip under a lease
    if watched is not None:
        return _normalised(model, watched[0])
    sql = _GENERATION_SQL.get(model)
    if sql is None:
        table = connection.ops.quote_name(model._meta.db_table)
        sql = _GENERATION_SQL[model] = f"SELECT token, changed_at FROM {table} WHERE id = 1"  # noqa: S608 -- our own table name
    row = _generation_on_open_connection(connection, sql)
    if row is _UNREAD:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
    return _normalised(model, row)


_LAST_READ: dict = {}  # model -> (the row as read, as returned): the row changes rarely, parsing it costs


def _normalised(model, row) -> tuple[str, datetime | None] | None:
    last = _LAST_READ.get(model)
    if last is not None and last[0] == row:
        return last[1]
    result = _parsed(row)
    _LAST_READ[model] = (row, result)
    return result


def _parsed(row) -> tuple[str, datetime | None] | None:
    if row is None:
        return None
    token, changed_at = row
    if isinstance(changed_at, str):  # SQLite hands back text; PostgreSQL a datetime
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, UTC)
    return token, changed_at
