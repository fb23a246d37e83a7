"""Where an applicant page's time goes, before anything is made faster (issue 16: profile first).
Each page of the September mix is requested in this process through Django's test client (no
server, no network: the view, its middleware, its templates and its queries), on a scratch
database with the demo data and an applicant who has a card and no application yet. cProfile
splits each page's time into: middleware (everything around the view), SQL (executing the
queries), form widgets (Django rendering each <select>/<input> through its widget templates), the
rest of the templates, and the view's own Python. Prints one line a page.

Run: .venv/bin/python bench/profile_pages.py [requests per page, default 30]
(SQLite in a temporary file; DATABASE_URL for PostgreSQL on a scratch database.)"""

import cProfile
import pstats
import time

from harness import ARGS, scratch_database  # first: sets Django up

COUNT = int(ARGS[0]) if ARGS else 30
PAGES = [
    ("bare /offline/", "/offline/", False),
    ("home /", "/", True),
    ("search", "/search/?q=求职创业", True),
    ("guide", "/services/job-seeking-subsidy/", True),
    ("login page", "/accounts/login/", False),
    ("application form", "/subsidy/apply/", True),
    ("办理中", "/center/in-progress/", True),
    ("我的", "/my/", True),
]
# (file name ends with, function name): the frames whose cumulative time is each share.
VIEW = ("django/core/handlers/base.py", "_get_response")
SQL = ("django/db/models/sql/compiler.py", "execute_sql")
WIDGETS = ("django/forms/boundfield.py", "as_widget")
TEMPLATES = ("django/template/backends/django.py", "render")


def _cumulative(stats: pstats.Stats, frame) -> float:
    """Cumulative seconds of a frame, counted once however deep it recurses."""
    ending, name = frame
    return sum(
        values[3] for (path, _line, function), values in stats.stats.items()
        if function == name and path.endswith(ending)
    )


def _applicant():
    from harness import person

    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from servicehall.cards.services import demo_card_for

    id_number, name = person(7)
    applicant = accounts.person_create_verified(
        id_type=IdType.RESIDENT, id_number=id_number, name=name, mobile="13800009991",
        password="Bench#Pass2026",  # noqa: S106 - a throwaway account in a throwaway database
    )
    demo_card_for(id_number=applicant.id_number, name=applicant.name)
    return applicant


def _profile(client, path: str):
    from django.db import connection

    for _ in range(3):  # warm: templates compiled, caches filled
        assert client.get(path).status_code == 200, path
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        for _ in range(COUNT):
            client.get(path)
    plain = (time.perf_counter() - started) / COUNT
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(COUNT):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt
    view, sql = _cumulative(stats, VIEW), _cumulative(stats, SQL)
    widgets, templates = _cumulative(stats, WIDGETS), _cumulative(stats, TEMPLATES)
    shares = {
        "middleware": total - view,
        "SQL": sql,
        "widgets": widgets,
        "other templates": max(templates - widgets - sql, 0.0),
        "view's Python": max(view - templates - sql, 0.0),
    }
    percent = {k: 100 * v / total for k, v in shares.items()}
    percent["the rest (client, profiler)"] = max(100 - sum(percent.values()), 0.0)
    return plain * 1000, queries / COUNT, percent


def main():
    from django.core.management import call_command
    from django.test import Client

    with scratch_database("profile_pages"):
        call_command("load_demo", verbosity=0)
        applicant = _applicant()
        print(f"{'page':<18} {'ms/request':>10} {'queries':>8}  where the time goes (% of the profiled time)")
        for label, path, logged_in in PAGES:
            client = Client()
            if logged_in:
                client.force_login(applicant)
            ms, queries, shares = _profile(client, path)
            where = ", ".join(f"{name} {share:.0f}%" for name, share in shares.items())
            print(f"{label:<18} {ms:10.1f} {queries:8.1f}  {where}", flush=True)


if __name__ == "__main__":
    main()
