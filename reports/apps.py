from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_public_triggers(sender, using, **kwargs):
    # On SQLite, a migration that alters actions' tables rebuilds them without their triggers: make the
    # public content triggers again after every migrate (idempotent; see reports.public_triggers).
    from django.db import connections

    from reports import public_triggers

    connection = connections[using]
    tables = connection.introspection.table_names()
    if connection.vendor in ("sqlite", "postgresql") and {
        "reports_publiccontentgeneration",
        "actions_action",
        "actions_progressupdate",
    } <= set(tables):
        public_triggers.ensure_triggers(connection)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and published updates"

    def ready(self):
        # Connects the signal that moves the public content generation on whenever a published update
        # is saved, in every process (web, Celery worker, management commands), not only those with views.
        from reports import (
            public_cache,  # noqa: F401
            receivers,  # noqa: F401 -- Django's way: connects them once the apps are loaded
        )

        post_migrate.connect(_ensure_public_triggers, sender=self, dispatch_uid="reports.public_triggers")
