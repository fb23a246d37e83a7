"""Views and serializers only translate HTTP: every query is written in a selector (reads) or a
service (writes), where the page and the API share it. This fails naming file:line for any
`.objects`, `.filter(` or `.exclude(` written in a page view, an API view or a serializer."""

import ast
from pathlib import Path

HALL = Path(__file__).resolve().parent.parent / "servicehall"
QUERY_CALLS = {"filter", "exclude"}


def _modules_named_in_urls() -> set[Path]:
    """The modules a urls.py imports its views from (`from . import review_checks, views`)."""
    found = set()
    for urls in HALL.rglob("urls.py"):
        for node in ast.walk(ast.parse(urls.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                base = urls.parent.joinpath(*([".."] * (node.level - 1)), *(node.module or "").split("."))
                for alias in node.names:
                    for candidate in (base / f"{alias.name}.py", base.with_suffix(".py")):
                        if candidate.resolve().is_file():
                            found.add(candidate.resolve())
    return found


def _http_modules():
    named_in_urls = _modules_named_in_urls()
    for path in sorted(HALL.rglob("*.py")):
        parts = path.relative_to(HALL).parts
        if "tests" in parts or "migrations" in parts:
            continue
        in_views_package = any(p == "views" for p in parts[:-1])
        named_like_views = path.stem == "views" or path.stem.startswith(("views_", "serializers"))
        if path.name == "urls.py":
            continue
        if in_views_package or named_like_views or path.name.endswith("_views.py") or path in named_in_urls:
            yield path


def _queries_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{path.relative_to(HALL.parent)}:{node.lineno} .objects")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_CALLS
        ):
            found.append(f"{path.relative_to(HALL.parent)}:{node.lineno} .{node.func.attr}(")
    return found


def test_the_scan_sees_the_views_and_serializers():
    names = {p.relative_to(HALL).as_posix() for p in _http_modules()}
    assert {
        "subsidy/views.py",
        "subsidy/review_views.py",
        "subsidy/review_case_views.py",
        "api/views/application.py",
        "api/serializers.py",
    } <= names


def test_no_view_or_serializer_writes_a_query():
    found = [line for path in _http_modules() for line in _queries_in(path)]
    assert found == [], "\n".join(found)
