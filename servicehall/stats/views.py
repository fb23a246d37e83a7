"""数据统计: the dashboard (charts with their tables) and its Excel copy. Both read one Dashboard
computed over the actor's scope (selectors.py); exports are audited."""

import io
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.models import Role
from servicehall.audit.services import audit_record
from servicehall.core.actions import Action
from servicehall.core.decorators import action_required
from servicehall.core.http import client_ip
from servicehall.core.money import money
from servicehall.subsidy.selectors import graduation_year_get

from . import excel, figures
from .charts import Bar, bar_chart, line_chart, number
from .forms import DashboardFilterForm
from .selectors import application_scope_for, filtered, sees_whole_province

SCHOOLS_IN_CHART = 15  # the chart shows the schools with most applications; the table lists all
BATCHES_IN_CHART = 15


def statistics_required(view):
    """Operators, school and bureau reviewers, payment officers; other staff get 403, a person
    is sent to 个人中心 and someone logged out to 单位登录 (staff_required)."""

    return action_required(Action.VIEW_STATISTICS)(view)


def _scope_label(user, chosen, form) -> str:
    if sees_whole_province(user):
        if chosen["school"] is not None:
            return chosen["school"].name
        return form.city_names.get(chosen["city"]) or _("全省")
    if user.role == Role.SCHOOL_REVIEWER:
        return user.organisation.name
    return _("%(bureau)s辖区内学校") % {"bureau": user.organisation.name}


def _load(request):
    user = request.user
    whole = sees_whole_province(user)
    form = DashboardFilterForm(request.GET or None, whole_province=whole)
    chosen = form.chosen()
    year = graduation_year_get(chosen["year"]) if chosen["year"] else None
    applications = filtered(
        application_scope_for(user),
        year=year,
        city=chosen["city"] if whole else "",
        school=chosen["school"] if whole else None,
    )
    dashboard = figures.dashboard(applications, year=year) if year is not None else None
    filters = {key: value for key, value in request.GET.items() if key in form.fields and value}
    return form, year, _scope_label(user, chosen, form), dashboard, filters


def _share(value: int, total: int) -> str:
    return f"{value * 100 / total:.1f}%" if total else "—"


def _with_shares(rows, total):
    return [{"label": row.label, "value": row.value, "share": _share(row.value, total)} for row in rows]


def _charts(dashboard: figures.Dashboard) -> dict:
    def bars(chart_id, title, rows, **extra):
        return bar_chart(chart_id=chart_id, title=title, bars=[Bar(r.label, r.value) for r in rows], **extra)

    schools = dashboard.by_school[:SCHOOLS_IN_CHART]
    step_bars = []
    for step in dashboard.steps:
        step_bars += [
            Bar(_("%(step)s：已办理") % {"step": step.label}, step.handled, tone="dark"),
            Bar(_("%(step)s：待办") % {"step": step.label}, step.waiting),
            Bar(_("%(step)s：其中超期") % {"step": step.label}, step.overdue, tone="warning"),
        ]
    batch_bars = [
        Bar(batch.number, batch.paid_fen, shown=money(batch.paid_fen))
        for batch in dashboard.batches[:BATCHES_IN_CHART]
    ]
    days = []
    for i, series in enumerate(dashboard.per_day):
        busiest = series.busiest
        description = (
            _("共%(total)s件；最多的一天是%(day)s，%(count)s件。各日数值见图下的表格。")
            % {"total": number(series.total), "day": f"{busiest[0]:%Y-%m-%d}", "count": number(busiest[1])}
            if busiest
            else _("这一申报期还没有提交的申请。")
        )
        title = _("每日提交量：%(window)s") % {"window": series.label}
        days.append(
            line_chart(chart_id=f"chart-days-{i}", title=title, points=series.days, description=description)
        )
    checks = dashboard.checks
    check_bars = (
        [
            Bar(_("全部通过"), checks.passed),
            Bar(_("有未通过或未查到的项目"), checks.checked - checks.passed, tone="warning"),
        ]
        if checks
        else []
    )
    rated = dashboard.ratings
    rating_bars = [
        Bar(label, count, tone="warning" if index >= 3 else "")
        for index, (label, count) in enumerate(rated.by_grade if rated else [])
    ]
    return {
        "checks": bar_chart(chart_id="chart-checks", title=_("系统比对结果"), bars=check_bars),
        "ratings": bar_chart(chart_id="chart-ratings", title=_("服务评价（好差评）"), bars=rating_bars),
        "state": bars("chart-state", _("按办理状态统计申请件数"), dashboard.by_state),
        "city": bars("chart-city", _("按城市统计申请件数"), dashboard.by_city),
        "school": bars("chart-school", _("申请件数最多的学校"), schools),
        "category": bars("chart-category", _("按毕业生类型统计申请件数"), dashboard.by_category),
        "days": days,
        "steps": bar_chart(chart_id="chart-steps", title=_("各审核环节的办理量、待办与超期"), bars=step_bars),
        "batches": bar_chart(chart_id="chart-batches", title=_("各发放批次已发放金额"), bars=batch_bars),
    }


@statistics_required
def dashboard(request):
    form, year, scope_label, data, filters = _load(request)
    context = {"form": form, "year": year, "scope_label": scope_label, "dashboard": data, "filters": filters}
    if data is not None:
        charts = _charts(data)
        context.update(
            charts=charts,
            days=list(zip(data.per_day, charts["days"], strict=True)),
            by_state=_with_shares(data.by_state, data.total),
            by_city=_with_shares(data.by_city, data.total),
            by_school=_with_shares(data.by_school, data.total),
            by_category=_with_shares(data.by_category, data.total),
            schools_in_chart=SCHOOLS_IN_CHART,
            batches_in_chart=BATCHES_IN_CHART,
            paid_total=money(data.paid_fen),
            export_query=urlencode(filters),
        )
    return render(request, "stats/dashboard.html", context)


@statistics_required
def export(request):
    _form, year, scope_label, data, filters = _load(request)
    if data is None:  # no graduation year is set up yet: the page says so
        return redirect("stats:dashboard")
    content = excel.dashboard_workbook(data, year=year, scope_label=scope_label, generated_at=timezone.now())
    audit_record(
        actor=request.user,
        action="stats.export",
        detail={"year": year.pk, "scope": scope_label, "filters": filters},
        client_address=client_ip(request),
    )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{_('数据统计')}-{year.pk}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=excel.CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
