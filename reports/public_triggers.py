"""Database triggers that move the public content generation when what the public may see is narrowed.

Pages that follow the live record (the home page, /plan/, open data: `@public_cache(live=True)`) are
kept for up to PUBLIC_CACHE_SECONDS between publications. That is right for progress (a reader sees
today's figures a few minutes late), and wrong for a change that takes something out of public view:
an action made internal, deleted, or its public words corrected (a name put in a title by mistake), or
a public highlight removed. Those move reports.PublicContentGeneration in the writer's own transaction,
by whatever path (the edit page, the admin, the import, a history revert, a queryset .update(), raw
SQL) and in whatever process, so every process's next anonymous request renders afresh.

Row-level and conditional, as these writes are rare and most writes to actions (progress, status) must
not empty the public cache. Made by migration reports.0010_public_content_triggers and again after
every migrate (reports.apps), as on SQLite a later migration that alters a table rebuilds it without
its triggers. reports.tests.test_public_cache checks they are there.
"""

# (trigger name, table, event, the condition on OLD/NEW under which the public generation moves)
_ACTION_WORDS = ("title", "description", "cqc_finding")
_WORDS_CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _ACTION_WORDS)
TRIGGERS = [
    (
        "public_gen_action_update",
        "actions_action",
        "UPDATE",
        f"OLD.is_public IS DISTINCT FROM NEW.is_public OR (NEW.is_public AND ({_WORDS_CHANGED}))",
    ),
    ("public_gen_action_delete", "actions_action", "DELETE", "OLD.is_public"),
    (
        "public_gen_highlight_update",
        "actions_progressupdate",
        "UPDATE",
        "OLD.public_highlight IS DISTINCT FROM NEW.public_highlight",
    ),
    ("public_gen_highlight_delete", "actions_progressupdate", "DELETE", "OLD.public_highlight <> ''"),
]


def create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        bump = (
            "UPDATE reports_publiccontentgeneration SET token = lower(hex(randomblob(16))), "
            "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1;"
        )
        # SQLite spells IS DISTINCT FROM as IS NOT.
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} "
            f"WHEN {when.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN {bump} END;"
            for name, table, event, when in TRIGGERS
        ]
    if vendor == "postgresql":
        function = """
            CREATE OR REPLACE FUNCTION public_content_generation_bump() RETURNS trigger AS $$
            BEGIN
                UPDATE reports_publiccontentgeneration
                   SET token = md5(random()::text || clock_timestamp()::text), changed_at = clock_timestamp()
                 WHERE id = 1;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
        """
        return (
            [function]
            + [
                f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION public_content_generation_bump();"
                for name, table, event, when in TRIGGERS
            ]
            + _WATCH_STATEMENTS
        )
    # A database this project does not run on would show the public what it should not: refuse.
    raise RuntimeError(f"No public content triggers for {vendor}")


# PostgreSQL only (secamb_journey.generation_watch): the generation row is stamped by the database's
# clock, so changes compare in commit order whichever machine made them, and every change, by any
# writer, tells each web process's watcher (NOTIFY, delivered when the writer's transaction commits).
_WATCH_STATEMENTS = [
    """
    CREATE OR REPLACE FUNCTION public_content_generation_stamp() RETURNS trigger AS $$
    BEGIN
        NEW.changed_at := clock_timestamp();
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE OR REPLACE TRIGGER public_gen_stamp BEFORE INSERT OR UPDATE ON reports_publiccontentgeneration "
    "FOR EACH ROW EXECUTE FUNCTION public_content_generation_stamp();",
    """
    CREATE OR REPLACE FUNCTION public_content_generation_notify() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_notify('secamb_public_generation', '');
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE OR REPLACE TRIGGER public_gen_notify AFTER INSERT OR UPDATE ON reports_publiccontentgeneration "
    "FOR EACH ROW EXECUTE FUNCTION public_content_generation_notify();",
]
WATCH_TRIGGERS = ["public_gen_stamp", "public_gen_notify"]


def drop_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name};" for name, *_ in TRIGGERS]
    if vendor == "postgresql":
        return (
            [f"DROP TRIGGER IF EXISTS {name} ON {table};" for name, table, *_ in TRIGGERS]
            + [f"DROP TRIGGER IF EXISTS {name} ON reports_publiccontentgeneration;" for name in WATCH_TRIGGERS]
            + [
                "DROP FUNCTION IF EXISTS public_content_generation_bump();",
                "DROP FUNCTION IF EXISTS public_content_generation_stamp();",
                "DROP FUNCTION IF EXISTS public_content_generation_notify();",
            ]
        )
    return []


def missing_triggers(connection) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'public_gen_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'public_gen_%'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected_triggers(connection.vendor) if name not in present]


def expected_triggers(vendor: str) -> list[str]:
    return [name for name, *_ in TRIGGERS] + (WATCH_TRIGGERS if vendor == "postgresql" else [])


def ensure_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in create_statements(connection.vendor):
            cursor.execute(sql)
