"""Every write of the payments (DESIGN.md section 4, 发放): build a batch (制单), approve it
(审批, never by its maker), export one file per bank, import the banks' return files, and put
a failed payment back in line once the card is fixed.

Money rules, each held by the database as well as by this code:
- an application is paid at most once (PaymentItem: one paid item per application);
- an application waits in at most one unsettled batch (one pending item per application);
- the maker of a batch never approves it (PaymentBatch: approved_by <> created_by).

Batches hold up to a hundred thousand lines, so nothing here loops over lines with a query
each: rows are read with values_list(...).iterator(chunk_size=CHUNK) and written with
bulk_create and UPDATE ... WHERE pk IN (...), a chunk at a time."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from itertools import islice
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Exists, JSONField, Max, Min, OuterRef, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.accounts.models import Organisation
from servicehall.audit.services import audit_record, audit_record_many
from servicehall.cards.advice import advice_for
from servicehall.cards.models import SocialSecurityCard
from servicehall.cards.selectors import card_for_person, card_payment_status
from servicehall.core.bulk import rows_insert
from servicehall.core.crypto import blind_index
from servicehall.core.errors import DomainError
from servicehall.core.masking import mask_account
from servicehall.reference.models import Bank, School
from servicehall.subsidy import notify
from servicehall.subsidy.constants import ApplicationStatus, next_state
from servicehall.subsidy.models import Application, GraduationYear
from servicehall.subsidy.review_selectors import bureau_school_scope
from servicehall.subsidy.selectors import category_index
from servicehall.subsidy.transitions import transition, transition_all, transition_many

from . import bankfiles, selectors
from .models import BankFile, PaymentBatch, PaymentItem, ReturnImport, line_status_label, yuan

if TYPE_CHECKING:
    from servicehall.accounts.models import User

logger = logging.getLogger(__name__)
S = ApplicationStatus
CHUNK = 2000


def account_index(account: str) -> str:
    return blind_index(account, purpose="bank_account")


def _chunks(iterable, size=CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def officer_bureau_or_error(actor) -> Organisation:
    bureau = selectors.officer_bureau(actor)
    if bureau is None:
        raise DomainError(_("您没有办理补贴发放的权限。"), code="forbidden")
    return bureau


def batch_of_officer(actor, batch) -> PaymentBatch:
    """The batch if the actor is a payment officer of its bureau; DomainError otherwise."""
    return _batch(actor, batch, lock=False)


def _batch(actor, batch, *, lock: bool) -> PaymentBatch:
    """The batch if it is one of the actor's bureau (not-found otherwise), locked if asked."""
    officer_bureau_or_error(actor)
    queryset = selectors.batch_list_for(actor)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=getattr(batch, "pk", batch))
    except PaymentBatch.DoesNotExist:
        raise DomainError(_("找不到这个发放批次。"), code="not_found") from None


def _year(graduation_year) -> GraduationYear:
    if isinstance(graduation_year, GraduationYear):
        return graduation_year
    try:
        return GraduationYear.objects.get(pk=int(graduation_year))
    except (GraduationYear.DoesNotExist, TypeError, ValueError):
        raise DomainError(_("没有这个毕业年度。"), code="no_year", fields=["graduation_year"]) from None


def _bank(bank) -> Bank:
    if isinstance(bank, Bank):
        return bank
    try:
        return Bank.objects.get(pk=str(bank))
    except Bank.DoesNotExist:
        raise DomainError(_("没有这家开户银行。"), code="no_bank", fields=["bank"]) from None


class _AuditTarget:
    """What audit_record_many reads of a target, its model's label and its pk, without
    building a 35-field Application per row: with 100,000 rows that alone took seconds."""

    __slots__ = ("pk",)
    _meta = Application._meta

    def __init__(self, pk):
        self.pk = pk


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- 制单: build a batch ----------------------------------------------------------------------


def _build_filters(graduation_year, school, category_code):
    year = _year(graduation_year)
    if school is not None and not isinstance(school, School):
        school = School.objects.filter(pk=school).first()
        if school is None:
            raise DomainError(_("没有这所学校。"), code="no_school", fields=["school"])
    return year, school, (category_code or "").strip()


