"""The cell checks of a registry import (verification.reading): the common plain cells take a
short way, and every other way of writing a date or a number still reads, or fails, as before."""

import datetime

import pytest

from servicehall.core.errors import DomainError
from servicehall.verification import reading

DAY = datetime.date(2027, 6, 30)


@pytest.mark.parametrize(
    "written",
    [
        "2027-06-30",
        "2027/6/30",
        "2027.06.30",
        "20270630",
        " 2027-06-30 ",
        "２０２７-０６-３０",
        "2027-06-30 08:00",
    ],
)
def test_a_date_reads_however_it_is_written(written):
    assert reading.check_date("valid_until", written, label="有效期至", required=True) == DAY


@pytest.mark.parametrize("written", ["2027-02-30", "2027-13-01", "2027-W26-3", "30/06/2027"])
def test_a_date_that_is_no_day_is_refused_with_the_format(written):
    with pytest.raises(DomainError) as refused:
        reading.check_date("valid_until", written, label="有效期至", required=True)
    assert "有效期至应为YYYY-MM-DD格式" in str(refused.value.message)


@pytest.mark.parametrize(
    "written", ["11010519491231002X", "11010519491231002x", "110105-19491231-002X", "'11010519491231002X"]
)
def test_an_id_number_reads_however_it_is_written(written):
    assert reading.check_id(written, today=datetime.date(2026, 12, 4)) == "11010519491231002X"


def test_a_birth_date_after_today_is_refused():
    with pytest.raises(DomainError):
        reading.check_id("11010519491231002X", today=datetime.date(1949, 12, 30))
