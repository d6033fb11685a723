"""Grant the roles their measures permissions (secamb_journey/roles.py), once the measures tables exist."""

import importlib

from django.db import migrations


def grant(apps, schema_editor):
    # The same function that made the roles: it sets each role's permissions from ROLE_PERMISSIONS.
    importlib.import_module("secamb_journey.migrations.0001_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_initial"),
        ("secamb_journey", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