def _build_candidates(bureau, year, school, code):
    """The applications a new batch would take: awaiting payment in the bureau's scope, not
    waiting in (or paid by) another batch, of the chosen school and category."""
    waiting = PaymentItem.objects.filter(
        application=OuterRef("pk"), status__in=[PaymentItem.Status.PENDING, PaymentItem.Status.PAID]
    )
    candidates = Application.objects.filter(
        bureau_school_scope(bureau), state=S.AWAITING_PAYMENT, graduation_year=year
    ).exclude(Exists(waiting))
    if school is not None:
        candidates = candidates.filter(school=school)
    if code:
        candidates = candidates.filter(category_index=category_index(code))
    return candidates


def batch_build_count(
    *,
    actor: User,
    graduation_year: GraduationYear | int,
    school: School | int | None = None,
    category_code: str | None = None,
) -> int:
    """How many applications batch_build would take now (to choose inline or background)."""
    bureau = officer_bureau_or_error(actor)
    return _build_candidates(bureau, *_build_filters(graduation_year, school, category_code)).count()


def batch_build(
    *,
    actor: User,
    graduation_year: GraduationYear | int,
    school: School | int | None = None,
    category_code: str | None = None,
    client_address: str = "",
) -> PaymentBatch:
    """A draft batch of every application awaiting payment in the bureau's scope (optionally
    of one school or one hardship category) that is not already waiting in another batch. The
    applications stay awaiting payment until the batch is approved. An application without a
    card account cannot be paid and is left out (counted in the audit entry)."""
    bureau = officer_bureau_or_error(actor)
    year, school, code = _build_filters(graduation_year, school, category_code)
    candidates = _build_candidates(bureau, year, school, code)
    try:
        with transaction.atomic():
            # Two officers of one bureau building at once: the second waits here, then its query
            # (a new snapshot) no longer sees what the first took. The pending-item constraint
            # backs this up across bureaus whose scopes overlap.
            list(Organisation.objects.select_for_update().filter(pk=bureau.pk).values_list("pk", flat=True))
            batch = PaymentBatch.objects.create(
                bureau=bureau,
                graduation_year=year,
                school=school,
                category_code=code,
                created_by=actor,
                created_at=timezone.now(),
            )
            skipped = 0
            rows = (
                candidates.order_by("school_id", "record_number")
                .values_list("pk", "record_number", "bank_id", "account", "account_name")
                .iterator(chunk_size=CHUNK)
            )

            def lines():
                nonlocal skipped
                for application_id, record_number, bank_id, account, account_name in rows:
                    account = (account or "").replace(" ", "")
                    if not bank_id or not account or not account_name or not record_number:
                        skipped += 1
                        continue
                    yield {
                        "batch_id": batch.pk, "application_id": application_id,
                        "record_number": record_number, "amount_fen": year.amount_fen, "bank_id": bank_id,
                        "account": account, "account_index": account_index(account),
                        "account_name": account_name,
                    }

            # COPY on PostgreSQL: no model object a line (core.bulk).
            count = rows_insert(PaymentItem, lines())
            total = year.amount_fen * count
            if count == 0:
                raise DomainError(_("没有符合条件的待发放申请，未生成批次。"), code="empty")
            batch.item_count, batch.total_fen = count, total
            batch.save(update_fields=["item_count", "total_fen"])
            audit_record(
                actor=actor,
                action="payments.batch_build",
                target=batch,
                client_address=client_address,
                detail={
                    "year": year.pk,
                    "school": school.pk if school else None,
                    "items": count,
                    "total_fen": total,
                    "skipped_without_account": skipped,
                },
            )
    except IntegrityError as exc:
        raise DomainError(
            _("部分申请刚被其他批次选入，本次未生成批次，请重新生成。"), code="conflict"
        ) from exc
    return batch


