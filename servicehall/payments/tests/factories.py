"""What the banks' side of the payment tests is made of: payment officers, the cells of a payment
file, and the return file a bank would send back for it."""

import csv
import io

from servicehall.payments import bankfiles
from tests.people import make_staff


def payment_officers(world) -> dict:
    """Two officers of 南京 (one builds a batch, the other approves it) and one of 苏州."""
    return {
        "maker": make_staff(world["nanjing"], "nj.finance1", "payment_officer", "13900000031"),
        "checker": make_staff(world["nanjing"], "nj.finance2", "payment_officer", "13900000032"),
        "other": make_staff(world["suzhou"], "sz.finance", "payment_officer", "13900000033"),
    }


def payment_rows(data: bytes) -> list[list[str]]:
    """The cells of a payment file, header and trailer included."""
    return list(csv.reader(io.StringIO(data.decode(bankfiles.ENCODING), newline="")))


def return_for(data: bytes, *, failed=None, encoding=bankfiles.ENCODING, bom=False, change=None) -> bytes:
    """The bank's answer to a payment file: every line 成功 unless `failed` ({record number:
    reason}) says otherwise; `change(cells)` may alter a line's (sequence, record number,
    account, amount_fen, result, reason) before it is written."""
    failed = failed or {}
    lines = []
    for cells in payment_rows(data)[1:-1]:
        sequence, record_number, _name, account, amount, _bank = cells
        reason = failed.get(record_number)
        line = [
            int(sequence),
            record_number,
            account,
            bankfiles.parse_amount(amount),
            "失败" if reason else "成功",
            reason or "",
        ]
        if change:
            line = change(line)
        if line:
            lines.append(tuple(line))
    return bankfiles.write_return_file(lines, encoding=encoding, bom=bom)
