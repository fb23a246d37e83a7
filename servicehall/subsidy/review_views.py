"""The reviewers' workbench: the queue with its tabs, filters, batch decisions and export, and
the school's objections (one application's page is review_case_views.py). Every application
comes through review_selectors, so a reviewer of another school or bureau finds nothing (404)
whatever the address. Decisions are the services' (review.py, publicity.py); these views only
call them and say what happened."""

import io
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicehall.audit.services import audit_record, audit_record_many
from servicehall.core.actions import Action
from servicehall.core.decorators import action_required
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.masking import mask_name, mask_student_number
from servicehall.core.money import money

from . import exports, notify, publicity, review, review_search
from .check_selectors import summary_for
from .constants import ApplicationStatus
from .deadlines import DueDates
from .models import Application, ObjectionState
from .review_forms import BatchConfirmForm, ObjectionHandleForm, QueueFilterForm
from .review_queue import (
    BATCH_MAX,
    CategoryNames,
    Selection,
    is_school,
    open_objection_count,
    publish_overdue_count,
    queue_filtered,
    queue_rows_of,
    tab_counts,
    tab_export,
    tab_listing,
    tab_of,
    tabs_for,
)
from .review_selectors import application_get_for_reviewer
from .selectors import graduation_years

S = ApplicationStatus
PER_PAGE = 50


# --- Access --------------------------------------------------------------------------------


def reviewer_required(view):
    """Staff of a school or a bureau who review; anyone else on staff gets 403, a person is sent
    to 个人中心 and someone logged out to 单位登录 (staff_required)."""

    return action_required(Action.REVIEW_SCHOOL, Action.REVIEW_BUREAU)(view)


def application_or_404(user, pk) -> Application:
    try:
        return application_get_for_reviewer(user, pk)
    except Application.DoesNotExist:
        raise Http404 from None


def _queue_state(request):
    """What the queue, its export and its batch forms share: the tabs, the chosen one, the
    filter form and the applications it selects (all tabs)."""
    tabs = tabs_for(request.user)
    tab = tab_of(tabs, request.GET.get("tab"))
    data, search_expired = review_search.filter_data(request)
    if search_expired:
        messages.info(request, _("搜索条件已过期，请重新输入搜索内容。"))
    form = QueueFilterForm(data)
    filters = form.filters()
    return tabs, tab, form, filters, queue_filtered(request.user, filters)


# The search text itself is never in a URL: review_search puts a token ("s") there instead.
FILTER_KEYS = (
    "tab", review_search.TOKEN_PARAM, "category", "department", "major",
    "submitted_from", "submitted_to", "check", "page",
)


def queue_url(query: str = "") -> str:
    """The queue with only its own parameters kept from `query`: a redirect target built from
    what a form posted must not lead anywhere else."""
    params = QueryDict(query, mutable=True)
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if params.get(key):
            kept[key] = params[key][:60]
    url = reverse("subsidy:review_queue")
    return f"{url}?{kept.urlencode()}" if kept else url


