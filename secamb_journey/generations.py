"""The one cache mechanism (docs/adr/0007-one-cache-mechanism.md): a generation per cached scope.

Each scope (the public pages; the staff pages' figures) has one single-row generation table whose token
database triggers move on every write to a table of the scope, whatever the path (the services, the
admin, .update(), bulk_create, raw SQL, a history revert, any process). The tables are derived from the
models: every model of CONTENT_APPS and their many-to-many tables, minus EXCLUDED (each with its
reason); secamb_journey/tests/test_generations.py fails when a project model is neither covered nor
excluded. On PostgreSQL the triggers are DEFERRABLE INITIALLY DEFERRED constraint triggers: they run at
commit, so a long transaction (a 20,000-row import) takes the generation row's lock only for the instant
of its commit and queues no other writer (issue 28, finding 2). SQLite has one writer: plain triggers.

Each process reads a generation at most once a second (`current`), so a change is seen by every process
within a second, with or without Redis. Cached values are keyed by their generation, so an entry never
changes under its key, and each process keeps a copy of what it read (the "local" cache) in front of
the shared one ("default": Django's RedisCache, or LocMemCache without Redis). Redis down is a miss.
"""

import logging
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MEMO_SECONDS = 1.0

# The apps whose data a cached page may read (secamb_journey: the trust profile every page shows).
CONTENT_APPS = ("secamb_journey", "pillars", "themes", "actions", "measures", "reports")

# Project models no cached page reads. Historical models (django-simple-history) are left out by rule: a
# revert writes the live row, which is covered.
EXCLUDED = {
    "actions.FiguresGeneration": "a generation itself",
    "reports.PublicContentGeneration": "a generation itself",
    "actions.PendingUpload": "an upload before its confirmation, which writes covered tables",
    "actions.ChangeNotice": "the outbox of change e-mails",
    "reports.NoticeSent": "the ledger of e-mails sent",
    "reports.ReminderRun": "the ledger of reminder runs",
    "reports.BoardPack": "generated files, listed uncached",
    "accounts.ProviderIdentity": "sign-in plumbing",
    "secamb_journey.EnrolmentCode": "sign-in plumbing",
}


@dataclass(frozen=True)
class Scope:
    generation: str  # the single-row model's label
    # Tables of other apps, with the columns whose update counts (None: every write).
    extra: dict = field(default_factory=dict)


SCOPES = {
    "public": Scope("reports.PublicContentGeneration"),
    # Staff pages name people (owners in lists, the register's owner filter: its users with a role).
    # A sign-in writes last_login: not one of these columns, so it does not move the generation.
    "figures": Scope(
        "actions.FiguresGeneration",
        extra={"auth_user": ("first_name", "last_name", "is_active"), "auth_user_groups": None},
    ),
}


def is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


def covered_models():
    """Every model (many-to-many tables included) of CONTENT_APPS a cached page may read."""
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not is_history(model) and model._meta.label not in EXCLUDED:
                yield model


def tables(scope: Scope) -> dict:
    """{table: the columns whose update counts, or None for every write} of `scope`."""
    return {**{m._meta.db_table: None for m in covered_models()}, **scope.extra}


def generation_table(scope: Scope) -> str:
    return apps.get_model(scope.generation)._meta.db_table


# --- Triggers ---------------------------------------------------------------------------------------------

_SQLITE_MOVE = (
    "INSERT INTO {gen} (id, token, changed_at) VALUES (1, lower(hex(randomblob(16))), "
    "strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET token = excluded.token, "
    "changed_at = excluded.changed_at;"
)
# Once per statement, whatever its number of rows: deferred, every event runs in the COMMIT statement, so
# once per transaction (a transaction-local setting remembers the statement's time).
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION generation_move() RETURNS trigger AS $$
BEGIN
    IF current_setting('secamb.moved_' || TG_ARGV[0], true) = statement_timestamp()::text THEN RETURN NULL; END IF;
    PERFORM set_config('secamb.moved_' || TG_ARGV[0], statement_timestamp()::text, true);
    EXECUTE format('INSERT INTO %I (id, token, changed_at) VALUES (1, md5(random()::text || clock_timestamp()), '
                   'clock_timestamp()) ON CONFLICT (id) DO UPDATE SET token = excluded.token, '
                   'changed_at = excluded.changed_at', TG_ARGV[0]);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _events(columns) -> list[tuple[str, str]]:
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return [("insert", "INSERT"), ("update", update), ("delete", "DELETE")]


