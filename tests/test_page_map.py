"""docs/architecture.md maps every page and API operation to the services and selectors it
calls. The table is printed from the code (`manage.py page_map`); this fails when the docs and
the code disagree, and says how to bring the docs up to date."""

from pathlib import Path

from django.urls import get_resolver

from servicehall.portal.management.commands.page_map import page_map_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
BEGIN, END = "<!-- page-map:begin -->\n", "<!-- page-map:end -->"


def _table_in_docs() -> str:
    text = DOC.read_text()
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)]


def test_the_docs_table_is_what_the_code_says():
    assert _table_in_docs() == page_map_table(), (
        "Update the table: .venv/bin/python manage.py page_map, then paste it between the "
        "page-map markers of docs/architecture.md"
    )


def test_every_named_page_of_the_hall_has_a_row():
    table = _table_in_docs()
    names = set()
    for resolver in get_resolver().url_patterns:
        for pattern in getattr(resolver, "url_patterns", [resolver]):
            name = getattr(pattern, "name", None)
            module = getattr(pattern.callback, "__module__", "") if hasattr(pattern, "callback") else ""
            if name and module.startswith("servicehall.") and not module.startswith("servicehall.core.admin"):
                names.add(name)
    assert names and all(f"| {name} |" in table for name in names)