@reviewer_required
def review_queue(request):
    if request.method == "POST":  # the filter form: its search text goes into the session
        query = review_search.query_from_post(request, (*FILTER_KEYS, review_search.SEARCH_FIELD))
        return redirect(queue_url(query))
    tabs, tab, form, filters, applications = _queue_state(request)
    counts = tab_counts(applications, tabs, actor=None if filters else request.user)
    paginator = Paginator(tab_listing(applications, tab), PER_PAGE)
    paginator.count = counts[tab.key]  # the tab's rows, counted above: not counted again
    page = paginator.get_page(request.GET.get("page"))
    listed = queue_rows_of(page.object_list)
    due, names, years = DueDates(), CategoryNames(), graduation_years()
    checks = summary_for([row.pk for row in listed])
    rows = [
        {
            "application": row,
            "name": mask_name(row.name),
            # As the date filter writes it, without its per-call format look-ups (50 rows a page).
            "submitted": (
                timezone.localtime(row.submitted_at).strftime("%Y-%m-%d %H:%M") if row.submitted_at else ""
            ),
            "student_number": mask_student_number(row.student_number),
            "category": names(row),
            "due": due.of(
                row.state, row.state_changed_at, row.publicity_closes_at, years.get(row.graduation_year_id)
            ),
            "checks": checks.get(row.pk),
        }
        for row in listed
    ]
    school = is_school(request.user)
    open_objections = open_objection_count(request.user) if school else 0
    publish_overdue = publish_overdue_count(request.user) if school else 0
    export_params = [
        (key, form.data[key]) for key in filters
        if form.data.get(key) and key != review_search.SEARCH_FIELD
    ]
    if review_search.SEARCH_FIELD in filters:
        export_params.append((review_search.TOKEN_PARAM, request.GET[review_search.TOKEN_PARAM]))
    return render(
        request,
        "subsidy/review/queue.html",
        {
            "is_school": is_school(request.user),
            "tabs": [(t, counts[t.key]) for t in tabs],
            "tab": tab,
            "form": form,
            "filtered": bool(filters),
            # The filters behind 更多筛选条件 that are set (or wrong): the panel opens for them.
            "more_filters": len({key for key in [*filters, *form.errors] if key != "q"}),
            "page": page,
            "rows": rows,
            "export_params": export_params,
            "open_objections": open_objections,
            "publish_overdue": publish_overdue,
            "back": request.GET.urlencode(),
            "batch_max": BATCH_MAX,
        },
    )


# The steps whose tab offers 批量通过 (the Tab's decision), as the confirmation and the result
# name them: the step, and what comes next for the applications passed.
BATCH_WORDS = {
    "approve_by_school": (gettext_lazy("学校审核"), gettext_lazy("请在“待公示”中发布公示。")),
    "approve_first": (gettext_lazy("人社初审"), gettext_lazy("已转入复审，复审须由其他审核人员办理。")),
    "approve_second": (gettext_lazy("人社复审"), gettext_lazy("已核准，等待发放。")),
}
LISTED_NUMBERS = 20  # record numbers named in a message at most
ID_DIGITS = 18  # an application id fits a 64-bit integer


def _numbers_text(numbers) -> str:
    shown = "、".join(numbers[:LISTED_NUMBERS])
    return shown + (_("等") if len(numbers) > LISTED_NUMBERS else "")


def _batch_selection(request):
    """The tab, the filter form and the Selection a 批量通过 form posts: the queue's own query
    string (`back`: its tab and filters, the search behind its token), then the ticked `ids` or
    `all`, and the confirmation's own fields once it was shown. A field that is not what the
    hall's pages send is refused in words, never widened into more applications."""
    params = QueryDict(request.POST.get("back", ""))
    tabs = tabs_for(request.user)
    tab = next((t for t in tabs if t.key == params.get("tab", tabs[0].key)), None)
    if tab is None or tab.batch != "approve":
        raise DomainError(_("这一栏不能批量通过，请返回列表。"), code="no_batch")
    data, search_expired = review_search.filter_data(request, params)
    if search_expired:
        raise DomainError(_("搜索条件已过期，请返回列表重新搜索后再批量通过。"), code="search_expired")
    form = QueueFilterForm(data)
    if not form.is_valid():
        raise DomainError(_("筛选条件有误，请返回列表改正筛选条件后再批量通过。"), code="bad_filter")
    if request.POST.get("all") == "1":
        selection = Selection(filters=form.filters())
    else:
        posted = list(dict.fromkeys(request.POST.getlist("ids")))
        if any(not (i.isdigit() and len(i) <= ID_DIGITS) for i in posted):
            raise DomainError(_("所选申请有误，请返回列表重新勾选。"), code="bad_ids")
        selection = Selection(ids=tuple(int(i) for i in posted))
    if request.POST.get("confirm") == "1":
        confirmed = BatchConfirmForm(request.POST)
        if not confirmed.is_valid():
            raise DomainError(_("这份确认已失效，请返回列表重新选择后再批量通过。"), code="bad_confirmation")
        values = confirmed.cleaned_data
        through = None
        if values["through_pk"]:
            through = (values["through_at"], values["through_pk"])
        selection = replace(selection, as_of=values["as_of"], through=through, counted=values["counted"])
    return tab, form, selection


