from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and published updates"

    def ready(self):
        from reports import receivers  # noqa: F401 -- Django's way: connects them once the apps are loaded
