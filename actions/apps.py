from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_figures_triggers(sender, using, **kwargs):
    # On SQLite, a migration that alters one of the figures' tables rebuilds it without its triggers:
    # make them again after every migrate (idempotent; see actions.figures_triggers).
    from django.db import connections

    from actions import figures_triggers

    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql") and figures_triggers.GENERATION_TABLE in (
        connection.introspection.table_names()
    ):
        figures_triggers.ensure_triggers(connection)


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Improvement actions"

    def ready(self):
        post_migrate.connect(_ensure_figures_triggers, sender=self, dispatch_uid="actions.figures_triggers")
