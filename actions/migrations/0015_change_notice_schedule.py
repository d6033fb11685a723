"""The outbox's periodic run in the beat schedule (django-celery-beat), editable in the admin (issue 28, finding 11).

Created once: a task that already exists by name is left as the administrator last set it.
"""

from django.db import migrations
from django.utils import timezone

UK = "Europe/London"
NAME = "Change e-mails waiting in the outbox"
TASK = "actions.tasks.send_unsent_change_notices"
CRONTAB = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
DESCRIPTION = (
    "Every minute: sends the e-mails about changes to actions that are still waiting, because the broker was "
    "down when the change was saved or the mail server when the first try was made. Each is sent once; one "
    "that keeps failing stays for the next run, with its attempts and last error under Actions, Change notices."
)


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    schedule, _ = CrontabSchedule.objects.get_or_create(timezone=UK, **CRONTAB)
    PeriodicTask.objects.create(
        name=NAME, task=TASK, crontab=schedule, args="[]", kwargs="{}", enabled=True, description=DESCRIPTION
    )
    # Tell a running beat that the schedule changed (its signal handlers do not fire in a migration).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0014_change_notice_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
