"""Every action has an original due date from now on (0004 filled it in for the existing ones)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("actions", "0007_carry_existing_actions_over")]

    operations = [
        migrations.AlterField(model_name="action", name="original_due_date", field=models.DateField(editable=False)),
        migrations.AlterField(
            model_name="historicalaction", name="original_due_date", field=models.DateField(editable=False)
        ),
    ]
