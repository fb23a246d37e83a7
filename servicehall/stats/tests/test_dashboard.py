"""数据统计 through HTTP: the numbers are the database's (counted here with plain ORM queries),
each organisation sees its own and nothing else, the filters, and a fixed number of queries
however many applications there are."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicehall.payments.models import PaymentItem
from servicehall.subsidy.constants import CONCLUDED
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application, GraduationYear, TimelineEvent
from servicehall.subsidy.selectors import category_index
from servicehall.subsidy.years import graduation_year_setup

pytestmark = pytest.mark.django_db

URL = reverse("stats:dashboard")


def submitted(**filters):
    return Application.objects.exclude(state=S.DRAFT).filter(**filters)


def page_for(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def table_rows(html: str, table_id: str) -> dict[str, str]:
    """{row heading: first number} of one of the page's tables."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>([\d,]+)</td>', table, re.S)
    return {label.strip(): int(value.replace(",", "")) for label, value in rows}


def test_the_operator_sees_the_province_and_every_number_is_the_databases(client, world, cases, year):
    html = page_for(client, world["operator"]).content.decode()
    states = table_rows(html, "table-state")
    for state in S:
        if state != S.DRAFT:
            assert states[str(state.label)] == submitted(state=state).count(), state
    assert sum(states.values()) == 300
    schools = table_rows(html, "table-school")
    for name in ("南京大学", "东南大学", "苏州大学"):
        assert schools[name] == submitted(school__name=name).count()
    assert table_rows(html, "table-city") == {
        "南京市": submitted(school__region_id="320100").count(),
        "苏州市": submitted(school__region_id="320500").count(),
    }
    categories = table_rows(html, "table-category")
    for category in year.categories.all():
        assert categories[category.name] == submitted(category_index=category_index(category.code)).count()
    summary = re.search(r'data-figure="concluded">(\d+)<', html).group(1)
    assert int(summary) == submitted(state__in=CONCLUDED).count()
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline style: charts use classes


def test_submissions_per_day_cover_every_day_of_the_window(client, world, cases, year):
    response = page_for(client, world["operator"])
    window = year.windows.get(kind="main")
    days = table_rows(response.content.decode(), "table-days-0")
    assert len(days) == 30 and min(days) == f"{window.opens_on:%Y-%m-%d}"
    for day, count in list(days.items())[:5]:
        assert count == submitted(submitted_at__date=day).count(), day
    assert sum(days.values()) == 300
    html = response.content.decode()
    assert html.count('class="chart chart--line"') == 1  # the supplementary window has none yet
    assert "这一申报期还没有提交的申请。" in html


def test_submissions_before_a_window_moved_later_are_still_counted(client, world, cases, year):
    window = year.windows.get(kind="main")
    early = submitted(submitted_at__date__lt=window.opens_on + timedelta(days=10)).count()
    window.opens_on += timedelta(days=10)
    window.save()
    response = page_for(client, world["operator"])
    series = response.context["dashboard"].per_day[0]
    assert len(series.days) == 20 and series.outside == early > 0
    assert series.total == 300 == sum(table_rows(response.content.decode(), "table-days-0").values()) + early
    assert f"另有 {early} 件的提交日期不在本申报期内" in response.content.decode()


def test_review_steps_count_waiting_items_and_decisions(client, world, cases):
    response = page_for(client, world["operator"])
    steps = {step.label: step for step in response.context["dashboard"].steps}
    school = steps["学校审核"]
    assert school.waiting == submitted(state=S.SCHOOL_REVIEW).count()
    assert (
        school.approved == TimelineEvent.objects.filter(action="approve", from_state=S.SCHOOL_REVIEW).count()
    )
    assert school.returned == submitted(state=S.RETURNED).count()
    assert school.stopped == submitted(state=S.REFUSED).count()
    first = steps["人社初审"]
    assert first.stopped == submitted(state=S.REJECTED).count() > 0
    # The generated cases entered their step up to 30 days ago: some are past 5 working days.
    assert 0 < school.overdue < school.waiting


