"""Personal data at rest: SM4-GCM encryption and an HMAC-SM3 blind index.

Keys come from settings.FIELD_ENCRYPTION_KEYS ("id:hex,id:hex", the first current). Each
master key is split by HKDF-SM3 into an SM4 key and an HMAC key, so one secret per rotation
generation is enough. Ciphertexts carry their key id, so old rows stay readable after a
rotation; the blind index always uses the first key's HMAC key (re-index on rotation).
"""

import base64
import hmac as std_hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    pass


@lru_cache(maxsize=8)
def _keys(config: str) -> tuple[str, dict[str, tuple[bytes, bytes]]]:
    """(current key id, {key id: (SM4 key, HMAC key)})."""
    keys: dict[str, tuple[bytes, bytes]] = {}
    current = ""
    for entry in config.split(","):
        key_id, _, hex_key = entry.strip().partition(":")
        try:
            master = bytes.fromhex(hex_key)
        except ValueError as exc:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not hex") from exc
        if not key_id or len(master) < 16 or "." in key_id:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS entries are 'id:hex' (>= 16 bytes)")
        derived = HKDF(algorithm=hashes.SM3(), length=48, salt=None, info=b"servicehall-fields")
        material = derived.derive(master)
        keys[key_id] = (material[:16], material[16:])
        current = current or key_id
    return current, keys


def _config() -> tuple[str, dict[str, tuple[bytes, bytes]]]:
    config = getattr(settings, "FIELD_ENCRYPTION_KEYS", None)
    if not config:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set")
    return _keys(config)


@lru_cache(maxsize=8)
def _sm4(key: bytes) -> algorithms.SM4:
    return algorithms.SM4(key)


def encrypt(plaintext: str) -> str:
    key_id, keys = _config()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(_sm4(keys[key_id][0]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(key_id.encode())
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    token = base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()
    return f"{key_id}.{token}"


def decrypt(stored: str) -> str:
    _current, keys = _config()
    key_id, _, token = stored.partition(".")
    if key_id not in keys:
        raise DecryptionError("unknown key id")
    raw = base64.urlsafe_b64decode(token.encode())
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(keys[key_id][0]), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(key_id.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise DecryptionError("ciphertext was altered or the key is wrong") from exc


@lru_cache(maxsize=8)
def _keyed_hmac(hmac_key: bytes) -> hmac.HMAC:
    """An HMAC-SM3 already keyed, to copy: keying it afresh was half of each index's cost (a
    registry import computes two indexes a row, millions of rows)."""
    return hmac.HMAC(hmac_key, hashes.SM3())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash to find or de-duplicate a value without storing it. `purpose` keeps an
    ID number's index unrelated to a mobile's."""
    key_id, keys = _config()
    mac = _keyed_hmac(keys[key_id][1]).copy()
    mac.update(purpose.encode() + b"\x00" + value.encode())
    return mac.finalize().hex()


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def encrypt_bytes(data: bytes) -> bytes:
    """SM4-GCM for files (uploaded materials): key id, a NUL, nonce, ciphertext, tag."""
    key_id, keys = _config()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys[key_id][0]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(key_id.encode())
    body = encryptor.update(data) + encryptor.finalize()
    return key_id.encode() + b"\x00" + nonce + body + encryptor.tag


def decrypt_bytes(stored: bytes) -> bytes:
    _current, keys = _config()
    raw_id, _, raw = stored.partition(b"\x00")
    key_id = raw_id.decode(errors="replace")
    if key_id not in keys or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("unknown key id or truncated file")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(keys[key_id][0]), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(key_id.encode())
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("file was altered or the key is wrong") from exc
