"""The subsidy guide says which 毕业生类型 apply in which graduation year (issue 17): the policy's
list changed since the operating manual was written, and the demo keeps a 2021 year with the
manual's six, so a person reading the manual finds them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from servicehall.subsidy.models import HardshipCategory
from servicehall.subsidy.tests.factories import YEAR
from servicehall.subsidy.years import CATEGORIES_IN_THE_MANUAL, MANUAL_YEAR, graduation_year_setup

pytestmark = pytest.mark.django_db
GUIDE = reverse("catalog:guide", args=["job-seeking-subsidy"])


def _section(page: str) -> str:
    start = page.index('id="categories-by-year"')
    return page[start:page.index("</section>", start)]


def test_the_guide_lists_each_years_categories_in_force(client, year):
    graduation_year_setup(year=MANUAL_YEAR, categories=CATEGORIES_IN_THE_MANUAL)
    HardshipCategory.objects.filter(graduation_year=year, code="extreme_poverty").update(is_active=False)
    section = _section(client.get(GUIDE).content.decode())
    assert section.index(f"{YEAR}届") < section.index(f"{MANUAL_YEAR}届")  # newest first
    assert "零就业家庭" in section and "建档立卡贫困家庭" in section and "获取国家助学贷款" in section
    this_year = section[section.index(f"{YEAR}届"):section.index(f"{MANUAL_YEAR}届")]
    assert "特困人员" not in this_year  # stopped this year: not offered
    assert "特困人员" in section[section.index(f"{MANUAL_YEAR}届"):]
    # Other services' guides do not carry it.
    other = client.get(reverse("catalog:guide", args=["case-progress"])).content.decode()
    assert 'id="categories-by-year"' not in other


def test_the_demo_keeps_the_manuals_year_with_its_six_categories(client):
    call_command("load_demo", verbosity=0)
    manual_year = HardshipCategory.objects.filter(graduation_year_id=MANUAL_YEAR)
    assert list(manual_year.values_list("name", flat=True)) == [
        "残疾", "低保家庭", "特困人员", "建档立卡低收入农户家庭", "建档立卡贫困家庭", "获取国家助学贷款",
    ]
    assert "建档立卡低收入农户家庭" in _section(client.get(GUIDE).content.decode())
    call_command("load_demo", verbosity=0)  # again: nothing doubled
    assert HardshipCategory.objects.filter(graduation_year_id=MANUAL_YEAR).count() == 6
