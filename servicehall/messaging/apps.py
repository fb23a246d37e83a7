from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "servicehall.messaging"
    label = "messaging"
