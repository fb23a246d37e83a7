"""The statistics tests' world: 南京大学 and 东南大学 in 南京, 苏州大学 in 苏州, each city's bureau,
their reviewers and 南京's payment officers. The browser test of the dashboard builds the same."""

from servicehall.reference.models import Region, School
from tests.people import make_staff

SCHOOLS = ("南京大学", "东南大学", "苏州大学")


def stats_world(operator, school_reviewer) -> dict:
    """Who sees what is what the tests check."""
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


def stats_schools() -> dict:
    return {name: School.objects.get(name=name) for name in SCHOOLS}
