"""/readyz says whether a node can serve: 503 while the cluster's Redis is stopped, 200 when it is
back. Meanwhile no submission is lost: one made just before stays made, one tried during the outage
is refused plainly (503, the draft and its document kept) and goes through when tried again, and
every submission is told to its applicant exactly once."""

import pytest
import requests

from .helpers import NGINX, NODE_A, NODE_B, api_session, new_applicant, run_cluster, wait_for
from .journeys import png_bytes, start_and_fill, submit, upload_and_attach

APPLICANTS = 6


def _ready(base: str) -> int:
    return requests.get(base + "/readyz", timeout=10).status_code


@pytest.fixture
def redis_back():
    yield
    run_cluster("restart", "redis")


def _told_once(applicant, record_number: str) -> bool:
    from servicehall.core.crypto import blind_index
    from servicehall.messaging.models import SmsMessage, SmsStatus

    messages = [
        m for m in SmsMessage.objects.filter(mobile_index=blind_index(applicant["mobile"], purpose="mobile"))
        if record_number in m.text
    ]
    assert len(messages) <= 1, [m.text for m in messages]
    return bool(messages) and messages[0].status == SmsStatus.SENT


def test_readyz_follows_redis_and_no_submission_is_lost(redis_back):
    from servicehall.subsidy.models import Application

    for base in (NGINX, NODE_A, NODE_B):
        assert _ready(base) == 200
    people = [new_applicant() for _ in range(APPLICANTS)]
    apps = [api_session(NGINX, person["mobile"]) for person in people]
    drafts = []
    for app in apps:
        draft = start_and_fill(app, NGINX)
        upload_and_attach(app, NGINX, draft, png_bytes())
        drafts.append(draft)
    # The first submits just before Redis stops; its follow-up work is in the queue.
    first = submit(apps[0], NGINX, drafts[0])
    assert first.status_code == 200, first.text

    run_cluster("kill", "redis")
    wait_for(lambda: _ready(NODE_A) == 503 and _ready(NODE_B) == 503, what="both nodes not ready")
    answer = requests.get(NODE_A + "/readyz", headers={"Accept": "application/json"}, timeout=10)
    assert "Redis" in answer.text, answer.text

    for app, draft in zip(apps[1:], drafts[1:], strict=True):
        refused = submit(app, NGINX, draft)
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "unavailable" and refused.headers["Retry-After"]
    assert not Application.objects.filter(
        pk__in=[d["application"]["id"] for d in drafts[1:]], record_number__isnull=False
    ).exists()

    run_cluster("restart", "redis")
    wait_for(lambda: _ready(NGINX) == 200, what="ready again")
    for app, draft in zip(apps[1:], drafts[1:], strict=True):
        again = submit(app, NGINX, draft)
        assert again.status_code == 200, again.text

    submitted = {
        a.pk: a.record_number
        for a in Application.objects.filter(pk__in=[d["application"]["id"] for d in drafts])
    }
    assert len(submitted) == APPLICANTS and all(submitted.values())
    assert all(
        a.state == "school_review" for a in Application.objects.filter(pk__in=submitted)
    )
    # The sweeps the scheduler runs every few minutes, run now: whatever the stop dropped is done.
    from django.core.management import call_command

    call_command("sweep_sms")
    for person, draft in zip(people, drafts, strict=True):
        record = submitted[draft["application"]["id"]]
        wait_for(lambda p=person, r=record: _told_once(p, r), timeout=90, what=f"SMS for {record}")
