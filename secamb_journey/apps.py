from django.apps import AppConfig


class SecambJourneyConfig(AppConfig):
    name = "secamb_journey"
    verbose_name = "Improvement Journey (project)"

    def ready(self):
        # Connect the sign-in signals: whether a second factor is owed (two_factor), and the start of the
        # idle timeout's renewal minute (sessions).
        from secamb_journey import sessions, two_factor  # noqa: F401
