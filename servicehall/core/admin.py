from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import ModelMultipleChoiceField
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

# Longer than any name or number an operator searches for; SQLite refuses LIKE patterns over
# 50,000 bytes, and nothing useful is found by one that long anyway.
ADMIN_SEARCH_MAX_LENGTH = 200


def _usable_key(field, value) -> bool:
    """Whether `value` can be looked up in `field` (a primary key): a value of its type and, for
    integers, in the database's range."""
    try:
        key = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    if isinstance(key, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return key not in (None, "")


def _refuse_nul(request):
    """A NUL character typed into any admin field (PostgreSQL cannot store or compare it, and
    Django's choice and key fields pass it to the database): the page comes back with a
    message instead of a server error."""
    sent = [*request.GET.lists(), *request.POST.lists()]
    if not any("\x00" in value for _name, values in sent for value in values):
        return None
    messages.error(request, _("输入内容含有不可见的控制字符（NUL），请删除后重新提交"))
    return HttpResponseRedirect(request.path)


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, except that a tampered value (a word, a huge number, bytes
    that are not UTF-8) is left unselected instead of failing the page: the form's own field
    then says 选择一个有效的选项."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        return super().optgroups(name, [v for v in value if _usable_key(target, v)], attr)


class SafeModelMultipleChoiceField(ModelMultipleChoiceField):
    """A many-to-many field whose tampered values (a huge number SQLite cannot hold, a word) are
    answered 选择一个有效的选项 before any is looked up, instead of failing the query."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for item in value:
            if not _usable_key(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class HallModelAdmin(admin.ModelAdmin):
    """The hall's admin pages: hostile input gets a message, never a server error."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        return _refuse_nul(request) or super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _refuse_nul(request) or super().changeform_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        if len(search_term) > ADMIN_SEARCH_MAX_LENGTH:
            messages.error(request, _("搜索内容过长，请输入%(count)s个字以内")
                           % {"count": ADMIN_SEARCH_MAX_LENGTH})
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class ReadOnlyAdmin(HallModelAdmin):
    """Rows that are written by services or loaded from data, only ever read in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
