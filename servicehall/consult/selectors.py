"""Reads of questions, each scoped to who asks: a person sees their own; the staff of an
organisation that answers questions see those sent to it."""

from django.db.models import Case, IntegerField, Value, When

from servicehall.accounts.models import Organisation
from servicehall.accounts.permissions import may
from servicehall.core.actions import Action
from servicehall.reference.selectors import JIANGSU_CODE

from .models import Question


def answering_organisation(city_code: str | None) -> Organisation | None:
    """Who answers a question asked with the hall set to `city_code` (切换地区): that city's HR
    bureau when the hall has one, else the province's department (the platform organisation
    of the province's code)."""
    bureaus = Organisation.objects.filter(is_active=True)
    if city_code and city_code != JIANGSU_CODE:
        found = bureaus.filter(kind=Organisation.Kind.BUREAU, region_id=city_code).order_by("pk").first()
        if found is not None:
            return found
    return bureaus.filter(kind=Organisation.Kind.PLATFORM).order_by("pk").first()


def question_list_for(actor):
    if getattr(actor, "is_person", False):
        return Question.objects.filter(asker=actor).select_related("service")
    if may(actor, Action.ANSWER_QUESTIONS) and actor.organisation_id:
        return Question.objects.filter(organisation_id=actor.organisation_id).select_related(
            "service", "asker", "answered_by"
        )
    return Question.objects.none()


def question_get_for(actor, pk) -> Question:
    """Raises Question.DoesNotExist for anyone the question is not for."""
    return question_list_for(actor).get(pk=pk)


def waiting_count_for(actor) -> int:
    return question_list_for(actor).filter(status=Question.Status.WAITING).count()


def question_queue_for(actor):
    """The questions for the officer's organisation: waiting ones first, earliest due first."""
    waiting_first = Case(
        When(status=Question.Status.WAITING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return question_list_for(actor).order_by(waiting_first, "due_at", "pk")
