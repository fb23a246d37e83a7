from django.contrib import admin

from servicehall.core.admin import HallModelAdmin

from . import services
from .models import Audience, Category, GuideMaterial, GuideQuestion, Service, ServiceGroup


@admin.register(Category)
class CategoryAdmin(HallModelAdmin):
    list_display = ["name", "short_name", "order"]


@admin.register(Audience)
class AudienceAdmin(HallModelAdmin):
    list_display = ["name", "serves", "order"]


@admin.register(ServiceGroup)
class ServiceGroupAdmin(HallModelAdmin):
    list_display = ["name", "category", "order", "home_order"]
    list_filter = ["category"]


class GuideMaterialInline(admin.TabularInline):
    model = GuideMaterial
    extra = 0


class GuideQuestionInline(admin.StackedInline):
    model = GuideQuestion
    extra = 0


@admin.register(Service)
class ServiceAdmin(HallModelAdmin):
    list_display = ["name", "group", "serves", "kind", "channel", "pinned", "is_published"]
    list_filter = ["serves", "kind", "channel", "group__category", "is_published"]
    search_fields = ["name", "synonyms"]
    filter_horizontal = ["audiences"]
    inlines = [GuideMaterialInline, GuideQuestionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.service_refresh_search_text(service=obj)
