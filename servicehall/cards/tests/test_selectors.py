"""Finding a person's card through the ID-number index, and whether it can receive money."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from servicehall.cards import services
from servicehall.cards.selectors import card_for_person, card_payment_status

from .factories import OTHER_ID

pytestmark = pytest.mark.django_db


def give_card(person, **overrides):
    args = {
        "id_number": person.id_number, "name": person.name, "card_number": "D90000001",
        "generation": 3, "bank": "102", "account": "6212260000000000011",
        "financial_active": True, "status": "normal", "issued_on": date(2024, 9, 1),
    }
    args.update(overrides)
    return services.card_upsert(**args).card


def test_the_card_is_found_by_the_id_number_index(person):
    assert card_for_person(person) is None
    give_card(person, id_number=OTHER_ID, name="王小红")  # someone else's
    assert card_for_person(person) is None
    mine = give_card(person, card_number="D90000002")
    assert card_for_person(person).pk == mine.pk


def test_a_normal_card_wins_over_a_newer_unusable_one_then_the_newest(person):
    old = give_card(person, card_number="D90000001", generation=2, issued_on=date(2018, 1, 5))
    give_card(person, card_number="D90000002", status="cancelled", issued_on=date(2025, 1, 1))
    assert card_for_person(person).pk == old.pk
    newer = give_card(person, card_number="D90000003", issued_on=date(2024, 9, 1))
    assert card_for_person(person).pk == newer.pk


def test_nobody_without_an_id_number_has_a_card(operator):
    assert card_for_person(operator) is None
    assert card_for_person(AnonymousUser()) is None
    status = card_payment_status(operator)
    assert (status.ok, status.card, status.problem) == (False, None, "no_card")


@pytest.mark.parametrize(("overrides", "problem"), [
    ({}, None),
    ({"financial_active": False}, "financial_inactive"),
    ({"status": "reported_lost"}, "lost"),
    ({"status": "reported_lost", "financial_active": False}, "lost"),
    ({"status": "cancelled"}, "cancelled"),
])
def test_payment_status_names_the_problem(person, overrides, problem):
    card = give_card(person, **overrides)
    status = card_payment_status(person)
    assert status.problem == problem
    assert status.ok is (problem is None)
    assert status.card.pk == card.pk


def test_no_card_at_all(person):
    status = card_payment_status(person)
    assert (status.ok, status.card, status.problem) == (False, None, "no_card")