def expected_triggers(vendor: str) -> dict:
    """{(trigger name, table): its CREATE statement} for every scope."""
    triggers = {}
    for name, scope in SCOPES.items():
        gen = generation_table(scope)
        for table, columns in tables(scope).items():
            if vendor == "postgresql":
                events = " OR ".join(sql for _, sql in _events(columns))
                triggers[(f"gen_{name}", table)] = (
                    f"CREATE CONSTRAINT TRIGGER gen_{name} AFTER {events} ON {table} DEFERRABLE INITIALLY DEFERRED "
                    f"FOR EACH ROW EXECUTE FUNCTION generation_move('{gen}');"
                )
            else:
                for short, sql in _events(columns):
                    trigger = f"gen_{name}_{table}_{short}"
                    move = _SQLITE_MOVE.format(gen=gen)
                    triggers[(trigger, table)] = f"CREATE TRIGGER {trigger} AFTER {sql} ON {table} BEGIN {move} END;"
    return triggers


def present_triggers(connection) -> set:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gen_%'")
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'gen\\_%'")
        return {tuple(row) for row in cursor.fetchall()}


def ensure_triggers(connection) -> None:
    """Make the missing triggers and drop those no longer expected. After every migrate (apps.py): on
    SQLite a migration that alters a table rebuilds it without its triggers."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"No generation triggers for {connection.vendor}: cached pages would go stale")
    expected, present = expected_triggers(connection.vendor), present_triggers(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
        for name, table in present - set(expected):
            cursor.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if connection.vendor == "postgresql" else ""))
        for key in set(expected) - present:
            cursor.execute(expected[key])


# --- Reading a generation, and the cache keyed by it -----------------------------------------------------

_memo: dict[str, tuple[float, str | None]] = {}  # {name: (when it was read, what was read)}


def _remembered(name: str, read):
    """`read()`, remembered by this process for at most a second under `name`; always afresh inside a
    transaction, which may have moved a generation itself."""
    in_transaction = connections[DEFAULT_DB_ALIAS].in_atomic_block
    remembered = _memo.get(name)
    if remembered is not None and not in_transaction and time.monotonic() - remembered[0] < MEMO_SECONDS:
        return remembered[1]
    started = time.monotonic()  # before the read: the memo never outlives what it saw by more than a second
    value = read()
    if not in_transaction:
        _memo[name] = (started, value)
    return value


def current(name: str) -> str | None:
    """The token of scope `name` (None without its row: then nothing is cached), read at most once a
    second by this process."""
    model = apps.get_model(SCOPES[name].generation)
    return _remembered(name, lambda: model.objects.filter(pk=1).values_list("token", flat=True).first())


def today() -> str:
    """Today's date in the site's time zone as `YYYYMMDD`, read as a generation is: the cached pages that
    say what is overdue are kept under it too, and a clock read and a time zone conversion per request cost
    more than the rest of a cached page's look-up."""
    return _remembered("today", lambda: f"{timezone.localdate():%Y%m%d}")


def forget() -> None:
    """Read every generation afresh at the next request (after this process's own writes)."""
    _memo.clear()


class ForgetAfterWritesMiddleware:
    """A person's own change shows on the page their form redirects to, when that request comes to this
    process (in another, within the second every process is bound by)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            forget()
        return response


LOCAL_SECONDS = 30
_last_logged = 0.0


def _shared(operation: str, *args):
    """The shared cache, or a miss when it is down (logged once a minute at most)."""
    global _last_logged
    try:
        return getattr(caches["default"], operation)(*args)
    except RedisError as error:
        if time.monotonic() - _last_logged >= 60:
            _last_logged = time.monotonic()
            logger.warning("Cache unavailable (%s failed: %s); serving without it", operation, error)
        return None


def cache_get(key: str):
    value = caches["local"].get(key)
    if value is None:
        value = _shared("get", key)
        if value is not None:
            caches["local"].set(key, value, LOCAL_SECONDS)
    return value


def cache_set(key: str, value, seconds: int) -> None:
    """Kept `seconds` in all: the shared copy LOCAL_SECONDS less, as this process keeps its own that long."""
    _shared("set", key, value, max(1, seconds - LOCAL_SECONDS))
    caches["local"].set(key, value, LOCAL_SECONDS)


def cache_clear() -> None:
    """Empty both caches (benchmarks and tests that count what computing costs)."""
    _shared("clear")
    caches["local"].clear()