def batch_discard(*, actor: User, batch: PaymentBatch | int, client_address: str = "") -> None:
    """作废 a draft batch (nothing has been approved or sent to a bank): its applications are
    free for another batch. An approved batch is never discarded."""
    with transaction.atomic():
        batch = _batch(actor, batch, lock=True)
        if batch.status != PaymentBatch.Status.DRAFT:
            raise DomainError(_("批次已审批，不能作废。"), code="already_handled")
        audit_record(
            actor=actor,
            action="payments.batch_discard",
            target=batch,
            client_address=client_address,
            detail={"number": batch.number, "items": batch.item_count, "total_fen": batch.total_fen},
        )
        PaymentItem.objects.filter(batch=batch, status=PaymentItem.Status.PENDING).delete()
        batch.delete()


# --- 审批: approve ----------------------------------------------------------------------------


def batch_approve(*, actor: User, batch: PaymentBatch | int, client_address: str = "") -> PaymentBatch:
    """Another payment officer of the same bureau approves: every application of the batch
    moves to paying, with its timeline event and audit entry, in three statements made inside
    the database (transition_all, audit_record_many on a queryset), whatever the batch's size.

    Why not transition() per row: locking, moving and saving each of 100,000 applications one
    by one is 300,000 statements in one transaction. transition_all checks the move against the
    same table and moves only rows still awaiting payment: if any has moved, the count differs
    and nothing is approved (the DomainError rolls the transaction back)."""
    bureau = officer_bureau_or_error(actor)
    to = next_state("batch_approved", "payment_officer", S.AWAITING_PAYMENT)
    with transaction.atomic():
        batch = _batch(actor, batch, lock=True)
        if batch.status != PaymentBatch.Status.DRAFT:
            raise DomainError(_("该批次已审批，无需重复审批。"), code="already_handled")
        if batch.created_by_id == actor.pk:
            raise DomainError(
                _("制单人不能审批自己生成的批次，请由本单位另一名财务人员审批。"), code="same_officer"
            )
        now = timezone.now()
        lines = PaymentItem.objects.filter(batch=batch).values("application_id")
        moved = transition_all(
            application_ids=lines,
            action="batch_approved",
            who="payment_officer",
            from_state=S.AWAITING_PAYMENT,
            actor_id=actor.pk,
            organisation_id=bureau.pk,
            now=now,
        )
        if moved != batch.item_count:
            raise DomainError(
                _("批次中有%(count)s笔申请已不在待发放状态，不能审批。请作废该批次后重新生成。")
                % {"count": batch.item_count - moved},
                code="stale",
            )
        audit_record_many(
            actor=actor,
            action="subsidy.batch_approved",
            targets=Application.objects.filter(pk__in=lines),
            client_address=client_address,
            detail={"from": S.AWAITING_PAYMENT, "to": to, "batch": batch.pk},
        )
        batch.status = PaymentBatch.Status.APPROVED
        batch.approved_by, batch.approved_at = actor, now
        batch.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(
            actor=actor,
            action="payments.batch_approve",
            target=batch,
            client_address=client_address,
            detail={"items": batch.item_count, "total_fen": batch.total_fen},
        )
    return batch


# --- Bank files -------------------------------------------------------------------------------


def _payment_lines(batch, bank):
    rows = (
        PaymentItem.objects.filter(batch=batch, bank=bank)
        .order_by("pk")
        .values_list("record_number", "account_name", "account", "amount_fen")
        .iterator(chunk_size=CHUNK)
    )
    for record_number, account_name, account, amount_fen in rows:
        yield bankfiles.PaymentLine(record_number, account_name, account, amount_fen, bank.pk)


