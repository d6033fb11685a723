"""PostgreSQL: the public content generation stamped by the database's clock and announced by NOTIFY
(reports.public_triggers, secamb_journey.generation_watch). Nothing on SQLite."""

from django.db import migrations

from reports import public_triggers


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in public_triggers.create_statements("postgresql"):
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in public_triggers.WATCH_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON reports_publiccontentgeneration;")


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_public_content_triggers")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
