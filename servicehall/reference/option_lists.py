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
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from servicehall.core.versions import kept_locally

from .selectors import REFERENCE_VERSION, regions_under


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


def options_html(pairs) -> str:
    """<option>s for (value, label) pairs, escaped, none chosen."""
    # Each option was escaped by format_html; joining them adds nothing typed.
    return mark_safe("".join(  # noqa: S308
        format_html('<option value="{}">{}</option>', "" if value is None else str(value), label)
        for value, label in pairs
    ))


def with_chosen(options: str, value: str) -> str:
    """The rendered options with the one whose value is `value` marked selected."""
    needle = f'<option value="{escape(value)}">'
    if needle not in options:
        return options
    # Safe options with one escaped value's option marked: still nothing unescaped.
    return mark_safe(options.replace(needle, f'<option value="{escape(value)}" selected>', 1))  # noqa: S308


def region_options(parent_code: str = "") -> str:
    """The <option>s of the regions directly under `parent_code` (the provinces when empty), for
    the region pickers: rendered once per version of the reference data. Only codes the picker
    found as a chosen region reach here, so the kept copies are bounded by the region table."""
    return kept_locally(
        REFERENCE_VERSION, ("region-options", parent_code),
        lambda: options_html((region.code, region.name) for region in regions_under(parent_code)),
    )


class ReferenceSelect(forms.Select):
    """A <select> over reference data whose options are rendered once per list, language and
    data version. The markup is Django's Select's: the same attributes, options and `selected`."""

    def __init__(self, list_name: str, attrs=None):
        super().__init__(attrs)
        self.list_name = list_name

    def _options(self) -> str:
        return kept_locally(REFERENCE_VERSION, ("options", self.list_name, get_language()), self._rendered)

    def _rendered(self) -> str:
        return options_html(self.choices)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = [v for v in self.format_value(value) if v != ""][:1] or [""]
        options = with_chosen(self._options(), chosen[0])
        opening = (
            format_html('<select name="{}"', name) + _attributes(self.build_attrs(self.attrs, attrs)) + ">"
        )
        # The options were escaped when they were rendered (format_html); nothing typed is in them.
        return mark_safe(opening + options + "</select>")  # noqa: S308


class ReferenceChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over reference data whose chosen row is found in a copy of its queryset
    kept per data version (as ReferenceSelect keeps the options), not by a query: checking the
    application form asked the database for the ethnic group, the education level and the school
    on every save and every submission (bench/submissions.py). The rows allowed are the queryset's,
    so the rule of which rows may be chosen is written once, in the queryset. The row returned is
    the kept copy: read it, never change it."""

    def _choosable(self) -> dict[str, object]:
        return kept_locally(
            REFERENCE_VERSION,
            ("choosable", self.queryset.model._meta.label, str(self.queryset.query)),
            lambda: {str(row.pk): row for row in self.queryset},
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, self.queryset.model):
            value = value.pk
        row = self._choosable().get(str(value))
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return row
