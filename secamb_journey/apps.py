from django.apps import AppConfig


class SecambJourneyConfig(AppConfig):
    name = "secamb_journey"
    verbose_name = "Improvement Journey (project)"
