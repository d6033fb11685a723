"""The daily leavers run in the periodic schedule (django-celery-beat), editable in the admin.

Created once: a task that already exists by name is left as the administrator last set it.
"""

from django.db import migrations
from django.utils import timezone

UK = "Europe/London"
NAME = "Daily leavers: deactivate accounts the identity provider no longer vouches for"
TASK = "secamb_journey.accounts.tasks.deactivate_leavers"
CRONTAB = {"minute": "30", "hour": "5", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
DESCRIPTION = (
    "Deactivates accounts from single sign-on that have not signed in for OIDC_INACTIVE_DAYS, or that the "
    "OIDC_ACCOUNT_STATUS_CHECK hook reports disabled at the provider. Nothing is deleted; their open actions "
    "appear on the improvement leads' 'needs a new owner' list. Early morning, before the working day."
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
        ("accounts", "0001_identity_provider_accounts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
