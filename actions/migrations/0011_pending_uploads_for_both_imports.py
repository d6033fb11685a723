from django.db import migrations, models


class Migration(migrations.Migration):
    """The action plan's pending uploads become both imports' (the measures import kept its file in the
    session): renamed, with the kind of file; every row kept so far is an action plan."""

    dependencies = [
        ("actions", "0010_committee_members"),
    ]

    operations = [
        migrations.RenameModel("ActionPlanUpload", "PendingUpload"),
        migrations.AddField(
            model_name="pendingupload",
            name="kind",
            field=models.CharField(
                choices=[("action_plan", "Action plan"), ("measures", "Measures")], default="action_plan", max_length=20
            ),
            preserve_default=False,
        ),
    ]
