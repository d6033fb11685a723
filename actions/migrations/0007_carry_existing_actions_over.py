"""Existing actions carried over to governance: the original due date is the current one, the regulation
each named is among its regulations, and the regulations 9 to 20A are seeded with their titles. Assured
actions stay assured (the status is not touched). Its own migration: on PostgreSQL a table cannot be
altered in the transaction that wrote rows with deferred checks.
"""

from django.db import migrations, models

# The fundamental standards: Health and Social Care Act 2008 (Regulated Activities) Regulations 2014.
REGULATIONS = [
    ("9", "Person-centred care"),
    ("10", "Dignity and respect"),
    ("11", "Need for consent"),
    ("12", "Safe care and treatment"),
    ("13", "Safeguarding service users from abuse and improper treatment"),
    ("14", "Meeting nutritional and hydration needs"),
    ("15", "Premises and equipment"),
    ("16", "Receiving and acting on complaints"),
    ("17", "Good governance"),
    ("18", "Staffing"),
    ("19", "Fit and proper persons employed"),
    ("20", "Duty of candour"),
    ("20A", "Requirement as to display of performance assessments"),
]


def carry_existing_actions_over(apps, schema_editor):
    Regulation = apps.get_model("actions", "Regulation")
    Action = apps.get_model("actions", "Action")
    HistoricalAction = apps.get_model("actions", "HistoricalAction")
    by_number = {}
    for order, (number, title) in enumerate(REGULATIONS, start=1):
        by_number[number], _ = Regulation.objects.update_or_create(
            number=number, defaults={"title": title, "order": order}
        )
    Action.objects.filter(original_due_date__isnull=True).update(original_due_date=models.F("due_date"))
    HistoricalAction.objects.filter(original_due_date__isnull=True).update(original_due_date=models.F("due_date"))
    Through = Action.regulations.through
    Through.objects.bulk_create(
        [
            Through(action_id=pk, regulation_id=by_number[number].pk)
            for pk, number in Action.objects.exclude(cqc_regulation="").values_list("pk", "cqc_regulation")
            if number in by_number
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("actions", "0006_governance")]

    operations = [migrations.RunPython(carry_existing_actions_over, migrations.RunPython.noop)]
