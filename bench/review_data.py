"""Applications awaiting a school's review, made in bulk for the benchmarks."""

from django.utils import timezone

from servicehall.accounts import services as accounts
from servicehall.accounts.models import IdType, Organisation
from servicehall.reference.models import Region, School
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application
from servicehall.subsidy.years import graduation_year_setup

PASSWORD = "Bench#Pass2026"  # noqa: S105 - a throwaway account in a throwaway database


def make_applications(count: int):
    school = School.objects.get(name="南京大学")
    organisation = accounts.organisation_create(
        name="南京大学",
        kind=Organisation.Kind.SCHOOL,
        region=Region.objects.get(code="320100"),
        school=school,
    )
    reviewer = accounts.staff_create(
        actor=None,
        username="bench.reviewer",
        name="审核员",
        role="school_reviewer",
        organisation=organisation,
        mobile="13900000099",
        password=PASSWORD,
    )
    applicant = accounts.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number="320102200403150038",
        name="张晓明",
        mobile="13800000001",
        password=PASSWORD,
    )
    year = graduation_year_setup(year=2027)
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                applicant=applicant,
                record_number=f"{now:%Y%m%d}{i:08d}",
                state=ApplicationStatus.SCHOOL_REVIEW,
                graduation_year=year,
                name="张晓明",
                id_number="320102200403150038",
                id_number_index=f"bench-{i}",
                mobile="13800000001",
                school=school,
                student_number=f"B{i:06d}",
                department="计算机学院",
                major="软件工程",
                submitted_at=now,
                state_changed_at=now,
            )
            for i in range(count)
        ],
        batch_size=500,
    )
    return reviewer, list(Application.objects.values_list("pk", flat=True))
