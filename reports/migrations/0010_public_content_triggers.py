"""Made the public content triggers (reports.public_triggers, since replaced by secamb_journey.generations,
whose triggers are made after every migrate; 0012 drops these)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_board_pack_schedule_and_permission"),
        ("actions", "0010_committee_members"),
    ]

    operations = []
