"""How much the personal-data encryption costs per field.

Run: .venv/bin/python bench/crypto_fields.py
"""

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings.test")

import django

django.setup()

from servicehall.core import crypto  # noqa: E402

N = 20_000
VALUE = "32010220040315003X"
stored = crypto.encrypt(VALUE)
results = {
    "encrypt (SM4-GCM)": timeit.timeit(lambda: crypto.encrypt(VALUE), number=N),
    "decrypt (SM4-GCM)": timeit.timeit(lambda: crypto.decrypt(stored), number=N),
    "blind index (HMAC-SM3)": timeit.timeit(
        lambda: crypto.blind_index(VALUE, purpose="id_number"), number=N
    ),
    "plain str() baseline": timeit.timeit(lambda: str(VALUE), number=N),
}
baseline = results["plain str() baseline"]
for name, seconds in results.items():
    print(f"{name:<26} {seconds / N * 1e6:8.2f} µs/field   {seconds / baseline:8.1f}× baseline")
