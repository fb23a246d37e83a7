"""Reports kept for later readers (core/wording.py): made once per language, read in the
reader's."""

from django.utils import translation
from django.utils.translation import gettext as _

from servicehall.core import wording


def _rows():
    return [{"line": 3, "reason": _("原因"), "value": "=1+2"}]


def test_texts_that_differ_by_language_are_kept_in_each_and_the_rest_as_they_are():
    (row,) = wording.worded_rows(_rows)
    assert row == {"line": 3, "reason": {"zh-hans": "原因", "en": "Reason"}, "value": "=1+2"}
    assert wording.read_rows([row]) == [{"line": 3, "reason": "原因", "value": "=1+2"}]
    with translation.override("en"):
        assert wording.read_rows([row])[0]["reason"] == "Reason"
    with translation.override("fr"):  # a language the hall does not have: its own
        assert wording.read(row["reason"]) == "原因"


def test_rows_stored_before_as_plain_text_read_as_they_were():
    with translation.override("en"):
        assert wording.read_rows([{"line": 1, "reason": "原因"}]) == [{"line": 1, "reason": "原因"}]
