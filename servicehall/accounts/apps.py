from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "servicehall.accounts"
    label = "accounts"
