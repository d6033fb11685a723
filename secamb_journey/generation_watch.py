"""A generation row kept in each process's memory, told of every change by PostgreSQL (issue 15).

Reading the public content generation costs each anonymous request one round trip to the database; on
PostgreSQL that round trip (its backend needs the same cores as the web workers) was what kept the public
pages at about 0.55x the framework's floor. Here each web process instead keeps the row in memory:

- **The watcher** (one daemon thread per process, started by the first read) holds its own connection,
  `LISTEN`s on the row's channel, and reads the row afresh whenever it is told of a change (a trigger on
  the row sends `NOTIFY`, so every writer is covered: the services, the admin, a history revert, the
  public content triggers, raw SQL) and otherwise every quarter of a lease. After each read that followed
  a notification it acknowledges, on a second channel, the row's `changed_at` as it read it. A request
  checks (one non-blocking `select`) that nothing is waiting on the watcher's connection: a notification
  not yet read, or the server having closed it, sends that request to the row itself.
- **A lease.** What the watcher read at time t0 (taken before the query was sent) is trusted by the
  process's requests until t0 + the lease (PUBLIC_GENERATION_LEASE_SECONDS); past that, or when the
  watcher has lost its connection, each request reads the row itself, as before.
- **The writer waits.** A writer that moves the generation (`wait_for_watchers_after_commit`, called by
  reports.public_cache.public_cache_clear) lists the watchers connected to the database before it commits,
  and after its commit waits until each has acknowledged a read at least as new as its own change, or
  for one lease at most. When it returns, every watcher has either read the change or let its lease run
  out (its requests then read the row themselves), so a publication or withdrawal is still seen by the
  next request in every process (issue 9), and a watcher that is stuck costs the writer one lease, never
  a stale page.

`changed_at` is stamped by the database's clock (a trigger: reports.public_triggers), so two changes compare
in the order they were committed whatever the clocks of the machines that made them. Requests inside a
transaction (the test suite's TestCase) always read the row themselves: only they can see their own
uncommitted change. PostgreSQL only; with SQLite the row is read per request, which costs no round trip.
"""

import logging
import os
import select
import threading
import time
import weakref
from datetime import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

logger = logging.getLogger(__name__)

APPLICATION_NAME_PREFIX = "secamb-watch:"


def enabled() -> bool:
    return connection.vendor == "postgresql" and bool(getattr(settings, "PUBLIC_GENERATION_WATCH", False))


def lease_seconds() -> float:
    return float(getattr(settings, "PUBLIC_GENERATION_LEASE_SECONDS", 2.0))


def ack_channel(channel: str) -> str:
    return f"{channel}_ack"


_WATCHERS: dict = {}


def watch(model, channel: str) -> "Watcher":
    """Keep `model`'s generation row in memory in each process that reads it (see generation.generation_row)."""
    watcher = _WATCHERS.get(model)
    if watcher is None:
        watcher = _WATCHERS[model] = Watcher(model, channel)
    return watcher


def watched_row(model, db):
    """(row,) from this process's watcher of `model` while its lease holds, else None (read it yourself).
    `db`: the connection the request would read it on (a transaction's reads must see its own change)."""
    watcher = _WATCHERS.get(model)
    if watcher is None or db.vendor != "postgresql" or db.in_atomic_block:
        return None
    if not getattr(settings, "PUBLIC_GENERATION_WATCH", False):
        return None
    return watcher.current()


