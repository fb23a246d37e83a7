from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "servicehall.reference"
    label = "reference"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import EducationLevel, EthnicGroup, School
        from .option_lists import options_changed

        for model in (School, EthnicGroup, EducationLevel):
            uid = f"options-{model.__name__}"
            post_save.connect(options_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(options_changed, sender=model, dispatch_uid=f"{uid}-delete")
