from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_generation_triggers(sender, using, **kwargs):
    # After every migrate, as on SQLite a migration that alters a table rebuilds it without its triggers
    # (idempotent; see secamb_journey.generations).
    from django.db import connections

    from secamb_journey import generations

    generations.ensure_triggers(connections[using])


class SecambJourneyConfig(AppConfig):
    name = "secamb_journey"
    verbose_name = "Improvement tracker (project)"

    def ready(self):
        # Connect the sign-in signals: whether a second factor is owed (two_factor), and the start of the
        # idle timeout's renewal minute (sessions).
        from secamb_journey import sessions, two_factor  # noqa: F401

        post_migrate.connect(_ensure_generation_triggers, sender=self, dispatch_uid="secamb_journey.generations")
