"""The subsidy guide's 各毕业年度的毕业生类型 (issue 17): this year's categories and the 2021 year
the operating manual shows, readable on a desktop and a phone, axe on the page."""

from playwright.sync_api import expect

from servicehall.subsidy.tests.factories import YEAR
from servicehall.subsidy.years import CATEGORIES_IN_THE_MANUAL, MANUAL_YEAR, graduation_year_setup


def test_the_guide_says_which_categories_apply_in_which_year(page, visit, year):
    graduation_year_setup(year=MANUAL_YEAR, categories=CATEGORIES_IN_THE_MANUAL)
    visit("/services/job-seeking-subsidy/")
    section = page.locator("#categories-by-year")
    expect(section.get_by_role("heading", level=2)).to_have_text("各毕业年度的毕业生类型")
    expect(section.locator("dt").first).to_have_text(f"{YEAR}届")
    manuals = "、".join(name for _code, name, _materials in CATEGORIES_IN_THE_MANUAL)
    expect(section.locator("dd").last).to_have_text(manuals)