def bank_file_export(
    *, actor: User, batch: PaymentBatch | int, bank: Bank | str, client_address: str = ""
) -> tuple[str, bytes]:
    """The payment file of one bank's lines of an approved batch (BANK_FILE_FORMAT.md), with
    full account numbers, as (filename, bytes). Every line of that bank is in it, whatever
    the bank has since said, so a second export gives the same bytes; if it did not, the
    data changed underneath and the export stops rather than send a different file."""
    batch = _batch(actor, batch, lock=False)
    bank = _bank(bank)
    if batch.status == PaymentBatch.Status.DRAFT:
        raise DomainError(_("批次尚未审批，不能导出银行发放文件。"), code="not_approved")
    data, rows, total = bankfiles.write_payment_file(_payment_lines(batch, bank))
    if rows == 0:
        raise DomainError(_("本批次没有该银行的发放明细。"), code="no_lines", fields=["bank"])
    sha256 = _sha256(data)
    filename = f"{batch.number}_{bank.pk}.csv"
    with transaction.atomic():
        recorded = BankFile.objects.filter(batch=batch, bank=bank).first()
        first = recorded is None
        if first:
            try:
                with transaction.atomic():
                    recorded = BankFile.objects.create(
                        batch=batch,
                        bank=bank,
                        filename=filename,
                        sha256=sha256,
                        rows=rows,
                        total_fen=total,
                        generated_by=actor,
                    )
            except IntegrityError:  # exported at the same moment by someone else
                recorded = BankFile.objects.get(batch=batch, bank=bank)
                first = False
        if recorded.sha256 != sha256 or recorded.rows != rows or recorded.total_fen != total:
            logger.error("bank file of batch %s bank %s differs from its first export", batch.pk, bank.pk)
            raise DomainError(
                _("该银行文件与首次导出的内容不一致，已停止导出，请联系系统管理员核查。"), code="file_changed"
            )
        audit_record(
            actor=actor,
            action="payments.bank_file_export",
            target=batch,
            client_address=client_address,
            detail={"bank": bank.pk, "rows": rows, "total_fen": total, "sha256": sha256, "first": first},
        )
    return filename, data


def bank_file_excel(
    *, actor: User, batch: PaymentBatch | int, bank: Bank | str, client_address: str = ""
) -> tuple[str, bytes]:
    """An .xlsx copy of one bank's lines for people to read and check (the checker may read it
    before approving): accounts masked, every text cell safe from formula injection."""
    batch = _batch(actor, batch, lock=False)
    bank = _bank(bank)
    statuses = {value: line_status_label(value, batch.status) for value in PaymentItem.Status.values}

    def lines():
        rows = (
            PaymentItem.objects.filter(batch=batch, bank=bank)
            .order_by("pk")
            .values_list("record_number", "account_name", "account", "amount_fen", "status")
            .iterator(chunk_size=CHUNK)
        )
        for record_number, account_name, account, amount_fen, status in rows:
            yield bankfiles.SheetLine(
                record_number,
                account_name,
                mask_account(account),
                amount_fen,
                bank.pk,
                bank.name,
                statuses.get(status, status),
            )

    heading = _("发放批次%(number)s　%(bank)s　%(bureau)s") % {
        "number": batch.number,
        "bank": bank.name,
        "bureau": batch.bureau.name,
    }
    data, rows, total = bankfiles.write_payment_workbook(lines(), title=bank.name, heading=heading)
    if rows == 0:
        raise DomainError(_("本批次没有该银行的发放明细。"), code="no_lines", fields=["bank"])
    audit_record(
        actor=actor,
        action="payments.bank_file_excel",
        target=batch,
        client_address=client_address,
        detail={"bank": bank.pk, "rows": rows, "total_fen": total},
    )
    return f"{batch.number}_{bank.pk}.xlsx", data


# --- 回盘: the bank's return file -------------------------------------------------------------

# Refusals of one line, by code.
LINE_REFUSALS = {
    "unknown": gettext_lazy("申报编号不在本批次中"),
    "other_bank": gettext_lazy("该笔不属于本银行的发放文件"),
    "account": gettext_lazy("账号与发放文件不一致"),
    "amount": gettext_lazy("金额与发放金额不一致"),
    "result": gettext_lazy("处理结果应为“成功”或“失败”"),
    "duplicate": gettext_lazy("同一笔在本文件中出现了不止一次"),
    "settled": gettext_lazy("该笔此前已处理，本行未重复处理"),
    "state": gettext_lazy("申请当前不在发放中，本行未处理"),
    "already_paid": gettext_lazy("该申请已有一笔成功发放记录，本行未处理（不会重复发放）"),
}
PAID, FAILED, REFUSED = "paid", "failed", "refused"
REPORT_COLUMNS = ["line", "sequence", "record_number", "outcome", "code", "message"]
NO_REASON = "银行未说明原因"


