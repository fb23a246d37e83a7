"""政策找人's test data: a registry version holding given people, and a school's list as a CSV
file a school would upload."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from servicehall.verification.models import RegistryBatch, RegistryEntry
from servicehall.verification.selectors import id_number_index, name_index

HEADER = "姓名,证件号码,学号,院系,专业,学历,毕业年度,手机号码"


def registry_with(
    registry: str, people: list[tuple[str, str]], *, operator, source="民政", **row
) -> RegistryBatch:
    """A current version of `registry` holding these (name, ID number) people."""
    now = timezone.now()
    batch = RegistryBatch.objects.create(
        registry=registry,
        source=source,
        data_date=now.date(),
        imported_by=operator,
        imported_at=now,
        finished_at=now,
        filename="list.csv",
        sha256="0" * 64,
        state=RegistryBatch.State.DONE,
        row_count=len(people),
        imported_count=len(people),
    )
    RegistryEntry.objects.bulk_create(
        [
            RegistryEntry(
                batch=batch, id_number_index=id_number_index(number), name_index=name_index(name), **row
            )
            for name, number in people
        ]
    )
    return batch


def list_file(lines: list[str], *, name="毕业生名单.csv") -> SimpleUploadedFile:
    text = "\n".join([HEADER, *lines]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def line(person_name, id_number, *, number="221250001", year=2027, mobile="13800000001", level="大学本科"):
    return f"{person_name},{id_number},{number},计算机学院,软件工程,{level},{year},{mobile}"
