"""The queue's rows written in Python (subsidy/templatetags/queue_rows.py): each branch of the
due date and the cross-check summary, escaped."""

import datetime
from types import SimpleNamespace

from django.utils import translation

from servicehall.subsidy.templatetags.queue_rows import checks_html, due_html, queue_rows

DAY = datetime.date(2026, 9, 18)


def test_the_due_date_says_each_case():
    assert due_html(None) == '<span class="review-due">—</span>'
    step = SimpleNamespace(kind="school_review", day=DAY, overdue=False)
    assert due_html(step) == '<span class="review-due"><time datetime="2026-09-18">2026-09-18</time></span>'
    late = SimpleNamespace(kind="school_review", day=DAY, overdue=True)
    assert due_html(late).endswith('</time> <span class="tag tag--refused">已超期</span></span>')
    publicity = SimpleNamespace(kind="publicity", day=DAY, overdue=False)
    assert due_html(publicity) == '<span class="review-due">公示至2026-09-18</span>'
    with translation.override("en"):
        assert "2026-09-18" in due_html(publicity) and "公示至" not in due_html(publicity)


def test_the_checks_summary_is_a_tag_or_not_compared():
    assert checks_html(("全部通过", "tag--done")) == '<span class="tag tag--done">全部通过</span>'
    assert checks_html(None) == '<span class="tag tag--muted">未比对</span>'


def test_a_row_escapes_what_people_typed():
    application = SimpleNamespace(pk=7, record_number="2026090100000007", state="school_review",
                                  department="<b>计算机</b>", major="软件&工程")
    row = {"application": application, "name": "张*明", "student_number": "", "category": "",
           "submitted": "2026-09-01 10:00", "due": None, "checks": None}
    html = queue_rows([row], "approve")
    assert "&lt;b&gt;计算机&lt;/b&gt;" in html and "软件&amp;工程" in html and "<b>" not in html
    assert 'value="7" id="pick-7"' in html and '<a href="/subsidy/review/7/">2026090100000007</a>' in html
    assert '<td data-label="学号" class="review-table__nowrap">—</td>' in html
    assert 'name="ids"' not in queue_rows([row], "")
