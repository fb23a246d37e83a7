"""What the hall finds for each listed graduate: the same rules, sentences and registries as the
cross-checks of an application (verification.rules), asked for every category in force for the
graduation year, and the card registry's answer (cards.selectors.payment_status_of). Pure: the
rows come in, the results go out; runs.py reads and writes them a chunk at a time."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from servicehall.cards.models import SocialSecurityCard
from servicehall.cards.selectors import best_card, payment_status_of
from servicehall.verification import rules
from servicehall.verification.selectors import Registries

from .models import MatchState


@dataclass(frozen=True)
class Listed:
    """What matching needs of a listed graduate."""

    pk: int
    id_number_index: str
    name_index: str


@dataclass(frozen=True)
class Result:
    pk: int
    match: str
    category_code: str = ""
    said: rules.Sentence | None = None
    card_problem: str = ""


def match_one(
    person: Listed,
    categories: list[str],
    registries: Registries,
    found: dict,
    on_date: date,
    card_problem: str,
) -> Result:
    """The first category in force whose registry proves it (category_in_registry passed) makes a
    match, unless the person was insured as an employee or paid the subsidy before (the blocking
    rules an application would fail): then the person is not invited, and the result says why."""
    evidence = registries.evidence(found)
    for code in categories:
        claim = rules.Claim(person.id_number_index, person.name_index, code, on_date)
        finding = rules.category_in_registry(claim, evidence)
        if not finding.passed:
            continue
        for rule in (rules.not_granted_before, rules.not_employed_on_date):
            blocking = rule(claim, evidence)
            if blocking.outcome == "failed":
                return Result(person.pk, MatchState.EXCLUDED, code, blocking.said, card_problem)
        return Result(person.pk, MatchState.MATCHED, code, finding.said, card_problem)
    return Result(person.pk, MatchState.NOT_MATCHED, card_problem=card_problem)


def card_problems(id_indexes: list[str]) -> dict[str, str]:
    """{id_number_index: "" when the subsidy can be paid to the person's card, else why not}."""
    cards = defaultdict(list)
    for card in SocialSecurityCard.objects.filter(id_number_index__in=id_indexes).only(
        "pk", "id_number_index", "status", "financial_active", "issued_on"
    ):
        cards[card.id_number_index].append(card)
    return {index: payment_status_of(best_card(cards.get(index, []))).problem or "" for index in id_indexes}


def match_chunk(
    people: list[Listed], *, categories: list[str], registries: Registries, on_date: date
) -> list[Result]:
    indexes = [person.id_number_index for person in people]
    found = registries.entries_for(indexes)
    problems = card_problems(indexes)
    return [
        match_one(
            person,
            categories,
            registries,
            found.get(person.id_number_index),
            on_date,
            problems[person.id_number_index],
        )
        for person in people
    ]
