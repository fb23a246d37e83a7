"""Every action the hall writes to the audit trail has a name on the auditor's page."""

import re
from pathlib import Path

from servicehall.audit.labels import LABELS, label_of

PACKAGE = Path(__file__).resolve().parents[2]
# A literal dotted code passed as action=… (codes completed at run time, such as
# f"subsidy.{action}" or "account.qr." + outcome, are listed in LABELS by their full names).
LITERAL_ACTION = re.compile(r'action="([a-z_]+\.[a-z_.]*[a-z_])"(?!\s*\+)')


def written_actions() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(LITERAL_ACTION.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_action_code_has_a_label():
    written = written_actions()
    assert {"verification.import", "stats.export", "subsidy.view"} <= written  # the scan works
    assert sorted(written - set(LABELS)) == []


def test_the_app_login_codes_have_labels():
    for method in ("register", "password", "sms", "provider"):
        assert label_of(f"account.login.app.{method}") != f"account.login.app.{method}"
