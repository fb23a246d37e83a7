from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are written by services or loaded from data, only ever read in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
