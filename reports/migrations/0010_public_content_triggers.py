from django.db import migrations

from reports import public_triggers


def create_triggers(apps, schema_editor):
    for sql in public_triggers.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in public_triggers.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_board_pack_schedule_and_permission"),
        ("actions", "0010_committee_members"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
