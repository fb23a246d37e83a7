"""Setting up the next graduation year from the last one."""

import pytest

from servicehall.core.errors import DomainError
from servicehall.core.versions import data_changed
from servicehall.subsidy.models import ApplicationWindow, HardshipCategory, RequiredMaterial
from servicehall.subsidy.selectors import SETUP_VERSION
from servicehall.subsidy.years import graduation_year_copy

pytestmark = pytest.mark.django_db


def test_the_next_year_copies_settings_categories_and_materials_with_its_own_windows(year):
    year.amount_fen, year.publicity_days = 180_000, 7
    year.save()
    HardshipCategory.objects.filter(graduation_year=year, code="extreme_poverty").update(is_active=False)
    data_changed(SETUP_VERSION)  # written past the models' signals
    created = graduation_year_copy(source=year, year=2028)
    assert (created.amount_fen, created.publicity_days) == (180_000, 7)
    codes = dict(HardshipCategory.objects.filter(graduation_year=created).values_list("code", "is_active"))
    assert codes == dict(
        HardshipCategory.objects.filter(graduation_year=year).values_list("code", "is_active")
    )
    assert RequiredMaterial.objects.filter(category__graduation_year=created).count() == (
        RequiredMaterial.objects.filter(category__graduation_year=year).count()
    )
    main = ApplicationWindow.objects.get(graduation_year=created, kind="main")
    assert (main.opens_on.isoformat(), main.closes_on.isoformat()) == ("2027-09-01", "2027-09-30")
    # The source is untouched, and a year is not set up twice.
    assert HardshipCategory.objects.filter(graduation_year=year).count() == len(codes)
    with pytest.raises(DomainError):
        graduation_year_copy(source=year, year=2028)
