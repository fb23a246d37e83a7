"""An audit entry's detail is kept whatever text a request carried: PostgreSQL's JSON refuses
the NUL character, which a hostile query string recorded as a filter once made a 500."""

import pytest

from servicehall.audit.models import AuditEntry
from servicehall.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_a_nul_character_anywhere_in_the_detail_is_dropped_not_a_failure():
    audit_record(actor=None, action="stats.export",
                 detail={"filters": {"year": "\x00", "ci\x00ty": ["32\x0001"]}, "scope": "南京"})
    entry = AuditEntry.objects.get()
    assert entry.detail == {"filters": {"year": "", "city": ["3201"]}, "scope": "南京"}
