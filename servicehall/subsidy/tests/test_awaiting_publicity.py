"""Issue 15: "学校公示中" began when the school approved, before any list was published, and
nothing told a school that forgot to publish. Now the school's approval leads to 待公示, with a
time limit in working days (GraduationYear.publish_days), and 已超期 on the school's queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.subsidy import publicity, review
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

from .test_review_pages import QUEUE, page_text, rows

pytestmark = pytest.mark.django_db


def test_approval_waits_in_awaiting_publicity_until_the_list_is_published(client, world, submitted, person):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    assert Application.objects.get(pk=submitted.pk).state == S.AWAITING_PUBLICITY

    client.force_login(person)
    case = page_text(client.get(reverse("subsidy:case", args=[submitted.pk])))
    assert "待公示" in case and "学校公示中" not in case

    publicity.publicity_publish(actor=world["school"], application_ids=[submitted.pk])
    application = Application.objects.get(pk=submitted.pk)
    assert application.state == S.PUBLICITY and application.publicity_id is not None
    published = application.timeline.last()
    assert (published.action, published.actor, published.organisation) == (
        "publish",
        world["school"],
        world["school"].organisation,
    )
    case = page_text(client.get(reverse("subsidy:case", args=[submitted.pk])))
    assert "学校公示中" in case and "发布公示" in case


def test_a_school_that_forgot_to_publish_is_told_it_is_overdue(client, world, submitted):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    client.force_login(world["school"])
    assert 'id="publish-overdue"' not in page_text(client.get(QUEUE))
    Application.objects.filter(pk=submitted.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=20)
    )
    queue = page_text(client.get(QUEUE))
    assert 'id="publish-overdue"' in queue and "有 1 笔申请已通过学校审核" in queue
    to_publish = client.get(QUEUE, {"tab": "to_publish"})
    assert rows(to_publish) == [submitted.record_number]
    assert "已超期" in page_text(to_publish)
