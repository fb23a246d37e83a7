"""Reads of cards, outlets and imports, each scoped to who asks: a person sees only the card
issued to their own ID number; anyone sees the active 即时制卡网点; import batches are for
operators."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from servicehall.accounts.permissions import may
from servicehall.core.actions import Action
from servicehall.reference.models import Bank, Region
from servicehall.reference.selectors import JIANGSU_CODE, reference_row

from .models import CardImportBatch, CardOutlet, CardRecheckRequest, OutletImportBatch, SocialSecurityCard

VERIFY_SALT = "cards.verify"
VERIFY_LIFETIME = timedelta(minutes=10)

NO_CARD = "no_card"
FINANCIAL_INACTIVE = "financial_inactive"
LOST = "lost"
CANCELLED = "cancelled"


def best_card(cards) -> SocialSecurityCard | None:
    """Of one person's cards, the one the hall pays to: a normal one first, then the newest."""
    return min(
        cards,
        key=lambda c: (c.status != SocialSecurityCard.Status.NORMAL, -c.issued_on.toordinal(), -c.pk),
        default=None,
    )


def card_for_person(user) -> SocialSecurityCard | None:
    """The card issued to the person's ID number: a normal one first, then the newest. A person
    has a card or two, so they are ordered here, and the bank comes from the kept copy of the
    banks (reference.selectors.reference_row): the application form asks on every view, and
    compiling an ordered, annotated join cost more than running it."""
    index = getattr(user, "id_number_index", None)
    if not getattr(user, "is_authenticated", False) or not index:
        return None
    card = best_card(SocialSecurityCard.objects.filter(id_number_index=index))
    if card is None:
        return None
    bank = reference_row(Bank, card.bank_id)
    if bank is not None:
        card.bank = bank
    return card


@dataclass(frozen=True)
class CardPaymentStatus:
    """Whether the subsidy can be paid to the person's card, and if not, why (a code the card
    help include `cards/_card_help.html` explains)."""

    ok: bool
    card: SocialSecurityCard | None
    problem: str | None  # "no_card" | "financial_inactive" | "lost" | "cancelled" | None


def card_payment_status(user) -> CardPaymentStatus:
    return payment_status_of(card_for_person(user))


def payment_status_of(card: SocialSecurityCard | None) -> CardPaymentStatus:
    """Whether this card (a person's best_card, or None) can receive the subsidy, and why not."""
    if card is None:
        return CardPaymentStatus(False, None, NO_CARD)
    if card.status == SocialSecurityCard.Status.CANCELLED:
        return CardPaymentStatus(False, card, CANCELLED)
    if card.status == SocialSecurityCard.Status.REPORTED_LOST:
        return CardPaymentStatus(False, card, LOST)
    if not card.financial_active:
        return CardPaymentStatus(False, card, FINANCIAL_INACTIVE)
    return CardPaymentStatus(True, card, None)


# --- The QR code on 电子社保卡 ------------------------------------------------------------------

def verify_token_for(card: SocialSecurityCard) -> str:
    """A signed, timestamped token naming the card; it says nothing else."""
    return signing.dumps({"card": card.pk}, salt=VERIFY_SALT, compress=False)


@dataclass(frozen=True)
class VerifyResult:
    state: str  # "ok", "expired" or "invalid"
    card: SocialSecurityCard | None = None


def card_from_verify_token(token: str) -> VerifyResult:
    try:
        payload = signing.loads(token[:200], salt=VERIFY_SALT,
                                max_age=VERIFY_LIFETIME.total_seconds())
    except signing.SignatureExpired:
        return VerifyResult("expired")
    except (signing.BadSignature, ValueError, TypeError):
        return VerifyResult("invalid")
    card_id = payload.get("card") if isinstance(payload, dict) else None
    if not isinstance(card_id, int):
        return VerifyResult("invalid")
    card = SocialSecurityCard.objects.select_related("bank").filter(pk=card_id).first()
    if card is None:
        return VerifyResult("invalid")
    return VerifyResult("ok", card)


# --- Imports ----------------------------------------------------------------------------------

def _require_operator(actor) -> None:
    if not may(actor, Action.OPERATE):
        raise PermissionDenied


def batch_list_for(actor):
    _require_operator(actor)
    return CardImportBatch.objects.select_related("imported_by").defer("rejected_rows")


def batch_get_for(actor, batch_id: int) -> CardImportBatch:
    _require_operator(actor)
    return CardImportBatch.objects.select_related("imported_by").get(pk=batch_id)


def batch_same_file_before(batch):
    """An earlier import (of the same kind: cards or outlets) of a file with the same content,
    if any."""
    return (
        type(batch).objects.filter(sha256=batch.sha256, imported_at__lte=batch.imported_at)
        .exclude(pk=batch.pk).defer("rejected_rows").order_by("-imported_at", "-id").first()
    )


def outlet_batch_list_for(actor):
    _require_operator(actor)
    return OutletImportBatch.objects.select_related("imported_by").defer("rejected_rows")


def outlet_batch_get_for(actor, batch_id: int) -> OutletImportBatch:
    _require_operator(actor)
    return OutletImportBatch.objects.select_related("imported_by").get(pk=batch_id)


# --- 即时制卡网点 ---------------------------------------------------------------------------------

OUTLET_QUERY_MAX = 50


def outlet_districts(city: Region | None):
    """The counties of a Jiangsu city, for the district filter (none without a city)."""
    if city is None or city.parent_id != JIANGSU_CODE:
        return Region.objects.none()
    return Region.objects.filter(parent=city, level=Region.Level.COUNTY).order_by("code")


def outlet_search(*, city: Region | None = None, district: Region | None = None, query: str = "",
                  takes_photos: bool = False):
    """Active outlets, in city, district and name order: of a city, of a district, whose name or
    address contains `query`, and, when asked, only those that take photos on the spot."""
    outlets = CardOutlet.objects.filter(is_active=True).select_related("city", "district")
    if city is not None:
        outlets = outlets.filter(city=city)
    if district is not None:
        outlets = outlets.filter(district=district)
    query = " ".join(query.split())[:OUTLET_QUERY_MAX]
    if query:
        if any(ord(char) < 32 for char in query):  # control characters never match
            return CardOutlet.objects.none()
        for word in query.split(" "):
            outlets = outlets.filter(Q(name__icontains=word) | Q(address__icontains=word))
    if takes_photos:
        outlets = outlets.filter(takes_photos=True)
    return outlets.order_by("city_id", "district_id", "name", "id")


# --- 卡数据更新 and a person's request to be told ----------------------------------------------


@dataclass(frozen=True)
class CardListUpdates:
    """When the hall last imported the card system's list, and when the next is due
    (CARD_IMPORT_INTERVAL_DAYS after it). `late`: the next one is overdue."""

    last_at: datetime | None
    next_on: date | None
    late: bool


def card_list_updates(today: date | None = None) -> CardListUpdates:
    last_at = CardImportBatch.objects.order_by("-imported_at").values_list("imported_at", flat=True).first()
    if last_at is None:
        return CardListUpdates(None, None, False)
    today = today or timezone.localdate()
    next_on = timezone.localdate(last_at) + timedelta(days=settings.CARD_IMPORT_INTERVAL_DAYS)
    return CardListUpdates(last_at, next_on, next_on < today)


def card_recheck_open_for(user) -> CardRecheckRequest | None:
    """The person's request to be told after the next card import, while unanswered."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CardRecheckRequest.objects.filter(user=user, answered_at__isnull=True).first()
