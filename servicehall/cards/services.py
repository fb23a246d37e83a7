"""Every write about social security cards: one card from the card system's data, an import of
the card system's export (IMPORT_FORMAT.md), the demo applicant's card, and the 即时制卡网点
(their import and the demo outlets)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.permissions import may
from servicehall.audit.services import audit_record
from servicehall.core import wording
from servicehall.core.actions import Action
from servicehall.core.crypto import blind_index
from servicehall.core.errors import DomainError
from servicehall.reference.models import Bank

from . import importing, signals
from .importing import COLUMN_LABEL, OUTLET_COLUMN_LABEL, OUTLET_LAYOUT, CardValues, OutletValues
from .models import CardImportBatch, CardOutlet, CardRecheckRequest, OutletImportBatch, SocialSecurityCard

if TYPE_CHECKING:
    import datetime

    from django.core.files.uploadedfile import UploadedFile

    from servicehall.accounts.models import User

# Problems kept for the report: enough to fix a file, not a copy of a broken one.
MAX_REPORTED_PROBLEMS = 1000
WRITE_CHUNK = 500
COMPARED_FIELDS = ["id_number", "name", "generation", "bank_id", "account", "financial_active",
                   "status", "issued_on"]
SAVED_FIELDS = [*COMPARED_FIELDS, "id_number_index", "import_batch", "updated_at"]


class CardSaved(NamedTuple):
    card: SocialSecurityCard
    outcome: str  # "created", "updated" or "unchanged"


def card_number_index(card_number: str) -> str:
    return blind_index(card_number, purpose="card_number")


def id_number_index(id_number: str) -> str:
    return blind_index(id_number, purpose="id_number")


def _wanted(values: CardValues) -> dict:
    return {
        "id_number": values.id_number, "name": values.name, "generation": values.generation,
        "bank_id": values.bank.pk, "account": values.account,
        "financial_active": values.financial_active, "status": values.status,
        "issued_on": values.issued_on,
    }


def _differs(card: SocialSecurityCard, wanted: dict) -> bool:
    return any(getattr(card, name) != value for name, value in wanted.items())


def _apply(card: SocialSecurityCard, wanted: dict, batch) -> None:
    for name, value in wanted.items():
        setattr(card, name, value)
    card.id_number_index = id_number_index(wanted["id_number"])
    card.import_batch = batch
    card.updated_at = timezone.now()


def card_upsert(
    *, id_number: str, name: str, card_number: str, generation: int | str, bank: Bank | str, account: str,
    financial_active: bool | str, status: str, issued_on: datetime.date | str,
    batch: CardImportBatch | None = None,
) -> CardSaved:
    """Create or update the card with this card number (the card system's key). Values are
    checked as an import checks them; the first problem is raised as a DomainError whose field
    is the argument's name. A card whose values are all the same is left untouched."""
    values, problems = importing.check_values({
        "id_number": id_number, "name": name, "card_number": card_number,
        "generation": generation, "bank": bank, "account": account,
        "financial_active": financial_active, "status": status, "issued_on": issued_on,
    })
    if problems:
        raise problems[0]
    return _save(values, batch=batch)


def _save(values: CardValues, *, batch, retry: bool = True) -> CardSaved:
    index = card_number_index(values.card_number)
    wanted = _wanted(values)
    try:
        with transaction.atomic():
            card = SocialSecurityCard.objects.select_for_update().filter(
                card_number_index=index).first()
            if card is None:
                card = SocialSecurityCard(card_number=values.card_number, card_number_index=index)
                _apply(card, wanted, batch)
                card.save()
                return CardSaved(card, "created")
            if not _differs(card, wanted):
                return CardSaved(card, "unchanged")
            _apply(card, wanted, batch)
            card.save()
            return CardSaved(card, "updated")
    except IntegrityError:
        if not retry:
            raise
        # The same card number was created a moment ago by someone else: now it is an update.
        return _save(values, batch=batch, retry=False)


# --- Import -----------------------------------------------------------------------------------


class _Rows(NamedTuple):
    """How one kind of import file checks its rows (cards, outlets)."""

    check: Callable  # raw row -> (values or None, [DomainError, ...])
    key: Callable  # values -> what may appear once in a file
    problem: Callable  # (line, field name, message, value) -> a report row
    repeated_field: str
    repeated: Callable  # the earlier line -> the message for a repeated row


def _row_problems(rows: _Rows, line: int, raw: dict, earlier: int | None) -> list[dict]:
    """A rejected row's problems, worded in the active language (wording.worded_rows asks once
    per language)."""
    _values, errors = rows.check(raw)
    found = [rows.problem(line, error.fields[0], error.message, raw.get(error.fields[0])) for error in errors]
    if earlier is not None:
        field_name = rows.repeated_field
        found.append(rows.problem(line, field_name, rows.repeated(earlier), raw.get(field_name)))
    return found


def _check_table(table, rows: _Rows) -> tuple[list[tuple[int, object]], list[dict], int]:
    """Good rows, problems (line, column, reason, each reason in every language) and how many rows
    were rejected."""
    good: list[tuple[int, object]] = []
    problems: list[dict] = []
    rejected = 0
    first_line: dict = {}
    for line, raw in table.rows:
        values, errors = rows.check(raw)
        earlier = None
        if values is not None:
            earlier = first_line.setdefault(rows.key(values), line)
            earlier = None if earlier == line else earlier
        if errors or earlier is not None:
            rejected += 1
            if len(problems) < MAX_REPORTED_PROBLEMS:
                problems.extend(wording.worded_rows(partial(_row_problems, rows, line, raw, earlier)))
        else:
            good.append((line, values))
    return good, problems, rejected


def _problem(line: int, field_name: str, message, value) -> dict:
    return {"line": line, "column": str(COLUMN_LABEL[field_name]), "reason": str(message),
            "value": importing.safe_value(field_name, value)}


def _check_rows(table) -> tuple[list[tuple[int, CardValues]], list[dict], int]:
    """Good rows, problems (line, column, reason) and how many rows were rejected. A card
    number twice: the first row is kept."""
    return _check_table(table, _Rows(
        check=partial(importing.check_values, banks=importing.bank_lookup()),
        key=lambda values: values.card_number,
        problem=_problem,
        repeated_field="card_number",
        repeated=lambda earlier: _("与第%(line)s行的社会保障卡号重复，本行未导入") % {"line": earlier},
    ))


def _write_rows(good: list[tuple[int, CardValues]], batch: CardImportBatch) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for start in range(0, len(good), WRITE_CHUNK):
        chunk = [(card_number_index(values.card_number), values)
                 for _line, values in good[start:start + WRITE_CHUNK]]
        existing = {
            card.card_number_index: card
            for card in SocialSecurityCard.objects.select_for_update().filter(
                card_number_index__in=[index for index, _values in chunk])
        }
        new, changed = [], []
        for index, values in chunk:
            wanted = _wanted(values)
            card = existing.get(index)
            if card is None:
                card = SocialSecurityCard(card_number=values.card_number, card_number_index=index)
                _apply(card, wanted, batch)
                new.append(card)
            elif _differs(card, wanted):
                _apply(card, wanted, batch)
                changed.append(card)
            else:
                counts["unchanged"] += 1
        SocialSecurityCard.objects.bulk_create(new)
        SocialSecurityCard.objects.bulk_update(changed, SAVED_FIELDS)
        counts["created"] += len(new)
        counts["updated"] += len(changed)
    return counts


def _require_operator(actor) -> None:
    if not may(actor, Action.OPERATE):
        raise PermissionDenied


def _batch_done(batch, counts: dict, *, actor, action: str, client_address: str) -> None:
    """Store what an import wrote on its batch, and record the import in the audit trail."""
    batch.created_count = counts["created"]
    batch.updated_count = counts["updated"]
    batch.unchanged_count = counts["unchanged"]
    batch.save(update_fields=["created_count", "updated_count", "unchanged_count"])
    audit_record(
        actor=actor,
        action=action,
        target=batch,
        client_address=client_address,
        detail={
            "rows": batch.row_count,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "rejected": batch.rejected_count,
        },
    )


def _answer_rechecks_after_commit(batch_id: int) -> None:
    """Whoever asked to be told when the card list changes hears what this import says (a task,
    queued only when somebody waits)."""
    from .tasks import answer_card_rechecks

    if CardRecheckRequest.objects.filter(answered_at__isnull=True).exists():
        transaction.on_commit(lambda: answer_card_rechecks.enqueue(batch_id))


def card_import(*, actor: User, uploaded_file: UploadedFile, client_address: str = "") -> CardImportBatch:
    """Import the card system's export (CSV or .xlsx, IMPORT_FORMAT.md). Good rows are saved,
    bad ones reported in the batch and skipped; cards not in the file are left alone. A file
    that is not such a table is refused as a whole with a DomainError on the "file" field."""
    _require_operator(actor)
    filename, data = importing.read_upload(uploaded_file)
    table = importing.read_table(data, filename=filename)
    good, problems, rejected = _check_rows(table)
    try:
        with transaction.atomic():
            batch = CardImportBatch.objects.create(
                imported_by=actor, filename=filename, sha256=hashlib.sha256(data).hexdigest(),
                row_count=len(table.rows), rejected_count=rejected,
                rejected_rows=problems[:MAX_REPORTED_PROBLEMS],
            )
            counts = _write_rows(good, batch)
            _batch_done(batch, counts, actor=actor, action="cards.import", client_address=client_address)
            _answer_rechecks_after_commit(batch.pk)
            if batch.created_count or batch.updated_count:
                transaction.on_commit(lambda: signals.cards_changed.send(
                    sender=CardImportBatch, batch=batch,
                    created=batch.created_count, updated=batch.updated_count,
                ))
    except IntegrityError as exc:  # another import wrote the same cards at the same moment
        raise DomainError(_("另一次导入正在写入相同的卡片，请稍后重新导入该文件"),
                          code="import_conflict", fields=("file",)) from exc
    return batch


# --- Demo -------------------------------------------------------------------------------------

DEMO_BANK_CODE = "102"


def demo_card_for(*, id_number: str, name: str) -> SocialSecurityCard:
    """The demo applicant's card: third generation, normal, financial function open, at a demo
    bank. Its numbers come from the ID number, so calling this again changes nothing."""
    digest = hashlib.sha256(("demo-card:" + id_number).encode()).hexdigest()
    digits = str(int(digest, 16))
    bank = Bank.objects.filter(pk=DEMO_BANK_CODE).first() or Bank.objects.order_by("order", "code").first()
    if bank is None:
        raise DomainError(_("尚未载入社会保障卡合作银行数据"), code="no_bank")
    saved = card_upsert(
        id_number=id_number, name=name, card_number="J" + digits[:8], generation=3, bank=bank,
        account="6212" + digits[8:23], financial_active=True,
        status=SocialSecurityCard.Status.NORMAL, issued_on=date(2024, 9, 1),
    )
    return saved.card


# --- 即时制卡网点 ---------------------------------------------------------------------------------

OUTLET_COMPARED_FIELDS = ["city_id", "district_id", "name", "address", "hours", "phone",
                          "takes_photos", "is_demo"]
OUTLET_SAVED_FIELDS = [*OUTLET_COMPARED_FIELDS, "import_batch", "updated_at"]


def _outlet_wanted(values: OutletValues, *, is_demo: bool) -> dict:
    return {
        "city_id": values.city.pk, "district_id": values.district.pk if values.district else None,
        "name": values.name, "address": values.address, "hours": values.hours,
        "phone": values.phone, "takes_photos": values.takes_photos, "is_demo": is_demo,
    }


def _outlet_problem(line: int, field_name: str, message, value) -> dict:
    return {"line": line, "column": str(OUTLET_COLUMN_LABEL[field_name]), "reason": str(message),
            "value": importing.safe_value(field_name, value)}


def _check_outlet_rows(table) -> tuple[list[tuple[int, OutletValues]], list[dict], int]:
    """Good rows, problems and how many rows were rejected. An outlet is its city and name: a
    second row for the same one is reported, the first kept."""
    return _check_table(table, _Rows(
        check=partial(importing.check_outlet_values, regions=importing.JiangsuRegions()),
        key=lambda values: (values.city.pk, values.name),
        problem=_outlet_problem,
        repeated_field="name",
        repeated=lambda earlier: _("与第%(line)s行是同一城市的同名网点，本行未导入") % {"line": earlier},
    ))


def _write_outlets(values_list: list[OutletValues], *, batch: OutletImportBatch | None,
                   is_demo: bool) -> dict[str, int]:
    """Create each outlet that is new (by city and name), update those whose values differ, and
    leave the others untouched. `is_active` is never changed here: an outlet an operator has
    stopped stays stopped."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    if not values_list:
        return counts
    # Outlets of the file's cities (at most 13 cities, a few hundred outlets), locked until
    # the end of the import's transaction.
    existing = {
        (outlet.city_id, outlet.name): outlet
        for outlet in CardOutlet.objects.select_for_update().filter(
            city_id__in={values.city.pk for values in values_list})
    }
    now = timezone.now()
    new, changed = [], []
    for values in values_list:
        wanted = _outlet_wanted(values, is_demo=is_demo)
        outlet = existing.get((values.city.pk, values.name))
        if outlet is None:
            new.append(CardOutlet(**wanted, import_batch=batch, created_at=now, updated_at=now))
        elif any(getattr(outlet, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(outlet, name, value)
            outlet.import_batch = batch if batch is not None else outlet.import_batch
            outlet.updated_at = now
            changed.append(outlet)
        else:
            counts["unchanged"] += 1
    CardOutlet.objects.bulk_create(new, batch_size=WRITE_CHUNK)
    CardOutlet.objects.bulk_update(changed, OUTLET_SAVED_FIELDS, batch_size=WRITE_CHUNK)
    counts["created"] += len(new)
    counts["updated"] += len(changed)
    return counts


def outlet_import(*, actor: User, uploaded_file: UploadedFile, client_address: str = "") -> OutletImportBatch:
    """Import the table of 即时制卡网点 (CSV or .xlsx, IMPORT_FORMAT.md): good rows create or
    update the outlet with that city and name, bad ones are reported in the batch and skipped;
    outlets not in the file are left alone. A file that is not such a table is refused as a
    whole with a DomainError on the "file" field."""
    _require_operator(actor)
    filename, data = importing.read_upload(uploaded_file)
    table = importing.read_table(data, filename=filename, layout=OUTLET_LAYOUT)
    good, problems, rejected = _check_outlet_rows(table)
    try:
        with transaction.atomic():
            batch = OutletImportBatch.objects.create(
                imported_by=actor, filename=filename, sha256=hashlib.sha256(data).hexdigest(),
                row_count=len(table.rows), rejected_count=rejected,
                rejected_rows=problems[:MAX_REPORTED_PROBLEMS],
            )
            counts = _write_outlets([values for _line, values in good], batch=batch,
                                    is_demo=False)
            _batch_done(
                batch, counts, actor=actor, action="cards.outlet_import", client_address=client_address
            )
    except IntegrityError as exc:  # another import created the same outlet at the same moment
        raise DomainError(
            _("另一次导入正在写入相同的网点，请稍后重新导入该文件"), code="import_conflict", fields=("file",)
        ) from exc
    return batch


# Demo outlets: (city, district, takes photos). Every name ends in （演示）, every address is on
# an invented 演示路, and the only number given is the 12333 hotline.
DEMO_OUTLETS = [
    ("南京市", "玄武区", True),
    ("南京市", "鼓楼区", False),
    ("南京市", "江宁区", True),
    ("无锡市", "梁溪区", True),
    ("无锡市", "江阴市", False),
    ("徐州市", "云龙区", True),
    ("常州市", "天宁区", False),
    ("苏州市", "姑苏区", True),
    ("苏州市", "昆山市", False),
    ("苏州市", "吴江区", True),
    ("南通市", "崇川区", True),
    ("扬州市", "广陵区", False),
    ("镇江市", "京口区", True),
    ("泰州市", "海陵区", False),
    ("宿迁市", "宿城区", True),
]
DEMO_HOURS = "周一至周五 9:00-12:00，13:30-17:00（演示）"
DEMO_PHONE = "12333"


def demo_outlets_load() -> dict[str, int]:
    """The demo 即时制卡网点 (DEMO_OUTLETS), marked is_demo so that the outlet page tags them
    and says they are not real. Calling it again changes nothing. Returns the counts
    ("created", "updated", "unchanged")."""
    regions = importing.JiangsuRegions()
    values_list = []
    for number, (city_name, district_name, takes_photos) in enumerate(DEMO_OUTLETS, start=1):
        city = regions.city(city_name)
        district = regions.district(district_name, city)
        values_list.append(OutletValues(
            city=city, district=district,
            name=f"{city.name}{district.name}社会保障卡服务网点（演示）",
            address=f"{city.name}{district.name}演示路{number}号（演示地址，并非真实网点）",
            hours=DEMO_HOURS, phone=DEMO_PHONE, takes_photos=takes_photos,
        ))
    with transaction.atomic():
        return _write_outlets(values_list, batch=None, is_demo=True)
