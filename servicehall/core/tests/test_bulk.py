"""core.bulk.rows_insert: many rows at once (COPY on PostgreSQL, bulk_create elsewhere), each value
prepared by its field, defaults filled in, a broken constraint an IntegrityError, and rows that
are themselves read from the database on the same connection."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from servicehall.core import bulk
from servicehall.messaging.models import SmsMessage

pytestmark = pytest.mark.django_db


def _sms(n: int) -> dict:
    return {
        "mobile": f"1390000{n:04d}",
        "mobile_index": f"index-{n}",
        "text": f"验证码{n:06d}",
        "created_at": timezone.now(),
    }


def test_rows_are_written_with_their_defaults_and_encrypted_at_rest():
    assert bulk.rows_insert(SmsMessage, (_sms(n) for n in range(bulk.CHUNK + 5))) == bulk.CHUNK + 5
    first = SmsMessage.objects.get(mobile_index="index-3")
    assert (first.mobile, first.text, first.attempts, first.error) == ("13900000003", "验证码000003", 0, "")
    assert first.status == SmsMessage._meta.get_field("status").get_default()
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, text FROM messaging_smsmessage WHERE mobile_index = %s", ["index-3"])
        stored = cursor.fetchone()
    assert "13900000003" not in stored[0] and "验证码" not in stored[1]


def test_rows_read_from_the_database_meanwhile_are_written_too():
    """On PostgreSQL .iterator() reads through a server-side cursor on the same connection,
    which cannot be read while a COPY is open: the rows go in chunks between the reads."""
    bulk.rows_insert(SmsMessage, (_sms(n) for n in range(bulk.CHUNK * 2 + 1)))
    with transaction.atomic():
        originals = SmsMessage.objects.filter(mobile_index__startswith="index-")  # not the copies
        source = originals.order_by("pk").values_list("mobile", "text").iterator(chunk_size=100)
        copies = (
            {**_sms(0), "mobile": mobile, "text": text + "（副本）", "mobile_index": "copy"}
            for mobile, text in source
        )
        assert bulk.rows_insert(SmsMessage, copies) == bulk.CHUNK * 2 + 1
    copied = {message.text for message in SmsMessage.objects.filter(mobile_index="copy")}
    assert len(copied) == bulk.CHUNK * 2 + 1 and "验证码004000（副本）" in copied


def test_a_broken_constraint_is_an_integrity_error_and_writes_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.rows_insert(SmsMessage, [_sms(1), {**_sms(2), "attempts": -1}])
    assert not SmsMessage.objects.exists()
