from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "servicehall.reference"
    label = "reference"
