"""The September peak, page by page (issue 16): each page the applicants, a school reviewer and the
app use most, served as deployed (bench/serving.py: granian, 2 workers of 8 threads, production
settings, PostgreSQL, Redis) and loaded with `wrk`, 16 connections for 8 s a page, side by side
with the server's bare page (/offline/, measured first and last: the baseline is their mean, as
this machine is shared and noisy). Prints req/s, p50, p99 and the ratio to the bare page for each
page and for the weighted mix, with the CPU time the server's processes (granian, PostgreSQL,
Redis) spent per request meanwhile (bench/process_cpu.py: steadier than the rates on a shared
machine), and exits non-zero when any is below the goal:
the application form ≥ 0.35 × bare, every other page ≥ 0.5 × bare, the mix ≥ 0.6 × bare, p99
under 250 ms everywhere.

The database is the demo data plus APPLICATIONS applicants (default 100,000), each with an
account and an application awaiting 南京大学's review, so that the reviewer's queue has them all
in scope and every table the pages read is at September's size.

Run: make bench-pages [APPLICATIONS=100000] (installs wrk from Debian's packages when missing), or
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/pages.py [applications]
     [--seconds=8] [--connections=16]"""

import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import wrk_run
from harness import ARGS, connection, made, person, scratch_database  # first: sets Django up
from page_sessions import DEMO_PASSWORD, Sessions, log_in
from process_cpu import server_cpu
from serving import scratch_database_url, served


def option(name: str, default: int) -> int:
    found = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith(f"--{name}=")]
    return int(found[0]) if found else default


APPLICATIONS = int(ARGS[0]) if ARGS else 100_000
SECONDS = option("seconds", 8)
CONNECTIONS = option("connections", 16)
PORT = 8766
P99_LIMIT_MS = 250
PASSWORD = "Bench#Pass2026"  # noqa: S105 - throwaway accounts in a throwaway database

# (label, path, who asks, the goal as a share of the bare page, the weight in the mix)
PAGES = [
    ("home /", "/", "applicant", 0.5, 3),
    ("search", "/search/?q=%E6%B1%82%E8%81%8C%E5%88%9B%E4%B8%9A", "applicant", 0.5, 2),
    ("guide", "/services/job-seeking-subsidy/", "applicant", 0.5, 2),
    ("login page", "/accounts/login/", "visitor", 0.5, 2),
    ("application form", "/subsidy/apply/", "applicant", 0.35, 2),
    ("办理中", "/center/in-progress/", "applicant", 0.5, 2),
    ("我的", "/my/", "applicant", 0.5, 1),
    ("queue (school)", "/subsidy/review/", "reviewer", 0.5, 0),
    ("case page", "/subsidy/review/{case}/", "reviewer", 0.5, 0),
    ("API /me", "/api/v1/me", "app", 0.5, 0),
    ("API /cases", "/api/v1/cases?status=in_progress", "app", 0.5, 0),
]
MIX_GOAL = 0.6


def make_applications(count: int):
    """`count` applicants with an account each (one password hash for all) and an application
    awaiting 南京大学's review. Returns the first application. Passwords are hashed with Argon2,
    as the server checks them (the test settings the data is made with hash faster)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.utils import timezone

    from servicehall.accounts.models import IdType, Role, User
    from servicehall.accounts.selectors import id_number_index, mobile_index
    from servicehall.reference.models import School
    from servicehall.subsidy.constants import ApplicationStatus
    from servicehall.subsidy.models import Application, ApplicationWindow

    window = ApplicationWindow.objects.select_related("graduation_year").order_by("-pk").first()
    school = School.objects.get(name="南京大学")
    argon2 = Argon2PasswordHasher()
    hashed, now = argon2.encode(PASSWORD, argon2.salt()), timezone.now()
    User.objects.exclude(password="").update(password=argon2.encode(DEMO_PASSWORD, argon2.salt()))
    for start in range(0, count, 5_000):
        last = min(start + 5_000, count)
        people = [(*person(1_000_000 + i), f"186{i:08d}") for i in range(start, last)]
        users = User.objects.bulk_create(
            User(
                username=f"bench{start + n}", role=Role.APPLICANT, name=name, id_type=IdType.RESIDENT,
                id_number=id_number, id_number_index=id_number_index(id_number), mobile=mobile,
                mobile_index=mobile_index(mobile), password=hashed,
            )
            for n, (id_number, name, mobile) in enumerate(people)
        )
        Application.objects.bulk_create(
            Application(
                applicant=user, record_number=f"{now:%Y%m%d}{start + n:08d}",
                state=ApplicationStatus.SCHOOL_REVIEW, graduation_year=window.graduation_year,
                window=window, name=name, id_number=id_number, id_number_index=user.id_number_index,
                mobile=mobile, school=school, student_number=f"B{start + n:07d}", department="计算机学院",
                major="软件工程", submitted_at=now, state_changed_at=now,
            )
            for n, (user, (id_number, name, mobile)) in enumerate(zip(users, people, strict=True))
        )
    return Application.objects.order_by("pk").first()


def wrk(base: str, path: str, headers: dict, *, seconds: int, script: Path | None = None) -> dict:
    figures = wrk_run.wrk(base + path, headers, connections=CONNECTIONS, seconds=seconds, script=script)
    if figures["errors"] or figures["socket"]:
        raise SystemExit(f"{path}: {figures['errors'] or figures['socket']}\n{figures['report']}")
    return figures


def measured(base: str, path: str, headers: dict, *, seconds: int, script: Path | None = None) -> dict:
    """wrk's figures and the CPU the server's processes spent per request meanwhile."""
    before = server_cpu(PORT)
    figures = wrk(base, path, headers, seconds=seconds, script=script)
    figures["cpu"] = (server_cpu(PORT) - before).per_request_ms(figures["requests"])
    return figures


def mix_script(folder: Path, sessions: Sessions) -> Path:
    """A wrk script that requests the applicant pages in the mix's proportions, in turn."""
    entries = []
    for _label, path, who, _goal, weight in PAGES:
        cookie = sessions.headers(who).get("Cookie", "")
        entries += [f'{{"{path}", "{cookie}"}}'] * weight
    script = folder / "mix.lua"
    script.write_text(
        "local pages = {" + ", ".join(entries) + "}\nlocal turn = 0\n"
        "request = function()\n  turn = turn % #pages + 1\n"
        '  return wrk.format("GET", pages[turn][1], {["Cookie"] = pages[turn][2]})\nend\n',
        encoding="utf-8",
    )
    return script


