"""The database triggers that move the figures generation (actions.models.FiguresGeneration).

Every write to a table the staff pages' cached figures are read from moves the generation's token in
the writer's own transaction, whatever the path: the services, the admin, an import, a history revert,
a queryset .update() or bulk_create, raw SQL, any process. Signals would miss .update() and
bulk_create, and explicit calls would miss whatever path is added next; a trigger misses nothing.

Made by migration actions.0009_figures_generation, and made again (if missing) after every migrate
(actions.apps): on SQLite, a later migration that alters one of these tables rebuilds it, and the
rebuilt table has no triggers. reports.tests.test_figures_cache checks every table has its trigger.
"""

# The tables whose rows any cached figure (or a person's permissions) is read from. History tables are
# left out (a revert writes the live row, which is caught), and so are ledgers no figure reads (notices,
# reminder runs, plan uploads before their confirmation, which creates actions).
FIGURE_TABLES = [
    "actions_action",
    "actions_action_themes",
    "actions_action_regulations",
    "actions_progressupdate",
    "actions_evidence",
    "actions_regulation",
    "actions_duedaterevision",
    "actions_committee",
    "actions_meeting",
    "actions_committeedecision",
    "actions_actionreopening",
    "pillars_strategicgoal",
    "pillars_pillar",
    "pillars_pillar_goals",
    "themes_theme",
    "themes_theme_pillars",
    "measures_measure",
    "measures_measure_pillars",
    "measures_measure_themes",
    "measures_measure_goals",
    "measures_measure_actions",
    "measures_measurevalue",
    "measures_recalculation",
    "reports_progresssnapshot",
    "reports_publishedupdate",
    "auth_user_groups",  # a person's roles: who the register offers as an owner, and what they may do
    # What each person may do (secamb_journey.accounts.permissions keeps it under this generation).
    "auth_group",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "auth_permission",
    "django_content_type",
]
# People appear in figures by name (an owner in a list, the register's owner filter): only these
# columns count, so a sign-in (which writes last_login) does not move the generation.
USER_TABLE = "auth_user"
USER_COLUMNS = ["first_name", "last_name", "is_active"]
GENERATION_TABLE = "actions_figuresgeneration"  # written out in the SQL below too
EVENTS = ("insert", "update", "delete")


def _sqlite_create() -> list[str]:
    """SQLite has only row-level triggers: one UPDATE of the one row per row written, a few
    microseconds (SQLite has one writer at a time, so there is no lock to contend for)."""
    bump = (
        "UPDATE actions_figuresgeneration SET token = lower(hex(randomblob(16))), "
        "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1;"
    )
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS figures_gen_{table}_{event} AFTER {event.upper()} ON {table} BEGIN {bump} END;"
        for table in FIGURE_TABLES
        for event in EVENTS
    ]
    user_events = {"insert": "INSERT", "update": f"UPDATE OF {', '.join(USER_COLUMNS)}", "delete": "DELETE"}
    statements += [
        f"CREATE TRIGGER IF NOT EXISTS figures_gen_{USER_TABLE}_{name} AFTER {event} ON {USER_TABLE} BEGIN {bump} END;"
        for name, event in user_events.items()
    ]
    return statements


def _postgres_create() -> list[str]:
    """One statement-level trigger per table: a bulk_create of 200,000 rows moves the token once.

    The UPDATE takes the generation row's lock until the writer's transaction ends, so writers of
    figures take turns at their commit; transactions here are short (one form's worth of writes).
    """
    function = """
        CREATE OR REPLACE FUNCTION figures_generation_bump() RETURNS trigger AS $$
        BEGIN
            UPDATE actions_figuresgeneration
               SET token = md5(random()::text || clock_timestamp()::text), changed_at = clock_timestamp()
             WHERE id = 1;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
    """
    statements = [function]
    statements += [
        f"CREATE OR REPLACE TRIGGER figures_gen AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION figures_generation_bump();"
        for table in FIGURE_TABLES
    ]
    statements.append(
        f"CREATE OR REPLACE TRIGGER figures_gen AFTER INSERT OR UPDATE OF {', '.join(USER_COLUMNS)} OR DELETE "
        f"ON {USER_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION figures_generation_bump();"
    )
    return statements


def create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_create()
    if vendor == "postgresql":
        return _postgres_create()
    # A database this project does not run on would serve stale figures: refuse rather than do that.
    raise RuntimeError(f"No figures generation triggers for {vendor}")


def drop_statements(vendor: str) -> list[str]:
    tables = [*FIGURE_TABLES, USER_TABLE]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS figures_gen_{table}_{event};" for table in tables for event in EVENTS]
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS figures_gen ON {table};" for table in tables),
            "DROP FUNCTION IF EXISTS figures_generation_bump();",
        ]
    return []


def tables_missing_triggers(connection) -> list[str]:
    """The tables that should have the trigger and have not (empty when all is well)."""
    tables = [*FIGURE_TABLES, USER_TABLE]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures_gen_%'")
        else:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'figures_gen'")
        present = {row[0] for row in cursor.fetchall()}
    return [table for table in tables if table not in present]


def ensure_triggers(connection) -> None:
    """Make whichever triggers are missing (every statement is idempotent)."""
    with connection.cursor() as cursor:
        for sql in create_statements(connection.vendor):
            cursor.execute(sql)
