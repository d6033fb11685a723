from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and published updates"

    def ready(self):
        # Connects the signal that moves the public content generation on whenever a published update
        # is saved, in every process (web, Celery worker, management commands), not only those with views.
        from reports import public_cache  # noqa: F401
