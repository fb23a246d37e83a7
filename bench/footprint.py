"""The storage one application costs (issue 18), for the sizing table: N applications (500 by
default) go through their whole life with the hall's own services, as the tests' factories take
them: a verified account and a social-security card record; a draft with its answers and two
materials uploaded through material_store (a ~300 KB photo of the 残疾人证 and a ~200 KB PDF scan,
noisy so they do not compress to nothing; checked, re-encoded and encrypted as the page and the
app store them); the submission (SMS, 我的消息, audit, timeline, 数据比对); the school's approval
and 公示, 初审 and 复审; a payment batch built, approved, its bank file exported and the bank's
return file (every line paid) imported, the applicants told. Tasks run at once (the tests'
ImmediateBackend), so SMS are delivered through the outbox gateway as a worker would.

Measured in the same run, before and after the N journeys: pg_database_size; the tables that grew
(pg_total_relation_size, split into heap, indexes and TOAST); again after VACUUM FULL (the live
rows, without the dead versions each update leaves); and the encrypted files in the storage
against the bytes uploaded. Prints bytes per application and the projection for 66,000
applications a year (a province) and 1,200,000 (the country).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/footprint.py [N]
"""

import io
import logging
import random
import time

from harness import ARGS, connection, scratch_database  # first: sets Django up

COUNT = int(ARGS[0]) if ARGS else 500
PROVINCE, COUNTRY = 66_000, 1_200_000
# What encrypt_bytes adds to a file: key id "test1", a NUL, a 12-byte nonce, a 16-byte tag.
ENVELOPE = len("test1") + 1 + 12 + 16
VARIANTS = 6  # distinct photos and PDFs made once, uploaded round-robin (each stored encrypted anew)


def _noisy_page(seed: int, size: tuple[int, int], amplitude: int):
    """A photographed document: a light page, dark lines of 'text', and sensor noise."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    page = Image.new("RGB", size, (236, 232, 222))
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 40, width - 40, height - 40), outline=(150, 30, 30), width=6)
    for y in range(120, height - 80, 44):
        x = 80
        while x < width - 120:
            w = rng.randint(18, 70)
            draw.rectangle((x, y, x + w, y + 22), fill=(rng.randint(20, 70),) * 3)
            x += w + rng.randint(8, 20)
    noise = Image.effect_noise(size, amplitude).convert("RGB")
    return Image.blend(page.filter(ImageFilter.GaussianBlur(1)), noise, 0.18)


def photo_bytes(seed: int) -> bytes:
    out = io.BytesIO()
    _noisy_page(seed, (1280, 900), 40).save(out, "JPEG", quality=85)
    return out.getvalue()


def pdf_bytes(seed: int) -> bytes:
    """A one-page scan: the noisy page as a JPEG on an A4 page, with a line of text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = io.BytesIO()
    _noisy_page(seed + 1000, (1100, 780), 30).save(image, "JPEG", quality=80)
    image.seek(0)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle("scan")
    page.drawString(72, 800, f"Scan {seed}")
    page.drawImage(ImageReader(image), 40, 200, width=515, height=365)
    page.showPage()
    page.save()
    return out.getvalue()


def make_world():
    """The conftest's organisations, reviewers, review_world and payment officers; the year open."""
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import Organisation
    from servicehall.payments.tests.factories import payment_officers
    from servicehall.reference.models import Region, School
    from servicehall.subsidy.tests.factories import YEAR, open_year, review_world
    from servicehall.subsidy.years import graduation_year_setup
    from tests.people import PASSWORD

    accounts.organisation_create(
        name="江苏省人力资源和社会保障厅", kind=Organisation.Kind.PLATFORM,
        region=Region.objects.get(code="320000"),
    )
    school = accounts.organisation_create(
        name="南京大学", kind=Organisation.Kind.SCHOOL, region=Region.objects.get(code="320100"),
        school=School.objects.get(code="4132010284"),
    )
    reviewer = accounts.staff_create(
        actor=None, username="nju.reviewer", name="李老师", role="school_reviewer",
        organisation=school, mobile="13900000011", password=PASSWORD,
    )
    world = review_world(reviewer)
    world.update(payment_officers(world))
    year = open_year(graduation_year_setup(year=YEAR))
    return world, year