def _say_batch_result(request, decision, result) -> None:
    parts = [_("已通过%(count)s笔。") % {"count": result.done}]
    if result.repeated:
        parts.append(_("%(count)s笔此前已由您通过，没有重复办理。") % {"count": result.repeated})
    if result.moved:
        parts.append(_("%(count)s笔已被他人处理。") % {"count": result.moved})
    if result.blocked:
        parts.append(
            _("%(count)s笔就业或领取比对未通过，没有通过，须逐笔打开核实后办理：%(numbers)s。")
            % {"count": len(result.blocked), "numbers": _numbers_text(result.blocked)}
        )
    if result.own_first_review:
        parts.append(
            _("%(count)s笔是您本人初审的，复审须由其他审核人员办理。") % {"count": result.own_first_review}
        )
    if result.done:
        parts.append(str(BATCH_WORDS[decision][1]))
    if result.remaining:
        parts.append(_("列表中还有%(count)s笔符合条件的申请，可再次批量通过。") % {"count": result.remaining})
    left = result.moved or result.blocked or result.own_first_review or not result.done
    (messages.warning if left else messages.success)(request, "".join(parts))


def _batch_approve(request, back):
    """批量通过: the first POST shows the confirmation (how many, how much, which filter); its
    确认批量通过 posts the same selection again with confirm=1, and the service does it."""
    try:
        tab, form, selection = _batch_selection(request)
        if request.POST.get("confirm") == "1":
            result = review.applications_approve(
                actor=request.user,
                decision=tab.decision,
                selection=selection,
                client_address=client_ip(request),
            )
            _say_batch_result(request, tab.decision, result)
            return redirect(back)
        summary = review.batch_summary_for(request.user, decision=tab.decision, selection=selection)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if not summary.rows:
        messages.error(request, _("没有可以批量通过的申请，可能已被他人处理，请查看列表。"))
        return redirect(back)
    through_at, through_pk = summary.selection.through or (None, None)
    return render(
        request,
        "subsidy/review/batch_confirm.html",
        {
            "is_school": is_school(request.user),
            "step": BATCH_WORDS[tab.decision][0],
            "tab": tab,
            "summary": summary,
            "filters": form.described() if selection.all_matching else [],
            "all_matching": selection.all_matching,
            "ids": selection.ids,
            "total": money(summary.total_fen),
            "by_year": [
                {"year": year, "count": count, "amount": money(amount)}
                for year, amount, count in summary.by_year
            ],
            "blocked": _numbers_text(summary.blocked),
            "rest": summary.matching - summary.rows,
            "pages": -(-summary.rows // PER_PAGE),
            "as_of": summary.selection.as_of.isoformat(),
            "through_at": through_at.isoformat() if through_at else "",
            "through_pk": through_pk or "",
            "back": request.POST.get("back", ""),
            "back_url": back,
        },
    )


def _publish(request, back):
    """发布公示 on 待公示: the ticked applications as one publicity list."""
    if not request.user.may(Action.REVIEW_SCHOOL):
        raise PermissionDenied
    ids = [i for i in dict.fromkeys(request.POST.getlist("ids")) if i.isdigit()]
    if not ids:
        messages.error(request, _("请先勾选要办理的申请。"))
        return redirect(back)
    try:
        item = publicity.publicity_publish(
            actor=request.user, application_ids=ids, client_address=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    listed = item.applications.count()
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("已发布公示，共%(count)s人，公示至%(closes)s。")
            % {"count": listed, "closes": f"{timezone.localtime(item.closes_at):%Y-%m-%d %H:%M}"},
            reverse("notices:detail", args=[item.notice_id]),
            _("查看公示"),
        ),
    )
    return redirect(back)


@require_POST
@reviewer_required
def review_batch(request):
    """批量通过 on 待审核 (school), 初审 and 复审 (bureau), through a confirmation; 发布公示 on
    待公示. The ids come as one `ids` field each, so DATA_UPLOAD_MAX_NUMBER_FIELDS must allow a
    thousand of them and the form's other fields."""
    back = queue_url(request.POST.get("back", ""))
    action = request.POST.get("action")
    if action == "publish":
        return _publish(request, back)
    if action == "approve":
        return _batch_approve(request, back)
    messages.error(request, _("请选择要办理的操作。"))
    return redirect(back)


