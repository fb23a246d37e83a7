"""Submissions at once (issue 16): N applicants, each with a complete draft (the form filled, the
残疾人证 attached) and an app token, submit through the API at the same moment, 16 at a time, and
every submission is sent twice at once (a double tap). Served as deployed (bench/serving.py) on
PostgreSQL. Prints the submissions per second beside the bare page's rate measured with wrk in
the same run, checks that each person has exactly one submitted claim with one 申报提交 in its
timeline, and exits non-zero when a claim is doubled or lost, or the rate is below 0.25 × bare.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/submissions.py [N=300]
(needs wrk: `make bench-pages` installs it.)"""

import http.client
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from harness import ARGS, connection, made, person, scratch_database  # first: sets Django up
from pages import wrk
from serving import scratch_database_url, served

COUNT = int(ARGS[0]) if ARGS else 300
PORT = 8767
AT_ONCE = 16
GOAL = 0.25


def make_drafts(count: int) -> list[tuple[int, str, dict]]:
    """(draft id, access token, the form as the app sends it) for `count` new applicants."""
    from django.core.management import call_command

    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from servicehall.api.tokens import token_issue
    from servicehall.cards.services import demo_card_for
    from servicehall.subsidy.tests.factories import api_submit_body, ready_draft

    call_command("load_demo", verbosity=0)
    drafts = []
    for number in range(count):
        id_number, name = person(2_000_000 + number)
        user = accounts.person_create_verified(
            id_type=IdType.RESIDENT, id_number=id_number, name=name, mobile=f"185{number:08d}",
            password="Bench#Pass2026",  # noqa: S106 - a throwaway account in a throwaway database
        )
        demo_card_for(id_number=id_number, name=name)
        application, data = ready_draft(user)
        form = api_submit_body(data)
        drafts.append((application.pk, token_issue(user=user, method="password").access, form))
    return drafts


def submit(base: str, draft: tuple[int, str, dict]) -> int:
    pk, token, form = draft
    connection_ = http.client.HTTPConnection(urlsplit(base).netloc, timeout=60)
    connection_.request(
        "POST", f"/api/v1/applications/{pk}/submit", body=json.dumps(form),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    answer = connection_.getresponse()
    answer.read()
    connection_.close()
    return answer.status


def held() -> list[str]:
    """What is wrong with the claims after the run: nothing, when each person has one."""
    from django.db.models import Count

    from servicehall.subsidy.models import Application, TimelineEvent

    problems = []
    submitted = Application.objects.exclude(state="draft").values("id_number_index").annotate(n=Count("pk"))
    doubled = [row for row in submitted if row["n"] > 1]
    if doubled:
        problems.append(f"{len(doubled)} people with more than one claim")
    if len(submitted) != COUNT:
        problems.append(f"{COUNT - len(submitted)} drafts not submitted")
    events = TimelineEvent.objects.filter(action="submit").values("application").annotate(n=Count("pk"))
    if any(row["n"] != 1 for row in events):
        problems.append("a claim with more than one 申报提交 in its timeline")
    return problems


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to PostgreSQL: the bench measures the hall as deployed.")
    from django.conf import settings

    with scratch_database("submissions"):
        started = time.perf_counter()
        drafts = make_drafts(COUNT)
        made(f"{COUNT} applicants with a complete draft and a token", started)
        url = scratch_database_url(connection)
        connection.close()
        with served(url, port=PORT, media_root=str(settings.MEDIA_ROOT)) as base:
            bare = wrk(base, "/offline/", {}, seconds=8)["rate"]
            started = time.perf_counter()
            with ThreadPoolExecutor(AT_ONCE) as pool:
                statuses = list(pool.map(lambda d: submit(base, d), [d for d in drafts for _tap in (1, 2)]))
            seconds = time.perf_counter() - started
        rate = COUNT / seconds
        answers = {status: statuses.count(status) for status in set(statuses)}
        print(
            f"{COUNT} submissions (each sent twice at once, {AT_ONCE} requests at a time) in "
            f"{seconds:.1f} s: {rate:.1f} a second; answers {answers}"
        )
        print(f"bare page {bare:.0f} req/s: submissions at {rate / bare:.2f} × bare (goal ≥ {GOAL})")
        problems = held()
        print("one claim per person held" if not problems else "NOT HELD: " + "; ".join(problems))
    sys.exit(0 if not problems and rate / bare >= GOAL else 1)


if __name__ == "__main__":
    main()
