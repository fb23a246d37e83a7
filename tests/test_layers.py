"""The layers of pyproject.toml's import-linter contract hold for data as well as code: no app's
migration depends on a migration of an app above it (a lower app with a foreign key to a higher
one would need one). `make lint` checks the imports; this checks the migrations.

One exception, Django's own: any app may point at the user model's app (AUTH_USER_MODEL is
swappable, and the audit trail and the messages must say who, and for which organisation)."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _layer_of_app() -> dict[str, int]:
    contract = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"][0]
    levels = {}
    # Listed from the top down: a larger number is a lower layer.
    for depth, layer in enumerate(contract["layers"]):
        for app in layer.split("|"):
            levels[app.strip()] = depth
    return levels


def test_no_migration_depends_on_a_higher_app():
    levels = _layer_of_app()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    user_app = settings.AUTH_USER_MODEL.split(".")[0]
    upward = []
    for (app, name), migration in loader.disk_migrations.items():
        if app not in levels:
            continue  # Django's own apps and third-party ones
        for dep_app, dep_name in migration.dependencies:
            if dep_app in levels and dep_app != user_app and levels[dep_app] < levels[app]:
                upward.append(f"{app}.{name} -> {dep_app}.{dep_name}")
    assert upward == []


def test_the_layer_table_names_every_app_of_the_hall():
    apps_with_migrations = {p.parent.name for p in (PYPROJECT.parent / "servicehall").glob("*/migrations")}
    assert apps_with_migrations and apps_with_migrations <= set(_layer_of_app())
