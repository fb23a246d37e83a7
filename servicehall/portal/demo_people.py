"""The demo's people with a real-name account and a social security card (make run only)."""

from servicehall.accounts import services as accounts
from servicehall.accounts.models import IdType
from servicehall.accounts.selectors import user_find_by_mobile
from servicehall.cards.services import demo_card_for

from . import demo


def demo_person_load(person: dict) -> None:
    """`person` (demo.APPLICANT, demo.GRADUATE) with a verified account, unless their mobile has
    one already, and a usable card."""
    if user_find_by_mobile(person["mobile"]) is None:
        accounts.person_create_verified(
            id_type=IdType.RESIDENT,
            id_number=person["id_number"],
            name=person["name"],
            mobile=person["mobile"],
            password=demo.DEMO_PASSWORD,
        )
    demo_card_for(id_number=person["id_number"], name=person["name"])
