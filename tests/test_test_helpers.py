"""Tests build what they need from factories, never from another app's test modules: an app's
tests may import another app's `tests/factories.py` (factory_boy factories and the builders of
that app's files), and the shared helpers at the root (`tests/people.py`, `files.py`,
`clients.py`, `clock.py`, `races.py`); shared fixtures live in the root conftest.py. So a helper
exists once, and changing one app's tests never breaks another's."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HALL = ROOT / "servicehall"


def _test_modules():
    yield from sorted(HALL.rglob("tests/*.py"))
    yield from sorted((ROOT / "tests").rglob("*.py"))


def _imported_test_modules(path: Path):
    """Every `servicehall.<app>.tests.<module>` the file imports, as (app, module, line)."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if len(parts) >= 3 and parts[0] == "servicehall" and parts[2] == "tests":
                if len(parts) > 3:
                    yield parts[1], parts[3], node.lineno
                else:  # from servicehall.app.tests import factories
                    for alias in node.names:
                        yield parts[1], alias.name, node.lineno


def _own_app(path: Path) -> str | None:
    relative = path.relative_to(ROOT).parts
    return relative[1] if relative[0] == "servicehall" else None


def test_the_scan_sees_the_imports():
    found = {
        (app, module)
        for path in _test_modules()
        for app, module, _line in _imported_test_modules(path)
    }
    assert ("accounts", "factories") in found
    assert ("subsidy", "factories") in found


def test_no_test_imports_another_apps_test_modules_but_its_factories():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports servicehall.{app}.tests.{module}"
        for path in _test_modules()
        for app, module, line in _imported_test_modules(path)
        if app != _own_app(path) and module != "factories"
    ]
    assert not offenders, "\n".join(offenders)
