from django.apps import AppConfig


class PillarsConfig(AppConfig):
    name = "pillars"
    verbose_name = "Strategic goals and improvement pillars"
