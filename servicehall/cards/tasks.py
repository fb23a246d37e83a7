"""Background work for cards: answering the people who asked to be told when the card list
changes, once an import has committed."""

from django_tasks import task

from . import rechecks


@task()
def answer_card_rechecks(batch_id: int) -> int:
    return rechecks.card_rechecks_answer(batch_id=batch_id)
