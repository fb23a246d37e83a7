"""core.bulk.rows_insert: many rows at once (COPY on PostgreSQL, bulk_create elsewhere), each value
prepared by its field, defaults filled in, a broken constraint an IntegrityError, and rows that
are themselves read from the database on the same connection."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
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


def test_rows_made_from_rows_in_the_database_take_each_column_where_it_is_named():
    bulk.rows_insert(SmsMessage, (_sms(n) for n in range(5)))
    originals = SmsMessage.objects.filter(mobile_index__startswith="index-")
    when = timezone.now()
    written = bulk.rows_insert_from(
        SmsMessage,
        originals.exclude(mobile_index="index-4").order_by("-pk"),
        {
            "mobile": F("mobile"),  # the ciphertext as it is, under the same key
            "mobile_index": Concat(Value("copy-"), F("mobile_index")),
            "text": "副本",  # a constant: encrypted by its field
            "attempts": F("attempts") + 2,
            "created_at": when,
        },
    )
    assert written == 4
    copy = SmsMessage.objects.get(mobile_index="copy-index-3")
    assert (copy.mobile, copy.text, copy.attempts, copy.created_at, copy.error) == (
        "13900000003",
        "副本",
        2,
        when,
        "",
    )
    assert copy.status == SmsMessage._meta.get_field("status").get_default()
    assert not SmsMessage.objects.filter(mobile_index="copy-index-4").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM messaging_smsmessage WHERE mobile_index = %s", ["copy-index-3"])
        assert "副本" not in cursor.fetchone()[0]


def test_a_column_the_model_does_not_have_is_refused_before_anything_is_written():
    bulk.rows_insert(SmsMessage, [_sms(1)])
    with pytest.raises(ValueError, match="no column mobile_number"):
        bulk.rows_insert_from(SmsMessage, SmsMessage.objects.all(), {"mobile_number": F("mobile")})
    assert SmsMessage.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's statistics")
def test_after_many_rows_the_planner_knows_how_many_there_are():
    def planned_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT * FROM {SmsMessage._meta.db_table}")  # noqa: S608
            return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]

    bulk.rows_insert(SmsMessage, (_sms(n) for n in range(3000)))
    before = planned_rows()
    bulk.statistics_refresh(SmsMessage)
    assert before != 3000
    assert planned_rows() == 3000