def journey_submit(index: int, year, photos, pdfs) -> tuple:
    """An account, a card, a draft with two materials, submitted. Returns (application, bytes
    uploaded)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from servicehall.accounts.tests.factories import PersonFactory
    from servicehall.cards.services import demo_card_for
    from servicehall.subsidy import selectors, services
    from servicehall.subsidy.forms import ApplicationForm
    from servicehall.subsidy.tests.factories import form_data

    person = PersonFactory(index=index)
    demo_card_for(id_number=person.id_number, name=person.name)
    application = services.application_start(applicant=person).application
    categories = list(selectors.categories_for(year))
    form = ApplicationForm(
        form_data(mobile=person.mobile, student_number=f"2212{index:05d}"), categories=categories
    )
    assert form.is_valid(), form.errors
    chosen = next(c for c in categories if c.code == "disabled")
    requirement = chosen.materials.get().pk
    uploads = [
        SimpleUploadedFile("残疾人证.jpg", photos[index % VARIANTS], content_type="image/jpeg"),
        SimpleUploadedFile("残疾人证扫描件.pdf", pdfs[index % VARIANTS], content_type="application/pdf"),
    ]
    for upload in uploads:
        material = services.material_store(owner=person, upload=upload, field="m")
        services.application_attach(
            applicant=person, application=application, requirement_id=requirement,
            material=material, category=chosen,
        )
    submitted = services.application_submit(
        applicant=person, application=application, data=form.valid_data(), graduation_year=year,
        pledged=True,
    ).application
    return submitted, sum(len(u) for u in (photos[index % VARIANTS], pdfs[index % VARIANTS]))


def review_and_pay(world, year, ids: list[int]) -> None:
    """School (at once), 公示, 初审 and 复审 (one by one), then a batch, approved, exported and
    paid by the bank's return file."""
    from servicehall.payments import services as payments
    from servicehall.payments.tests.factories import return_for
    from servicehall.subsidy.tests.factories import to_awaiting_payment

    assert to_awaiting_payment(world, _applications(ids)) == ids
    batch = payments.batch_build(actor=world["maker"], graduation_year=year.year)
    assert batch.item_count == len(ids), batch.item_count
    payments.batch_approve(actor=world["checker"], batch=batch)
    for bank in sorted(set(batch.items.values_list("bank_id", flat=True))):
        _name, data = payments.bank_file_export(actor=world["maker"], batch=batch, bank=bank)
        imported = payments.return_file_import(
            actor=world["checker"], batch=batch, bank=bank, filename="回盘.csv", data=return_for(data)
        )
        assert imported.failed_count == 0 and imported.refused_count == 0


def _applications(ids):
    from servicehall.subsidy.models import Application

    return list(Application.objects.filter(pk__in=ids).order_by("pk"))


TABLES_SQL = """
SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), pg_indexes_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
"""