def padded(label: str, width: int = 18) -> str:
    """The label padded to `width` columns: a Chinese character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
    return label + " " * max(width - columns, 0)


def line(label: str, figures: dict, bare: float, goal: float | None) -> bool:
    ratio = figures["rate"] / bare
    met = goal is None or (ratio >= goal and figures["p99"] < P99_LIMIT_MS)
    target = "" if goal is None else f"≥ {goal:.2f}"
    cpu = figures["cpu"]
    print(
        f"{padded(label)} {figures['rate']:8.0f} {figures['p50']:8.1f} {figures['p99']:8.1f} {ratio:8.2f} "
        f"{target:>7}  {'' if goal is None else ('met' if met else 'BELOW GOAL'):10} "
        f"{cpu['granian']:6.2f} {cpu['postgres']:5.2f} {cpu['redis']:5.2f}",
        flush=True,
    )
    return met


def measure(base: str, sessions: Sessions, folder: Path) -> bool:
    print(
        f"\n{'page':<18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× bare':>8} {'goal':>7}  {'':10} "
        "CPU ms a request: granian postgres redis"
    )
    bare_first = measured(base, "/offline/", {}, seconds=SECONDS)
    for _label, path, who, _goal, _weight in PAGES:
        sessions.check(base, path.format(case=sessions.case), who)
    results = {}
    for label, path, who, _goal, _weight in PAGES:
        path = path.format(case=sessions.case)
        wrk(base, path, sessions.headers(who), seconds=2)  # warm both workers
        results[label] = measured(base, path, sessions.headers(who), seconds=SECONDS)
    mix = measured(base, "/", {}, seconds=SECONDS, script=mix_script(folder, sessions))
    bare_last = measured(base, "/offline/", {}, seconds=SECONDS)
    bare = (bare_first["rate"] + bare_last["rate"]) / 2
    line("bare /offline/ 1st", bare_first, bare, None)
    line("bare /offline/ 2nd", bare_last, bare, None)
    met = [line(label, results[label], bare, goal) for label, _p, _w, goal, _weight in PAGES]
    met.append(line("weighted mix", mix, bare, MIX_GOAL))
    weights = ", ".join(f"{label} {weight}" for label, _p, _w, _g, weight in PAGES if weight)
    print(f"mix: {weights}; p99 under {P99_LIMIT_MS} ms for every page")
    return all(met)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The page bench measures the hall as deployed: set DATABASE_URL to PostgreSQL.")
    if subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).returncode:
        raise SystemExit("wrk is missing: `make bench-pages` installs it from Debian's packages.")
    from django.core.management import call_command

    with scratch_database("bench_pages") as folder:
        started = time.perf_counter()
        call_command("load_demo", verbosity=0)
        case = make_applications(APPLICATIONS)
        made(f"the demo data and {APPLICATIONS:,} applicants with an application", started)
        url = scratch_database_url(connection)
        connection.close()
        with served(url, port=PORT) as base:
            sessions = log_in(base, case=case, password=PASSWORD)
            print(
                f"granian 2 workers × 8 threads, PostgreSQL, Redis; wrk {CONNECTIONS} connections, "
                f"{SECONDS} s a page; {APPLICATIONS:,} applications",
            )
            met = measure(base, sessions, Path(tempfile.mkdtemp(dir=folder)))
    print("every page meets the goal" if met else "BELOW THE GOAL: see the lines above")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
