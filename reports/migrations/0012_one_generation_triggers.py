"""Drop the triggers of before docs/adr/0007 (the public content triggers, the generation watcher's and the
figures triggers): secamb_journey.generations makes their replacements after every migrate."""

from django.db import migrations


def drop_old_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND (name LIKE 'public_gen_%' OR name LIKE 'figures_gen_%')"
            )
            for (name,) in cursor.fetchall():
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgname LIKE 'public\\_gen\\_%' OR tgname = 'figures_gen'"
            )
            for name, table in cursor.fetchall():
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for function in ("public_content_generation_bump", "public_content_generation_stamp",
                             "public_content_generation_notify", "figures_generation_bump"):
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0011_public_generation_watch_triggers"),
        ("actions", "0015_change_notice_schedule"),
    ]

    operations = [migrations.RunPython(drop_old_triggers, migrations.RunPython.noop)]