def sizes() -> tuple[int, dict[str, tuple[int, int, int]]]:
    """(pg_database_size, {table: (total, heap, indexes)})."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        cursor.execute(TABLES_SQL)
        return database, {name: (total, heap, index) for name, total, heap, index in cursor.fetchall()}


def rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


def stored_files(root) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:,.1f} {unit}" if unit != "B" else f"{n:,.0f} B"
        n /= 1024
    return ""


def grown(before, after) -> list[tuple[str, int, int, int]]:
    out = []
    for name, (total, heap, index) in after.items():
        t0, h0, i0 = before.get(name, (0, 0, 0))
        if total > t0:
            out.append((name, total - t0, heap - h0, index - i0))
    return sorted(out, key=lambda r: -r[1])


def report(label: str, db_delta: int, tables: list, count: int, live_rows: dict) -> None:
    print(f"\n{label}: pg_database_size grew {human(db_delta)} = {db_delta / count:,.0f} B per application")
    heap = sum(r[2] for r in tables)
    index = sum(r[3] for r in tables)
    total = sum(r[1] for r in tables)
    print(
        f"  tables that grew: {human(total)} = {total / count:,.0f} B/application "
        f"(heap {heap / count:,.0f}, indexes {index / count:,.0f}, "
        f"TOAST {(total - heap - index) / count:,.0f})"
    )
    print(f"  {'table':<36} {'B/appl.':>9} {'heap':>8} {'index':>8} {'toast':>7} {'rows/appl.':>10}")
    for name, t, h, i in tables[:10]:
        per_row = live_rows.get(name, 0) / count
        print(f"  {name:<36} {t / count:>9,.0f} {h / count:>8,.0f} {i / count:>8,.0f} "
              f"{(t - h - i) / count:>7,.0f} {per_row:>10.1f}")
    rest = tables[10:]
    if rest:
        print(f"  {'(' + str(len(rest)) + ' more tables)':<36} {sum(r[1] for r in rest) / count:>9,.0f}")


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to PostgreSQL: the bench measures PostgreSQL's sizes.")
    from django.conf import settings
    from django.test.utils import override_settings
    from django_tasks.signals import task_enqueued

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    photos = [photo_bytes(seed) for seed in range(VARIANTS)]
    pdfs = [pdf_bytes(seed) for seed in range(VARIANTS)]
    print(f"uploads: photos {', '.join(human(len(p)) for p in photos)}; "
          f"PDFs {', '.join(human(len(p)) for p in pdfs)}")
    enqueued = []
    task_enqueued.connect(
        lambda sender, task_result, **kw: enqueued.append(task_result.task.name), weak=False
    )
    logging.disable(logging.INFO)  # each task and SMS logs a line
    with scratch_database("footprint"), override_settings(TASKS=immediate):
        world, year = make_world()
        media = settings.MEDIA_ROOT
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL ANALYZE")  # the baseline compacted, as the end will be
        db0, tables0 = sizes()
        rows0 = rows()
        files0 = stored_files(media) if media.exists() else (0, 0)
        started = time.perf_counter()
        ids, uploaded = [], 0
        for index in range(COUNT):
            application, size = journey_submit(index, year, photos, pdfs)
            ids.append(application.pk)
            uploaded += size
        submitted = time.perf_counter() - started
        review_and_pay(world, year, ids)
        seconds = time.perf_counter() - started
        from servicehall.subsidy.models import Application

        states = set(Application.objects.filter(pk__in=ids).values_list("state", flat=True))
        assert states == {"paid"}, states
        print(f"{COUNT} journeys in {seconds:.1f} s ({submitted:.1f} s to submit, "
              f"{seconds - submitted:.1f} s to review and pay): {seconds / COUNT * 1000:.0f} ms each")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        live = {name: n - rows0.get(name, 0) for name, n in rows().items()}
        db1, tables1 = sizes()
        files1 = stored_files(media)
        report("As written (dead row versions included)", db1 - db0, grown(tables0, tables1), COUNT, live)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL")
        db2, tables2 = sizes()
        report("After VACUUM FULL (live rows only)", db2 - db0, grown(tables0, tables2), COUNT, live)
        n_files, stored = files1[0] - files0[0], files1[1] - files0[1]
        print(f"\nfiles: {n_files} stored ({n_files / COUNT:.1f} per application), {human(stored)}; "
              f"uploaded {human(uploaded)}; {stored / COUNT:,.0f} B stored per application vs "
              f"{uploaded / COUNT:,.0f} B uploaded ({(stored / uploaded - 1) * 100:+.2f} %; the photos are "
              f"re-encoded, the PDFs kept as sent; encryption adds {ENVELOPE} B a file)")
        tasks = {name: enqueued.count(name) / COUNT for name in sorted(set(enqueued))}
        print("tasks enqueued per application (a DatabaseBackend would keep a row each): "
              + ", ".join(f"{name} {n:.2f}" for name, n in tasks.items()))
        db_written, db_live, per_file = (db1 - db0) / COUNT, (db2 - db0) / COUNT, stored / COUNT
        print(f"\nper application: database {human(db_written)} as written, {human(db_live)} live; "
              f"files {human(per_file)}")
        print(f"{'applications a year':>22} {'database (written)':>19} {'database (live)':>16} {'files':>10}")
        for n in (PROVINCE, COUNTRY):
            print(f"{n:>22,} {human(db_written * n):>19} {human(db_live * n):>16} {human(per_file * n):>10}")


if __name__ == "__main__":
    main()