def return_file_import(
    *,
    actor: User,
    batch: PaymentBatch | int,
    bank: Bank | str,
    filename: str,
    data: bytes,
    client_address: str = "",
) -> ReturnImport:
    """Import one bank's return file into an approved batch (BANK_FILE_FORMAT.md).

    The whole file is checked first: an unreadable or cut-short file is refused whole and
    changes nothing. The same file again (same SHA-256 for this batch) changes nothing either:
    the earlier import comes back with `repeated = True`. Then line by line: a line that does
    not match a pending line of this batch and bank (record number, account, amount) is
    refused in the report and the others are still processed; 成功 pays the line and moves
    the application to paid, 失败 records the bank's reason and moves it to payment failed.
    The applicants are told after commit. When no line of the batch is pending any more, the
    batch is closed."""
    officer_bureau_or_error(actor)
    bank = _bank(bank)
    sha256 = _sha256(data or b"")
    filename = (filename or "").strip()[:200] or "return.csv"
    try:
        with transaction.atomic():
            # Imports into one batch are serialised here; the constraints hold across batches.
            locked = _batch(actor, batch, lock=True)
            earlier = ReturnImport.objects.filter(batch=locked, sha256=sha256).defer("report").first()
            if earlier is not None:
                return _repeated(actor, earlier, client_address)
            if locked.status == PaymentBatch.Status.DRAFT:
                raise DomainError(_("批次尚未审批，不能导入回盘文件。"), code="not_approved")
            if not BankFile.objects.filter(batch=locked, bank=bank).exists():
                raise DomainError(
                    _("本批次还没有导出%(bank)s的发放文件，不能导入该银行的回盘文件。请核对所选银行。")
                    % {"bank": bank.name},
                    code="no_bank_file",
                    fields=["bank"],
                )
            parsed = bankfiles.read_return_file(data)
            return _apply_return(actor, locked, bank, parsed, filename, sha256, client_address)
    except IntegrityError:
        # The same file imported at the same moment by someone else (on a database without
        # row locks): theirs counts.
        earlier = (
            ReturnImport.objects.filter(batch_id=getattr(batch, "pk", batch), sha256=sha256)
            .defer("report")
            .first()
        )
        if earlier is None:
            raise
        return _repeated(actor, earlier, client_address)
    except DomainError as error:
        if error.code == "return_file":
            audit_record(
                actor=actor,
                action="payments.return_refused",
                target=batch if isinstance(batch, PaymentBatch) else None,
                client_address=client_address,
                detail={
                    "bank": bank.pk,
                    "filename": filename,
                    "sha256": sha256,
                    "reason": str(error.message),
                },
            )
        raise


def _repeated(actor, earlier: ReturnImport, client_address) -> ReturnImport:
    earlier.repeated = True
    earlier.message = _("该文件已于%(at)s导入过，本次未作任何更改。") % {
        "at": f"{timezone.localtime(earlier.imported_at):%Y-%m-%d %H:%M}"
    }
    audit_record(
        actor=actor,
        action="payments.return_repeated",
        target=earlier,
        client_address=client_address,
        detail={"batch": earlier.batch_id, "sha256": earlier.sha256},
    )
    return earlier