class Watcher:
    """The generation row of `model`, as last read by a thread that listens on `channel`."""

    def __init__(self, model, channel: str):
        self.model = model
        self.channel = channel
        # (row or None, valid until: time.monotonic(), the connection's socket), replaced whole, never mutated
        self._state = None
        self._pid = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = None
        self._failing = False

    # --- Requests' side --------------------------------------------------------------------------------

    def current(self):
        """(row,) where row is (token, changed_at) or None, while the lease holds; otherwise None (read
        the row yourself), after making sure the watcher is running in this process."""
        state = self._state
        if state is not None and self._pid == os.getpid() and time.monotonic() < state[1]:
            try:
                # Anything waiting on the watcher's connection (a notification, or the server closing it)
                # means what it holds may be old: this request reads the row itself. One syscall, so the
                # request does not depend on when the watcher's thread next gets to run.
                if not select.select([state[2]], [], [], 0)[0]:
                    return (state[0],)
            except (OSError, ValueError):
                pass
            return None
        self.start()
        return None

    def start(self) -> None:
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            # A forked child (a gunicorn worker) inherits neither the thread nor a usable connection.
            self._state, self._pid = None, os.getpid()
            self._stopped = threading.Event()
            self._thread = threading.Thread(target=self._run, name=f"watch {self.channel}", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        self._stopped.set()
        self._state = None
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    # --- The watcher's thread --------------------------------------------------------------------------

    def _connect(self):
        import psycopg2

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.setdefault("connect_timeout", 5)
        conn = psycopg2.connect(**params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"LISTEN {self.channel}")
            # Named only once it listens: a writer waits for the watchers it finds by this name, and one
            # that was not yet listening would never be told, so never answer.
            cursor.execute("SET application_name = %s", [(APPLICATION_NAME_PREFIX + self.channel)[:63]])
        return conn

    def _sql(self) -> str:
        table = connection.ops.quote_name(self.model._meta.db_table)
        return f"SELECT token, changed_at FROM {table} WHERE id = 1"  # noqa: S608 -- our own table name

    def _read(self, conn, sql: str, *, acknowledge: bool) -> None:
        started = time.monotonic()  # before the query is sent: the lease never outlives what it saw
        with conn.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
            self._state = (tuple(row) if row else None, started + lease_seconds(), conn.fileno())
            if acknowledge:
                stamp = row[1].isoformat() if row and row[1] else ""
                cursor.execute("SELECT pg_notify(%s, %s)", [ack_channel(self.channel), stamp])

    def _run(self) -> None:
        sql, backoff = self._sql(), 0.5
        while not self._stopped.is_set():
            conn = None
            try:
                conn = self._connect()
                self._read(conn, sql, acknowledge=False)
                if self._failing:
                    logger.warning("Watching %s again", self.channel)
                self._failing, backoff = False, 0.5
                while not self._stopped.is_set():
                    if not conn.notifies:
                        select.select([conn], [], [], lease_seconds() / 4)
                        conn.poll()
                    told = bool(conn.notifies)
                    conn.notifies.clear()
                    self._read(conn, sql, acknowledge=told)
            except Exception as error:  # noqa: BLE001 -- any failure: requests read the row themselves
                self._state = None
                if not self._failing:
                    logger.warning("Not watching %s (%s); requests read it until this recovers", self.channel, error)
                self._failing = True
                self._stopped.wait(backoff)
                backoff = min(backoff * 2, 10)
            finally:
                if conn is not None:
                    conn.close()
        self._state = None


# --- Writers' side ----------------------------------------------------------------------------------------

# What each database connection (the writer's thread's own) has to wait for at its commit.
_waiting: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def wait_for_watchers_after_commit(model, channel: str) -> None:
    """Call in the writer's transaction, after moving `model`'s generation row: once the transaction
    commits, wait until every watcher connected now has read the change (or one lease has passed)."""
    if not enabled():
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {ack_channel(channel)}")  # takes effect at commit, before any watcher acts
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
            [(APPLICATION_NAME_PREFIX + channel)[:63]],
        )
        watchers = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT changed_at FROM {table} WHERE id = 1")  # noqa: S608 -- our own table name
        row = cursor.fetchone()
    waits = _waiting.setdefault(connections[DEFAULT_DB_ALIAS], {})
    # The latest change of this transaction is the one to wait for (several saves: one wait).
    waits[channel] = (watchers, row[0] if row else None)
    pending = (getattr(func, "generation_channel", None) for _ids, func, _robust in connection.run_on_commit)
    if channel not in pending:

        def wait():
            _wait(channel)

        wait.generation_channel = channel
        transaction.on_commit(wait)


def _wait(channel: str) -> None:
    waits = _waiting.get(connections[DEFAULT_DB_ALIAS], {})
    watchers, stamp = waits.pop(channel, (set(), None))
    raw = connection.connection
    if raw is None:
        return
    pending = set(watchers)
    deadline = time.monotonic() + lease_seconds() + 0.25
    try:
        while pending:
            for notice in raw.notifies:
                acknowledged = notice.channel == ack_channel(channel) and _not_older(notice.payload, stamp)
                if acknowledged:
                    pending.discard(notice.pid)
            raw.notifies.clear()
            remaining = deadline - time.monotonic()
            if not pending or remaining <= 0:
                break
            select.select([raw], [], [], remaining)
            raw.poll()
        with connection.cursor() as cursor:
            cursor.execute(f"UNLISTEN {ack_channel(channel)}")
        raw.notifies.clear()
    except Exception as error:  # noqa: BLE001 -- the change is committed; the leases still bound the rest
        logger.warning("Could not wait for %s's watchers (%s): their leases bound what they serve", channel, error)
        time.sleep(max(0.0, deadline - time.monotonic()))
        return
    if pending:
        logger.warning(
            "%d watcher(s) of %s did not acknowledge a change within a lease; their requests now read it themselves",
            len(pending),
            channel,
        )


def _not_older(payload: str, stamp: datetime | None) -> bool:
    if stamp is None:
        return True
    try:
        return datetime.fromisoformat(payload) >= stamp
    except ValueError:
        return False
