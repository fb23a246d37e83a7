"""Long option lists rendered once: the <select>s over reference data (165 schools, 56 ethnic
groups, the education levels) were rendered option by option through Django's widget templates on
every request of the application form, two thirds of its time (bench/profile_pages.py), for lists
that change only when the reference data does. ReferenceSelect renders its options once per list,
language and data version, keeps the HTML in this process, and on each request only marks the
chosen option.

The version is core.versions' "reference" counter, raised whenever a school, ethnic group,
education level or region is saved or deleted (signals connected in apps.py). A change made
without signals (QuerySet.update, bulk_create in a migration) is picked up when the process's
copy expires (core.versions.LOCAL_SECONDS) or the process restarts."""

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from servicehall.core.versions import kept_locally

from .selectors import REFERENCE_VERSION


def _attributes(attrs: dict) -> str:
    """As Django's widget template writes them (attrs.html): in order, True as a bare name,
    False or None left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False and value is not None:
            parts.append(format_html(' {}="{}"', name, value))
    return "".join(parts)


class ReferenceSelect(forms.Select):
    """A <select> over reference data whose options are rendered once per list, language and
    data version. The markup is Django's Select's: the same attributes, options and `selected`."""

    def __init__(self, list_name: str, attrs=None):
        super().__init__(attrs)
        self.list_name = list_name

    def _options(self) -> str:
        return kept_locally(REFERENCE_VERSION, ("options", self.list_name, get_language()), self._rendered)

    def _rendered(self) -> str:
        return "".join(
            format_html('<option value="{}">{}</option>', "" if value is None else str(value), label)
            for value, label in self.choices
        )

    def render(self, name, value, attrs=None, renderer=None):
        options = self._options()
        chosen = [v for v in self.format_value(value) if v != ""][:1] or [""]
        needle = f'<option value="{escape(chosen[0])}">'
        if needle in options:
            options = options.replace(needle, f'<option value="{escape(chosen[0])}" selected>', 1)
        opening = (
            format_html('<select name="{}"', name) + _attributes(self.build_attrs(self.attrs, attrs)) + ">"
        )
        # The options were escaped when they were rendered (format_html); nothing typed is in them.
        return mark_safe(opening + options + "</select>")  # noqa: S308
