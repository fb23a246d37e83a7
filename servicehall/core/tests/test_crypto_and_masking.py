import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from servicehall.core import crypto
from servicehall.core.logging import RedactPersonalData, redact
from servicehall.core.masking import mask_account, mask_id_number, mask_mobile, mask_name


def test_encrypt_round_trip_with_a_fresh_nonce_each_time():
    first, second = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert first != second and "11010519491231002X" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "11010519491231002X"


def test_tampered_ciphertext_is_refused():
    stored = crypto.encrypt("13800000001")
    key_id, _, body = stored.partition(".")
    tampered = key_id + "." + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


def test_old_key_still_decrypts_after_rotation():
    old = crypto.encrypt("13800000001")
    with override_settings(FIELD_ENCRYPTION_KEYS="new1:" + "ab" * 32 + ",test1:" + "0f" * 32):
        assert crypto.decrypt(old) == "13800000001"
        assert crypto.encrypt("x").startswith("new1.")


def test_blind_index_is_stable_and_separated_by_purpose():
    a = crypto.blind_index("13800000001", purpose="mobile")
    assert a == crypto.blind_index("13800000001", purpose="mobile")
    assert a != crypto.blind_index("13800000001", purpose="id_number")
    assert len(a) == 64


@pytest.mark.parametrize("config", ["", "nokey", "k1:zz", "k1:00"])
def test_bad_key_configuration_is_refused(config):
    with override_settings(FIELD_ENCRYPTION_KEYS=config), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_name("张晓三") == "张*三"
    assert mask_id_number("32010220040315003X") == "3201**********003X"
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_account("6217001234561234") == "6217 **** **** 1234"


def test_logs_never_carry_id_or_mobile_numbers():
    assert "11010519491231002X" not in redact("id=11010519491231002X")
    assert "13800000001" not in redact("to 13800000001.")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent to %s", ("13800000001",), None)
    RedactPersonalData().filter(record)
    assert "13800000001" not in record.getMessage()
