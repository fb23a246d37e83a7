"""Long option lists rendered once: the <select>s over reference data (165 schools, 56 ethnic
groups, the education levels) were rendered option by option through Django's widget templates on
every request of the application form, two thirds of its time (bench/profile_pages.py), for lists
that change only when the reference data does. ReferenceSelect renders its options once per list,
language and data version, keeps the HTML in this process, and on each request only marks the
chosen option.

The version is a counter in the shared cache (Redis in production, so every process sees it),
raised whenever a school, ethnic group or education level is saved or deleted (signals connected
in apps.py). A change made without signals (QuerySet.update, bulk_create in a migration) is picked
up when the process's copy expires (LOCAL_SECONDS) or the process restarts."""

import time

from django import forms
from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

VERSION_KEY = "reference:options-version"
LOCAL_SECONDS = 600
_rendered: dict[tuple, tuple[float, str]] = {}


def _fresh_version() -> int:
    """A number no earlier version had: a cache emptied and started again never brings back a
    version a process still holds lists for."""
    return time.time_ns() // 1000


def options_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def options_changed(**_kwargs) -> None:
    """Signal receiver: a reference row changed, so every process renders its lists again."""
    _rendered.clear()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


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
        key = (self.list_name, get_language(), options_version())
        now = time.monotonic()
        found = _rendered.get(key)
        if found is not None and now - found[0] < LOCAL_SECONDS:
            return found[1]
        html = "".join(
            format_html('<option value="{}">{}</option>', "" if value is None else str(value), label)
            for value, label in self.choices
        )
        for old in [k for k in _rendered if k[:2] == key[:2]]:
            del _rendered[old]  # another version of this list: never asked for again
        _rendered[key] = (now, html)
        return html

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