def _apply_return(actor, batch, bank, parsed, filename, sha256, client_address) -> ReturnImport:
    now = timezone.now()
    imported = ReturnImport.objects.create(
        batch=batch,
        bank=bank,
        filename=filename,
        sha256=sha256,
        encoding=parsed.encoding,
        imported_by=actor,
        imported_at=now,
        line_count=parsed.line_count,
    )
    # The report is written as JSON text a chunk at a time: a list of 100,000 rows would be the
    # largest thing the import holds (about 0.2 KB a line); the text takes 45 bytes a line.
    pieces: list[str] = []
    totals = defaultdict(int)
    seen = _Seen(batch)  # lines met in this file so far: a second line for one is refused
    for chunk in _chunks(parsed.lines()):
        outcomes, settled = _settle_chunk(actor, batch, bank, imported, chunk, now, client_address, seen)
        totals["refused_count"] += sum(1 for row in outcomes if row[3] == REFUSED)
        pieces.append(json.dumps(outcomes)[1:-1])  # ASCII (\u escapes): one byte a character
        for outcome, amount_fen in settled:
            totals[f"{outcome}_count"] += 1
            totals[f"{outcome}_fen"] += amount_fen
    report = "".join(['{"columns": ', json.dumps(REPORT_COLUMNS), ', "rows": [', ",".join(pieces), "]}"])
    del pieces
    counts = {
        name: totals[name]
        for name in ("paid_count", "paid_fen", "failed_count", "failed_fen", "refused_count")
    }
    ReturnImport.objects.filter(pk=imported.pk).update(
        report=Cast(Value(report), output_field=JSONField()), **counts
    )
    del report
    imported = ReturnImport.objects.defer("report").get(pk=imported.pk)  # report read when asked
    refused = imported.refused_count
    closed = not PaymentItem.objects.filter(batch=batch, status=PaymentItem.Status.PENDING).exists()
    if closed and batch.status != PaymentBatch.Status.CLOSED:
        batch.status, batch.closed_at = PaymentBatch.Status.CLOSED, now
        batch.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="payments.return_import",
        target=batch,
        client_address=client_address,
        detail={
            "import": imported.pk,
            "bank": bank.pk,
            "sha256": sha256,
            "lines": imported.line_count,
            "paid": imported.paid_count,
            "failed": imported.failed_count,
            "refused": refused,
            "closed": closed,
        },
    )
    imported.repeated = False
    imported.message = ""
    return imported