def test_payments_by_batch_and_total_paid(client, world, cases):
    response = page_for(client, world["operator"])
    dashboard = response.context["dashboard"]
    paid = PaymentItem.objects.filter(status="paid")
    assert dashboard.paid_count == paid.count() == submitted(state=S.PAID).count()
    assert dashboard.paid_fen == paid.count() * 150_000
    assert len(dashboard.batches) == len(cases.made.batch_ids) > 1
    html = response.content.decode()
    assert f"已发放 {paid.count()} 笔，合计 {paid.count() * 1500:,}.00 元。" in html
    for batch in dashboard.batches:
        assert batch.number in html


@pytest.mark.parametrize(
    ("who", "mine", "not_mine"),
    [
        ("school", ["南京大学"], ["东南大学", "苏州大学"]),
        ("other_school", ["东南大学"], ["南京大学", "苏州大学"]),
        ("bureau", ["南京大学", "东南大学"], ["苏州大学"]),
        ("maker", ["南京大学", "东南大学"], ["苏州大学"]),
        ("other_bureau", ["苏州大学"], ["南京大学", "东南大学"]),
    ],
)
def test_each_organisation_sees_its_own_numbers_and_no_other(client, world, cases, who, mine, not_mine):
    response = page_for(client, world[who])
    html = response.content.decode()
    assert table_rows(html, "table-school") == {name: submitted(school__name=name).count() for name in mine}
    for name in not_mine:
        assert name not in html
    expected = submitted(school__name__in=mine)
    dashboard = response.context["dashboard"]
    assert dashboard.total == expected.count()
    assert dashboard.paid_count == PaymentItem.objects.filter(status="paid", application__in=expected).count()
    assert (
        sum(b.items for b in dashboard.batches)
        == PaymentItem.objects.filter(application__in=expected).count()
    )
    assert "id_city" not in html and "id_school" not in html  # only operators choose


def test_the_operator_filters_by_city_and_by_school(client, world, cases, schools):
    response = page_for(client, world["operator"], city="320500")
    assert response.context["dashboard"].total == submitted(school__region_id="320500").count()
    assert "统计范围：苏州市" in response.content.decode()
    response = page_for(client, world["operator"], school=schools["东南大学"].pk)
    assert response.context["dashboard"].total == submitted(school__name="东南大学").count()
    # A school filter from anyone else is not applied: the school reviewer keeps their own.
    response = page_for(client, world["school"], school=schools["东南大学"].pk, city="320500")
    assert response.context["dashboard"].total == submitted(school__name="南京大学").count()


def test_the_latest_year_is_shown_unless_another_is_chosen(client, world, cases):
    graduation_year_setup(year=2028)
    response = page_for(client, world["operator"])
    assert response.context["year"].pk == 2028 and response.context["dashboard"].total == 0
    assert page_for(client, world["operator"], year=2027).context["dashboard"].total == 300
    response = page_for(client, world["operator"], year=1999)
    assert response.context["year"].pk == 2028
    assert "请从列表中选择毕业年度" in response.content.decode()


def test_without_any_graduation_year_the_page_says_so(client, world):
    GraduationYear.objects.all().delete()
    html = page_for(client, world["operator"]).content.decode()
    assert "尚未设置毕业年度" in html
    assert client.get(reverse("stats:export"))["Location"] == URL


def test_the_number_of_queries_does_not_grow_with_the_applications(
    client, world, cases, django_assert_max_num_queries
):
    client.force_login(world["operator"])
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    cases(900, seed=2, prefix="more")
    assert submitted().count() == 1200
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert response.context["dashboard"].total == 1200
    assert len(few) <= 30


def test_who_may_open_the_page(client, world, person):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login_staff") in response["Location"]
    client.force_login(person)
    assert client.get(URL)["Location"] == reverse("portal:center")


def test_an_auditor_is_refused(client, world, organisations):
    from tests.people import make_staff

    auditor = make_staff(organisations["platform"], "js.auditor", "auditor", "13900000051")
    client.force_login(auditor)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("stats:export")).status_code == 403
    assert reverse("stats:dashboard") not in client.get(reverse("accounts:staff_home")).content.decode()


def test_staff_whose_organisation_is_disabled_see_nothing(client, world, cases):
    organisation = world["school"].organisation
    organisation.is_active = False
    organisation.save()
    assert page_for(client, world["school"]).context["dashboard"].total == 0


def test_the_staff_home_links_to_the_statistics(client, world):
    for who in ("operator", "school", "bureau", "maker"):
        client.force_login(world[who])
        assert reverse("stats:dashboard") in client.get(reverse("accounts:staff_home")).content.decode()
