"""{% queue_rows rows tab.batch %}: the rows of a reviewer's queue, written in Python.

Fifty rows a page of eleven cells each, with the due date and the cross-check summary: through
templates (an include for each of the two) they cost about 0.1 ms a row, a third of the queue
page's time. The markup is the one the template wrote, byte for byte (the tests and the browser
tests read it); each cell names its column for the phone layout, translated once a page."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .subsidy_tags import state_html

register = template.Library()

_COLUMNS = (
    ("pick", "选择"),
    ("number", "申报编号"),
    ("name", "姓名"),
    ("student", "学号"),
    ("department", "所在院系"),
    ("major", "专业"),
    ("category", "毕业生类型"),
    ("submitted", "提交时间"),
    ("state", "状态"),
    ("due", "办理时限"),
    ("checks", "数据比对"),
)


def due_html(due) -> SafeString:
    """办理时限: the day a step is due (已超期 past it), or the day a publicity period ends."""
    if not due:
        return mark_safe('<span class="review-due">—</span>')
    day = due.day.isoformat()
    if due.kind == "publicity":
        return format_html('<span class="review-due">{}</span>', gettext("公示至%(day)s") % {"day": day})
    overdue = ""
    if due.overdue:
        overdue = format_html(' <span class="tag tag--refused">{}</span>', gettext("已超期"))
    return format_html('<span class="review-due"><time datetime="{}">{}</time>{}</span>', day, day, overdue)


def checks_html(summary) -> SafeString:
    """数据比对: the cross-checks' summary as a tag, or 未比对."""
    if summary:
        return format_html('<span class="tag {}">{}</span>', summary[1], summary[0])
    return format_html('<span class="tag tag--muted">{}</span>', gettext("未比对"))


@register.simple_tag
def queue_rows(rows, batch) -> SafeString:
    label = {key: conditional_escape(gettext(words)) for key, words in _COLUMNS}
    prefix, suffix = reverse("subsidy:review_detail", args=[0]).rsplit("0", 1)
    nowrap = ' class="review-table__nowrap"'
    # A page's rows share a few states, due dates and check summaries: each is written once.
    cell: dict[tuple, str] = {}

    def once(write, value):
        key = (write, value)
        if key not in cell:
            cell[key] = conditional_escape(write(value))
        return cell[key]

    written = []
    for row in rows:
        application = row["application"]
        pk, number = application.pk, conditional_escape(application.record_number)
        pick = ""
        if batch:
            chosen = conditional_escape(gettext("选择申请%(number)s") % {"number": application.record_number})
            pick = (
                f'<td data-label="{label["pick"]}"><label class="review-pick" for="pick-{pk}"><input '
                f'type="checkbox" name="ids" value="{pk}" id="pick-{pk}"><span class="visually-hidden">'
                f"{chosen}</span></label></td>"
            )
        cells = (
            ("name", nowrap, row["name"]),
            ("student", nowrap, row["student_number"] or "—"),
            ("department", "", application.department or "—"),
            ("major", "", application.major or "—"),
            ("category", "", row["category"] or "—"),
            ("submitted", nowrap, row["submitted"] or ""),
            ("state", nowrap, once(state_html, application.state)),
            ("due", nowrap, once(due_html, row["due"])),
            ("checks", nowrap, once(checks_html, row["checks"])),
        )
        written.append(
            f'<tr>{pick}<td data-label="{label["number"]}"{nowrap}>'
            f'<a href="{prefix}{pk}{suffix}">{number}</a></td>'
            + "".join(
                f'<td data-label="{label[key]}"{wrap}>{conditional_escape(value)}</td>'
                for key, wrap, value in cells
            )
            + "</tr>"
        )
    return mark_safe("\n".join(written))  # noqa: S308 - every value above is escaped
