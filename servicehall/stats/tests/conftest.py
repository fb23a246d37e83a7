import pytest

from servicehall.reference.models import Region, School
from servicehall.subsidy.years import graduation_year_setup
from tests.people import make_staff
from tests.stats_data import make_cases

YEAR = 2027


@pytest.fixture
def year(db):
    return graduation_year_setup(year=YEAR)


@pytest.fixture
def world(organisations, operator, school_reviewer):
    """南京大学 and 东南大学 in 南京, 苏州大学 in 苏州; each city's bureau; who sees what is what
    the tests check."""
    from servicehall.accounts import services
    from servicehall.accounts.models import Organisation

    def organisation(name, kind, city, school=None):
        return services.organisation_create(
            name=name, kind=kind, region=Region.objects.get(code=city), school=school
        )

    seu = organisation("东南大学", Organisation.Kind.SCHOOL, "320100", School.objects.get(name="东南大学"))
    nanjing = organisation("南京市人力资源和社会保障局", Organisation.Kind.BUREAU, "320100")
    suzhou = organisation("苏州市人力资源和社会保障局", Organisation.Kind.BUREAU, "320500")
    return {
        "operator": operator,
        "school": school_reviewer,
        "other_school": make_staff(seu, "seu.reviewer", "school_reviewer", "13900000012"),
        "bureau": make_staff(nanjing, "nj.reviewer", "bureau_reviewer", "13900000021"),
        "other_bureau": make_staff(suzhou, "sz.reviewer", "bureau_reviewer", "13900000023"),
        "maker": make_staff(nanjing, "nj.finance1", "payment_officer", "13900000031"),
        "checker": make_staff(nanjing, "nj.finance2", "payment_officer", "13900000032"),
        "nanjing": nanjing,
    }


@pytest.fixture
def schools(db):
    return {name: School.objects.get(name=name) for name in ("南京大学", "东南大学", "苏州大学")}


@pytest.fixture
def cases(world, year, schools, person):
    """300 applications over the three schools, paid through 南京's batches."""

    def make(count=300, *, seed=9, prefix="gen", target_year=None):
        return make_cases(
            count,
            year=target_year or year,
            schools=list(schools.values()),
            applicant=person,
            bureau=world["nanjing"],
            makers=(world["maker"], world["checker"]),
            seed=seed,
            prefix=prefix,
            batch_size=60,
        )

    make.made = make()
    return make
