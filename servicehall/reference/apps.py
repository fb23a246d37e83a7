from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "servicehall.reference"
    label = "reference"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import EducationLevel, EthnicGroup, Region, School
        from .option_lists import reference_changed

        for model in (School, EthnicGroup, EducationLevel, Region):
            uid = f"options-{model.__name__}"
            post_save.connect(reference_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(reference_changed, sender=model, dispatch_uid=f"{uid}-delete")
