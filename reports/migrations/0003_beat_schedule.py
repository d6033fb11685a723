"""The periodic schedule, in the database (django-celery-beat) so an administrator can change it in the admin.

Created once: a task that already exists by name is left as the administrator last set it.
"""

from django.db import migrations
from django.utils import timezone

UK = "Europe/London"

# (name, task, crontab fields, description). Times are UK time, whatever the server's clock says.
SCHEDULE = [
    (
        "Daily progress snapshot",
        "reports.tasks.take_daily_snapshot",
        {"minute": "45", "hour": "23", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "Records the day's figures for each pillar, theme and action type, for the dashboard's trend charts. "
        "Late in the evening, so a day's snapshot includes the progress logged that day.",
    ),
    (
        "Monthly draft of the public update",
        "reports.tasks.draft_monthly_update",
        {"minute": "0", "hour": "6", "day_of_week": "*", "day_of_month": "1", "month_of_year": "*"},
        "Drafts the public progress update for the previous month, with its figures frozen, for the "
        "communications editor to edit and publish at /reports/updates/.",
    ),
    (
        "Weekly reminders to owners and executive leads",
        "reports.tasks.send_weekly_reminders",
        {"minute": "0", "hour": "7", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"},
        "E-mails owners their overdue and due-soon actions, and each executive lead a digest of their actions "
        "that are stale, overdue or off track. Monday mornings.",
    ),
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, crontab, description in SCHEDULE:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone=UK, **crontab)
        PeriodicTask.objects.create(
            name=name, task=task, crontab=schedule, args="[]", kwargs="{}", enabled=True, description=description
        )
    # Tell a running beat that the schedule changed (its signal handlers do not fire in a migration).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_reminder_run"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
