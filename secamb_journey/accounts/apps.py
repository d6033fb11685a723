from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secamb_journey.accounts"
    label = "accounts"
    verbose_name = "Staff accounts (single sign-on)"
