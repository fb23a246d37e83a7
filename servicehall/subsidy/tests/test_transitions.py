"""transition_many: the one way many applications change state at once (the school's 批量通过,
发布公示, a payment batch's approval, a bank return): only the moves the table allows, only rows
still in the state they move from, one timeline row each, queries by chunk not by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicehall.core.errors import DomainError
from servicehall.subsidy import transitions
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application, TimelineEvent
from servicehall.subsidy.transitions import transition_many

from .test_review_pages import clone

pytestmark = pytest.mark.django_db


def _school_approves(world) -> dict:
    """The school reviewer's approval, as transition_many and transition_all take it."""
    return {
        "action": "approve",
        "who": "school",
        "from_state": S.SCHOOL_REVIEW,
        "actor_id": world["school"].pk,
        "organisation_id": world["school"].organisation_id,
    }


def _approve(ids, world, **kwargs):
    return transition_many(application_ids=ids, **_school_approves(world), **kwargs)


def test_only_rows_in_the_from_state_move_each_with_its_timeline_row(world, submitted):
    waiting = clone(submitted, 3, start=1)
    elsewhere = clone(submitted, 1, state=S.FIRST_REVIEW, start=10)[0]
    ids = [elsewhere.pk, *(a.pk for a in waiting)]
    moved = _approve(ids, world, opinion="符合条件")
    assert moved == [a.pk for a in waiting]
    assert set(Application.objects.filter(pk__in=moved).values_list("state", flat=True)) == {
        S.AWAITING_PUBLICITY
    }
    assert Application.objects.get(pk=elsewhere.pk).state == S.FIRST_REVIEW
    events = TimelineEvent.objects.filter(application_id__in=ids)
    assert sorted(events.values_list("application_id", flat=True)) == sorted(moved)
    event = events.first()
    assert (event.action, event.from_state, event.to_state, event.opinion, event.actor_id) == (
        "approve",
        S.SCHOOL_REVIEW,
        S.AWAITING_PUBLICITY,
        "符合条件",
        world["school"].pk,
    )


def test_an_opinion_per_application(world, submitted):
    one, two = clone(submitted, 2, start=1)
    _approve([one.pk, two.pk], world, opinion={one.pk: "甲", two.pk: "乙"})
    said = dict(TimelineEvent.objects.values_list("application_id", "opinion"))
    assert (said[one.pk], said[two.pk]) == ("甲", "乙")


def test_a_move_the_table_does_not_allow_is_refused(world, submitted):
    with pytest.raises(DomainError) as refused:
        transition_many(
            application_ids=[submitted.pk],
            action="approve",
            who="school",
            from_state=S.PAID,
            actor_id=None,
            organisation_id=None,
        )
    assert refused.value.code == "wrong_state"
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


def test_queries_grow_with_chunks_not_rows(world, submitted, monkeypatch):
    monkeypatch.setattr(transitions, "CHUNK", 100)
    few = [a.pk for a in clone(submitted, 10, start=1)]
    many = [a.pk for a in clone(submitted, 300, start=100)]
    with CaptureQueriesContext(connection) as ten:
        assert len(_approve(few, world)) == 10
    with CaptureQueriesContext(connection) as three_hundred:
        assert len(_approve(many, world)) == 300
    assert len(three_hundred) == 3 * len(ten)  # three chunks of 100, one of 10
    assert TimelineEvent.objects.filter(application_id__in=many).count() == 300


def test_transition_all_moves_what_a_queryset_names_in_three_statements(world, submitted):
    """transition_all: the ids come from the database (a batch's lines, say); the move, the
    timeline rows and the schools whose queues it changed are three statements whatever the
    number, and only the rows it moved get a row, not one that was already in the state moved
    to."""
    waiting = clone(submitted, 30, start=1)
    elsewhere = clone(submitted, 1, state=S.FIRST_REVIEW, start=50)[0]
    already = clone(submitted, 1, state=S.AWAITING_PUBLICITY, start=60)[0]
    named = Application.objects.filter(pk__in=[a.pk for a in (*waiting, elsewhere, already)]).values("pk")
    with CaptureQueriesContext(connection) as statements:
        approval = _school_approves(world)
        moved = transitions.transition_all(application_ids=named, **approval, opinion="符合条件")
    assert moved == 30
    assert len(statements) == 3
    events = TimelineEvent.objects.filter(application_id__in=named)
    assert sorted(events.values_list("application_id", flat=True)) == sorted(a.pk for a in waiting)
    assert set(events.values_list("action", "from_state", "to_state", "opinion", "actor_id")) == {
        ("approve", S.SCHOOL_REVIEW, S.AWAITING_PUBLICITY, "符合条件", world["school"].pk)
    }
    assert Application.objects.get(pk=elsewhere.pk).state == S.FIRST_REVIEW
