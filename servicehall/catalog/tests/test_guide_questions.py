"""常见问题: every published service's guide answers its common questions (issue 17), in new
databases (0002 loads them) and in databases loaded before (0004 adds the missing ones)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from servicehall.catalog import content
from servicehall.catalog.models import GuideQuestion, Service

pytestmark = pytest.mark.django_db
migration = importlib.import_module("servicehall.catalog.migrations.0004_guide_questions_for_every_service")


def test_every_service_in_the_committed_content_has_questions():
    assert all(row["questions"] for row in content.read()["services"])


def test_every_published_service_has_at_least_one_question():
    published = Service.objects.filter(is_published=True)
    assert published.exists()
    assert not published.filter(questions__isnull=True).exists()


def test_every_published_guide_shows_its_common_questions(client):
    for service in Service.objects.filter(is_published=True).prefetch_related("questions"):
        page = client.get(reverse("catalog:guide", args=[service.code])).content.decode()
        assert '<h2 id="faq-title">常见问题</h2>' in page, service.code
        for item in service.questions.all():
            assert item.question in page, (service.code, item.question)


def _add_missing():
    migration.add_missing_questions(apps, SimpleNamespace(connection=connection))


def test_the_migration_adds_only_the_questions_an_older_database_lacks():
    GuideQuestion.objects.filter(service_id__in=["ss-card-status", "professional-title"]).delete()
    kept = GuideQuestion.objects.filter(service_id="unpaid-wage-report")
    kept.exclude(pk=kept.first().pk).delete()
    kept.update(question="运营人员改过的问题")
    before_elsewhere = set(GuideQuestion.objects.exclude(
        service_id__in=["ss-card-status", "professional-title"]).values_list("pk", "question"))

    _add_missing()

    by_code = {row["code"]: row["questions"] for row in content.read()["services"]}
    for code in ("ss-card-status", "professional-title"):
        added = GuideQuestion.objects.filter(service_id=code).values("question", "answer")
        assert list(added) == by_code[code]
    # An operator's own question stays alone, and nothing else changes.
    operators = GuideQuestion.objects.filter(service_id="unpaid-wage-report")
    assert list(operators.values_list("question", flat=True)) == ["运营人员改过的问题"]
    assert before_elsewhere <= set(GuideQuestion.objects.values_list("pk", "question"))

    count = GuideQuestion.objects.count()
    _add_missing()
    assert GuideQuestion.objects.count() == count