@reviewer_required
def review_export(request):
    _tabs, tab, _form, _filters, applications = _queue_state(request)
    listed = tab_export(applications, tab)
    total = listed.count()
    if total > exports.EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("符合条件的申请有%(total)s笔，一次最多导出%(max)s笔，请缩小筛选范围后再导出。")
            % {"total": total, "max": exports.EXPORT_MAX_ROWS},
        )
        return redirect(queue_url(request.GET.urlencode()))
    full_id = request.GET.get("full_id") == "1"
    due = DueDates()
    rows, shown = listed.iterator(chunk_size=2000), []
    if full_id:  # each application whose full ID number leaves in the file is audited by itself
        rows = (shown.append(application.pk) or application for application in rows)
    content, count = exports.applications_workbook(
        rows,
        full_id=full_id,
        category_name=CategoryNames(),
        due_date=due.day,
        title=str(tab.label),
    )
    audit_record(
        actor=request.user,
        action="subsidy.export",
        detail={"rows": count, "full_id": full_id, "tab": tab.key},
        client_address=client_ip(request),
    )
    audit_record_many(
        actor=request.user,
        action="subsidy.reveal_id_number",
        targets=[Application(pk=pk) for pk in shown],
        detail={"via": "export"},
        client_address=client_ip(request),
    )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{_('求职创业补贴')}-{tab.label}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=exports.CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- One application -------------------------------------------------------------------------


@reviewer_required
def review_objections(request):
    if not request.user.may(Action.HANDLE_OBJECTIONS):
        raise PermissionDenied
    objections = publicity.objection_list_for(request.user)
    failed = None  # (objection id, bound form with its errors)
    if request.method == "POST":
        objection_id = request.POST.get("objection", "")
        if not objection_id.isdigit():
            raise Http404
        form = ObjectionHandleForm(request.POST, prefix=f"objection-{objection_id}")
        decision = request.POST.get("decision")
        if decision not in ("uphold", "dismiss"):
            form.add_error(None, _("请选择“异议不成立”或“异议成立”。"))
        elif form.is_valid():
            try:
                handled = publicity.objection_handle(
                    actor=request.user,
                    objection_id=int(objection_id),
                    uphold=decision == "uphold",
                    response=form.cleaned_data["response"],
                    client_address=client_ip(request),
                )
            except DomainError as error:
                if error.code == "not_found":
                    raise Http404 from None
                if error.fields:
                    error.add_to_form(form)
                else:
                    messages.error(request, error.message)
                    return redirect("subsidy:review_objections")
            else:
                number = handled.application.record_number
                if handled.state == ObjectionState.UPHELD:
                    text = _("已处理：对%(number)s的异议成立，该申请已退回学校审核，请在“待审核”中重新审核。")
                else:
                    text = _("已处理：对%(number)s的异议不成立，公示期满后该申请转人社初审。")
                messages.success(request, text % {"number": number})
                if warning := notify.masked_warning(form.cleaned_data["response"]):
                    messages.warning(request, warning)
                return redirect("subsidy:review_objections")
        failed = (int(objection_id), form)
    ordered = objections.select_related("application", "handled_by").order_by(
        Case(When(state=ObjectionState.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-raised_at",
        "-pk",
    )
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    items = []
    for objection in page.object_list:
        form = None
        if objection.state == ObjectionState.OPEN:
            if failed and failed[0] == objection.pk:
                form = failed[1]
            else:
                form = ObjectionHandleForm(prefix=f"objection-{objection.pk}")
        application = objection.application
        items.append(
            {
                "objection": objection,
                "name": mask_name(application.name),
                "student_number": mask_student_number(application.student_number),
                "form": form,
            }
        )
    return render(
        request,
        "subsidy/review/objections.html",
        {"page": page, "items": items, "failed": failed[1] if failed else None},
    )
