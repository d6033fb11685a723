from django.apps import AppConfig


class SecambJourneyConfig(AppConfig):
    name = "secamb_journey"
    verbose_name = "Improvement Journey (project)"

    def ready(self):
        # Connects the sign-in signal that decides whether a second factor is owed.
        from secamb_journey import two_factor  # noqa: F401
