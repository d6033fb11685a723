"""Made PostgreSQL's NOTIFY triggers of the generation watcher (removed: docs/adr/0007; 0012 drops them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_public_content_triggers")]

    operations = []
