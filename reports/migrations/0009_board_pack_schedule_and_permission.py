"""Board packs (issue 14): the roles that read them get the permission, and the daily task goes on the
beat schedule (in the database, editable in the admin; left alone if an administrator already made it).
"""

import importlib

from django.db import migrations
from django.utils import timezone

NAME = "Board packs before meetings"
TASK = "reports.tasks.generate_board_packs"
DESCRIPTION = (
    "Generates the board pack for each committee meeting BOARD_PACK_DAYS_BEFORE days ahead (default 7) "
    "that has none yet, and e-mails board members and the committee's members the link. Idempotent: "
    "a meeting that has a pack is left alone."
)


def grant(apps, schema_editor):
    # The function that made the roles sets each role's permissions from ROLE_PERMISSIONS again.
    importlib.import_module("secamb_journey.migrations.0001_roles").create_roles(apps, schema_editor)


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if not PeriodicTask.objects.filter(name=NAME).exists():
        # Early morning UK time: a pack due today is in inboxes before the working day.
        schedule, _ = CrontabSchedule.objects.get_or_create(
            timezone="Europe/London", minute="30", hour="5", day_of_week="*", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.create(
            name=NAME, task=TASK, crontab=schedule, args="[]", kwargs="{}", enabled=True, description=DESCRIPTION
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_board_pack"),
        ("secamb_journey", "0001_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
