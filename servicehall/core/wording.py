"""Reports kept for later readers, worded in every language of the hall. An import's report is
written once (often by the task worker, in the hall's language) and read later by whoever opens
it, in their language: so the report's rows are made once per language and the texts that differ
are stored as {language code: text}, the rest as they are."""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation


def worded_rows(make: Callable[[], list[dict]]) -> list[dict]:
    """Call make() once with each of settings.LANGUAGES active; it must return the same rows in
    the same order each time. Returns the rows with each value that differs by language as a
    {language code: value} dict."""
    made = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            made[code] = make()
    rows = []
    for versions in zip(*made.values(), strict=True):
        row = {}
        for key, value in versions[0].items():
            texts = {code: version[key] for code, version in zip(made, versions, strict=True)}
            row[key] = value if len(set(map(str, texts.values()))) == 1 else texts
        rows.append(row)
    return rows


def read(value):
    """A stored value in the active language: a {language code: text} dict from worded_rows
    (the hall's own language when the active one is missing), or the value as it was stored."""
    if isinstance(value, dict):
        return value.get(translation.get_language()) or value.get(settings.LANGUAGE_CODE, "")
    return value


def read_rows(rows: list[dict]) -> list[dict]:
    return [{key: read(value) for key, value in row.items()} for row in rows]
