"""The demo of 政策找人 that `make run` loads (development only): a 城乡低保 list and a 残疾人证
list imported as an operator would, 南京大学's graduating class imported as its reviewer would,
and the matching run, so that the outbox holds the invitations and 王小红 can confirm in one
step. Every step goes through the same services as the pages; nothing is written past them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from servicehall.accounts.models import User
from servicehall.outreach.models import Graduate
from servicehall.outreach.runs import match_run_execute
from servicehall.outreach.services import LIST_COLUMNS, graduate_list_import
from servicehall.reference.models import School
from servicehall.verification import services as verification
from servicehall.verification.models import Registry, RegistryBatch
from servicehall.verification.registries import spec_for

from . import demo
from .demo_people import demo_person_load


def _csv(name: str, rows: list[list[str]]) -> SimpleUploadedFile:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _registry(operator, registry: str, people, source: str) -> None:
    """The demo version of a registry, unless the hall already holds one."""
    if RegistryBatch.objects.filter(registry=registry, state=RegistryBatch.State.DONE).exists():
        return
    spec = spec_for(registry)
    upload = _csv(
        f"{registry}-demo.csv", [["证件号码", "姓名"], *[[number, name] for name, number in people]]
    )
    batch = verification.registry_import_start(
        actor=operator,
        registry=registry,
        uploaded_file=upload,
        source=source,
        data_date=timezone.localdate(),
        mapping=dict(spec.headers),
    )
    verification.registry_import_run(batch_id=batch.pk)  # at once (the worker finds it done)


def demo_outreach_load(graduation_year) -> bool:
    """Load the demo once; returns whether it loaded anything now."""
    school = School.objects.get(code="4132010284")
    if Graduate.objects.filter(school=school, graduation_year=graduation_year).exists():
        return False
    operator = User.objects.get(username="js.admin")
    reviewer = User.objects.get(username="nju.reviewer")
    demo_person_load(demo.GRADUATE)
    _registry(operator, Registry.SUBSISTENCE_ALLOWANCE, demo.SUBSISTENCE_LIST, "民政")
    _registry(operator, Registry.DISABILITY, demo.DISABILITY_LIST, "残联")
    header = [label for _field, label in LIST_COLUMNS]
    rows = [
        [name, number, student, faculty, major, level, str(graduation_year.pk), mobile]
        for name, number, student, faculty, major, level, mobile in demo.GRADUATING_CLASS
    ]
    graduate_list_import(
        actor=reviewer,
        graduation_year=graduation_year,
        uploaded_file=_csv("南京大学毕业生名单.csv", [header, *rows]),
    )
    for run_id in _queued_runs(graduation_year):
        match_run_execute(run_id=run_id)  # at once (the worker finds it done)
    return True


def _queued_runs(graduation_year) -> list[int]:
    from servicehall.outreach.models import MatchRun

    return list(
        MatchRun.objects.filter(graduation_year=graduation_year, state=MatchRun.State.QUEUED).values_list(
            "pk", flat=True
        )
    )