class _Seen:
    """The lines of a batch met so far in one file, one bit per line id over the batch's id
    range: a set of 100,000 ids would take some 7 MB, this takes 12 KB."""

    def __init__(self, batch):
        bounds = PaymentItem.objects.filter(batch=batch).aggregate(low=Min("pk"), high=Max("pk"))
        self.low = bounds["low"] or 0
        self.bits = bytearray(((bounds["high"] or 0) - self.low) // 8 + 1)

    def add(self, pk: int) -> None:
        offset = pk - self.low
        self.bits[offset >> 3] |= 1 << (offset & 7)

    def __contains__(self, pk: int) -> bool:
        offset = pk - self.low
        return bool(self.bits[offset >> 3] & (1 << (offset & 7)))


def _settle_chunk(actor, batch, bank, imported, lines, now, client_address, seen):
    """Report rows for these lines, and (outcome, amount) of each line settled."""
    wanted = {line.record_number for line in lines}
    items = {
        row[0]: row
        for row in PaymentItem.objects.filter(batch=batch, record_number__in=wanted).values_list(
            "record_number", "pk", "application_id", "bank_id", "account_index", "amount_fen", "status"
        )
    }
    report: dict[int, list] = {}
    accepted = []  # (line, item row, outcome)
    for line in lines:
        item = items.get(line.record_number)
        code = None
        if item is None:
            code = "unknown"
        elif item[1] in seen:
            code = "duplicate"
        elif item[3] != bank.pk:
            code = "other_bank"
        elif account_index(line.account) != item[4]:
            code = "account"
        elif line.amount_fen != item[5]:
            code = "amount"
        elif line.result not in (bankfiles.RESULT_PAID, bankfiles.RESULT_FAILED):
            code = "result"
        elif item[6] != PaymentItem.Status.PENDING:
            code = "settled"
        if item is not None:
            seen.add(item[1])
        if code:
            report[line.line] = _refused(line, code)
        else:
            accepted.append((line, item, PAID if line.result == bankfiles.RESULT_PAID else FAILED))
    # The applications, locked: only those still paying can be settled.
    states = dict(
        Application.objects.select_for_update()
        .filter(pk__in=[item[2] for _line, item, _o in accepted])
        .values_list("pk", "state")
    )
    ready = []
    for line, item, outcome in accepted:
        if states.get(item[2]) != S.PAYING:
            report[line.line] = _refused(line, "state")
        else:
            ready.append((line, item, outcome))
    try:
        with transaction.atomic():
            _settle(actor, batch, imported, ready, now, client_address)
    except IntegrityError:
        # Another import paid one of these applications a moment ago (a second batch holding
        # it): settle line by line, so only that line is refused.
        done = []
        for entry in ready:
            try:
                with transaction.atomic():
                    _settle(actor, batch, imported, [entry], now, client_address)
                done.append(entry)
            except IntegrityError:
                report[entry[0].line] = _refused(entry[0], "already_paid")
        ready = done
    settled = []
    for line, item, outcome in ready:
        message = "" if outcome == PAID else (line.reason or NO_REASON)
        report[line.line] = [line.line, int(line.sequence), line.record_number, outcome, "", message]
        settled.append((outcome, item[5]))
    return [report[line.line] for line in lines], settled


def _refused(line, code) -> list:
    return [line.line, int(line.sequence), line.record_number, REFUSED, code, str(LINE_REFUSALS[code])]


def _settle(actor, batch, imported, entries, now, client_address):
    """Write the settled lines: items, applications, timeline, audit; tell the applicants
    after commit. The UPDATEs re-check the states they move from."""
    if not entries:
        return
    paid = [(line, item) for line, item, outcome in entries if outcome == PAID]
    failed = [(line, item) for line, item, outcome in entries if outcome == FAILED]
    moves = (
        (paid, "bank_paid", PaymentItem.Status.PAID),
        (failed, "bank_failed", PaymentItem.Status.FAILED),
    )
    for group, action, item_status in moves:
        if not group:
            continue
        to = next_state(action, "system", S.PAYING)
        by_reason = defaultdict(list)
        for line, item in group:
            reason = "" if item_status == PaymentItem.Status.PAID else (line.reason or NO_REASON)
            by_reason[reason].append(item[1])
        for reason, item_ids in by_reason.items():
            updated = PaymentItem.objects.filter(pk__in=item_ids, status=PaymentItem.Status.PENDING).update(
                status=item_status, bank_reason=reason, settled_at=now, return_import=imported
            )
            if updated != len(item_ids):
                raise IntegrityError("a payment line was settled by someone else meanwhile")
        application_ids = [item[2] for _line, item in group]
        moved = transition_many(
            application_ids=application_ids,
            action=action,
            who="system",
            from_state=S.PAYING,
            actor_id=None,
            organisation_id=batch.bureau_id,
            opinion={
                item[2]: "" if item_status == PaymentItem.Status.PAID else (line.reason or NO_REASON)
                for line, item in group
            },
            now=now,
        )
        if len(moved) != len(application_ids):
            raise IntegrityError("an application left paying meanwhile")
        audit_record_many(
            actor=actor,
            action=f"subsidy.{action}",
            targets=[_AuditTarget(pk) for pk in application_ids],
            client_address=client_address,
            detail={"from": S.PAYING, "to": to, "batch": batch.pk, "return_import": imported.pk},
        )
        item_ids = [item[1] for _line, item in group]
        transaction.on_commit(lambda ids=item_ids: _enqueue_notices(ids))


def _enqueue_notices(item_ids):
    from .tasks import notify_settled

    notify_settled.enqueue(item_ids)


def _yuan_text(fen: int) -> str:
    return str(fen // 100) if fen % 100 == 0 else yuan(fen)


def notices_send(item_ids) -> int:
    """The applicants' SMS and site message for settled lines (run by the task, after commit):
    paid says the amount and the card account's last four digits; failed says the bank's
    reason and what to do."""
    items = PaymentItem.objects.filter(pk__in=list(item_ids)).select_related(
        "application__graduation_year", "application__applicant"
    )
    sent = 0
    for item in items.iterator(chunk_size=500):
        if item.status == PaymentItem.Status.PAID:
            notify.send_one(
                item.application,
                "paid",
                extra={"amount": _yuan_text(item.amount_fen), "last4": item.account[-4:]},
            )
        elif item.status == PaymentItem.Status.FAILED:
            notify.send_one(
                item.application,
                "payment_failed",
                extra={"reason": item.bank_reason or NO_REASON, "advice": advice_for(item.bank_reason)},
            )
        else:
            continue
        sent += 1
    return sent


# --- 重新发放: after a failure ----------------------------------------------------------------

CARD_PROBLEMS = {
    "no_card": gettext_lazy("系统中还没有您的社会保障卡信息，请办理社会保障卡后再确认。"),
    "financial_inactive": gettext_lazy(
        "您的社会保障卡金融功能尚未开通（以社会保障卡系统的数据为准），请开通后再确认。"
    ),
    "lost": gettext_lazy("您的社会保障卡处于挂失状态，请补换新卡后再确认。"),
    "cancelled": gettext_lazy("您的社会保障卡已注销，请补换新卡后再确认。"),
}


def payment_reissue(*, actor: User | None, application: Application, client_address: str = "") -> Application:
    """payment_failed -> awaiting_payment ("account_fixed"): by the applicant, confirming the
    card is fixed, or by the system (actor None) when the card import shows it. The card must
    now be usable; its current account (a replaced card has a new one) is what the next batch
    pays to. The failed line stays failed, as history."""
    if actor is not None and getattr(actor, "pk", None) != application.applicant_id:
        raise DomainError(_("找不到这笔申请。"), code="not_found")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
        )
        if (
            application.state == S.AWAITING_PAYMENT
            and application.payment_items.filter(status=PaymentItem.Status.FAILED).exists()
        ):
            return application  # confirmed twice
        if application.state != S.PAYMENT_FAILED:
            raise DomainError(_("这笔申请当前不是发放失败状态，无需重新发放。"), code="wrong_state")
        status = card_payment_status(application.applicant)
        if not status.ok:
            raise DomainError(CARD_PROBLEMS[status.problem], code=f"card_{status.problem}")
        card = status.card
        changed = card.account != application.account or card.bank_id != application.bank_id
        transition(
            application,
            action="account_fixed",
            who="applicant_or_system",
            actor=actor,
            opinion=_("申请人确认已处理") if actor is not None else _("社会保障卡数据显示账户已可用"),
        )
        application.bank, application.account, application.account_name = card.bank, card.account, card.name
        application.save(
            update_fields=["state", "state_changed_at", "updated_at", "bank", "account", "account_name"]
        )
        audit_record(
            actor=actor,
            action="payments.reissue",
            target=application,
            client_address=client_address,
            detail={"by": "applicant" if actor is not None else "system", "account_changed": changed},
        )
        notify.on_commit(application, "reissued")
    return application


def payments_reissue_fixed_cards() -> int:
    """The system's pass (run after each card import, or daily): every failed payment whose
    person's card is now usable and was updated after the failure goes back to awaiting
    payment. Only such applications are read; each is put back in its own transaction."""
    usable_since_failure = SocialSecurityCard.objects.filter(
        id_number_index=OuterRef("applicant__id_number_index"),
        status=SocialSecurityCard.Status.NORMAL,
        financial_active=True,
        updated_at__gt=OuterRef("state_changed_at"),
    )
    candidates = (
        Application.objects.filter(state=S.PAYMENT_FAILED)
        .filter(Exists(usable_since_failure))
        .select_related("applicant")
        .order_by("pk")
    )
    moved = 0
    for application in candidates.iterator(chunk_size=500):
        card = card_for_person(application.applicant)
        if card is None or not card.is_usable_for_payment or card.updated_at <= application.state_changed_at:
            continue
        try:
            payment_reissue(actor=None, application=application)
        except DomainError as error:
            logger.info("reissue of application %s skipped: %s", application.pk, error.code)
            continue
        moved += 1
    return moved
