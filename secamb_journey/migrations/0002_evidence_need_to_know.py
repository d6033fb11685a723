"""Improvement leads and board members may download any action's evidence; owners only their own
(issue 18, "evidence is need-to-know"). Names written out: a migration must not change with the code."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Improvement lead", "Board member"]


def grant(apps, schema_editor):
    actions = apps.get_app_config("actions")
    actions.models_module = True
    create_permissions(actions, apps=apps, verbosity=0)
    actions.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="actions", codename="view_any_evidence")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="actions", codename="view_any_evidence"))


class Migration(migrations.Migration):
    dependencies = [
        ("secamb_journey", "0001_roles"),
        ("actions", "0003_evidence_need_to_know"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
