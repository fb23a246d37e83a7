"""`manage.py page_map`: the table of docs/architecture.md that maps every page and every API
operation to the service functions it writes through and the selectors it reads through.

Read from the code, not written by hand: each URL pattern's view (a function, or an API view's
get/post/patch/delete), and the functions of services, selectors and the other use-case modules
it calls, directly or through the view module's own helpers. tests/test_page_map.py fails when
the table in the docs is not what this prints, so the map cannot drift from the code."""

import ast
import importlib
import inspect
import textwrap

from django.core.management.base import BaseCommand
from django.urls import URLPattern, URLResolver, get_resolver

# Modules whose functions are use cases: writes (services) or reads (selectors).
USE_CASE_MODULES = {
    "services",
    "runs",
    "selectors",
    "review",
    "publicity",
    "checks",
    "check_selectors",
    "eligibility",
    "review_queue",
    "review_selectors",
    "figures",
    "reports",
    "jobs",
    "staff_accounts",
    "sessions",
    "material_files",
    "progress",
    "deadlines",
    "presenters",
    "receipt",
    "exports",
    "excel",
    "photo",
    "working_calendar",
    "public_progress",
    "rechecks",
    "withdrawn_answers",
    "provider_login",
}
READ_PREFIXES = ("get_", "is_")
READ_WORDS = (
    "_list",
    "_for",
    "_get",
    "_of",
    "_entries",
    "_map",
    "status",
    "figures",
    "totals",
    "listing",
    "search",
    "summary",
    "count",
    "response",
    "steps",
    "dict",
    "names",
    "scope",
)
WRITE_MODULES = {
    "services", "review", "jobs", "staff_accounts", "sessions", "rechecks", "provider_login", "runs",
}
METHODS = ("get", "post", "put", "patch", "delete")
SKIPPED = ("admin/", "i18n/")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _imported_names(tree) -> dict[str, str]:
    """Local name -> the module it comes from, for the use-case modules only."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name in USE_CASE_MODULES:  # from . import services
                    names[local] = alias.name
                elif module.rsplit(".", 1)[-1] in USE_CASE_MODULES:  # from .selectors import x
                    names[local] = f"{module.rsplit('.', 1)[-1]}.{alias.name}"
    return names


def _calls(node, imported, helpers, seen) -> set[str]:
    found = set()
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            module = imported.get(func.value.id)
            if module and "." not in module:
                found.add(f"{module}.{func.attr}")
        elif isinstance(func, ast.Name):
            if func.id in imported and "." in imported[func.id]:
                found.add(imported[func.id])
            elif func.id in helpers and func.id not in seen:
                seen.add(func.id)
                found |= _calls(helpers[func.id], imported, helpers, seen)
    return found


def _is_write(name: str) -> bool:
    module, function = name.split(".", 1)
    if function.startswith(READ_PREFIXES) or any(word in function for word in READ_WORDS):
        return False
    return (
        module in WRITE_MODULES
        or module == "publicity"
        or function.endswith(
            ("_publish", "_raise", "_handle", "_override", "_recheck", "_import", "_store", "_record")
        )
    )


def _view_nodes(pattern):
    """(method label, the function's AST, its module's AST) for the view of a URL pattern."""
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    target = view_class or inspect.unwrap(callback)
    module = importlib.import_module(target.__module__)
    tree = ast.parse(inspect.getsource(module))
    if view_class is None:
        source = ast.parse(textwrap.dedent(inspect.getsource(target))).body[0]
        return [("", source, tree)]
    class_node = next(
        n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == view_class.__name__
    )
    methods = [
        (item.name.upper(), item, tree)
        for item in class_node.body
        if isinstance(item, ast.FunctionDef) and item.name in METHODS
    ]
    return methods or [("GET", class_node, tree)]  # a view that inherits its get (the API docs)


def page_map_rows() -> list[str]:
    rows = []
    for route, pattern in _routes(get_resolver().url_patterns):
        callback = pattern.callback
        if route.startswith(SKIPPED) or not callback.__module__.startswith("servicehall."):
            continue
        view_class = getattr(callback, "view_class", None)
        view = f"{callback.__module__.removeprefix('servicehall.')}." + (
            view_class.__name__ if view_class else callback.__name__
        )
        for method, node, tree in _view_nodes(pattern):
            helpers = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
            called = sorted(_calls(node, _imported_names(tree), helpers, set()))
            writes = ", ".join(f"`{c}`" for c in called if _is_write(c)) or "—"
            reads = ", ".join(f"`{c}`" for c in called if not _is_write(c)) or "—"
            where = f"{method} /{route}" if method else f"/{route}"
            name = pattern.name or ""
            rows.append(f"| `{where}` | {name} | `{view}` | {writes} | {reads} |")
    return rows


def page_map_table() -> str:
    head = [
        "| page or API operation | URL name | view | writes through (services) | reads through (selectors) |",
        "| --- | --- | --- | --- | --- |",
    ]
    return "\n".join(head + page_map_rows()) + "\n"


class Command(BaseCommand):
    help = "Print the table of pages and API operations with their services and selectors."

    def handle(self, *args, **options):
        self.stdout.write(page_map_table(), ending="")
