"""学校审核 in the browser: a school reviewer logs in, opens the queue, opens an application with
its photo material in the page, tries to return it without an opinion, returns it with one, and
finds it under 已退回. Desktop and phone, axe on every page."""

import io
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect
from pypdf import PdfWriter

from servicehall.subsidy import selectors, services
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application
from servicehall.subsidy.tests.factories import submit_for

from .conftest import check_page, log_in_staff

OPINION = "请补充院系全称，并上传清晰的残疾人证照片"


def _with_a_pdf(application):
    """A second document, a PDF, beside the photo submit_for attached (set on the row: the
    applicant's services only attach to an editable application)."""
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=400)
    writer.write(buffer)
    upload = SimpleUploadedFile("证明.pdf", buffer.getvalue(), content_type="application/pdf")
    pdf = services.material_store(owner=application.applicant, upload=upload, field="m")
    mapping = selectors.materials_map(application)
    next(iter(mapping.values())).append(str(pdf.pk))
    Application.objects.filter(pk=application.pk).update(materials_json=json.dumps(mapping))
    return pdf


def _framed(page, url_part: str) -> bool:
    """Whether a frame of the page shows `url_part`; a frame the browser refused to show
    (X-Frame-Options, CSP frame-ancestors) becomes chrome-error://."""
    return any(url_part in frame.url for frame in page.frames) and not any(
        frame.url.startswith("chrome-error:") for frame in page.frames
    )


def test_a_school_reviewer_returns_an_application_with_an_opinion(
    page, live_server, viewport_name, sms_code, school_reviewer, person
):
    application = submit_for(person)
    pdf = _with_a_pdf(application)
    log_in_staff(page, live_server.url, sms_code, school_reviewer)
    check_page(page, viewport=viewport_name)

    page.locator("main").get_by_role("link", name="学校审核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("求职创业补贴学校审核")
    expect(page.get_by_role("link", name=re.compile(r"^待审核"))).to_have_attribute("aria-current", "page")
    row = page.locator("tbody tr", has_text=application.record_number)
    expect(row).to_contain_text("张*明")
    expect(row).to_contain_text("2212***01")
    expect(row).to_contain_text("残疾")
    expect(row).not_to_contain_text("张晓明")
    expect(row.get_by_label(f"选择申请{application.record_number}")).to_be_visible()
    check_page(page, viewport=viewport_name)  # the screenshot comes from test_review_journey

    row.get_by_role("link", name=application.record_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.record_number)
    image = page.get_by_role("img", name="中华人民共和国残疾人证（第1份）")
    expect(image).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.review-material__image'); "
        "return i && i.complete && i.naturalWidth > 0; }"
    )
    # The PDF in the page's own viewer on a computer, served to be framed by this site only; a
    # phone opens it in a new tab instead.
    if viewport_name == "desktop":
        page.locator("iframe.review-material__pdf").scroll_into_view_if_needed()
        for _attempt in range(50):
            if _framed(page, str(pdf.pk)):
                break
            page.wait_for_timeout(100)
        assert _framed(page, str(pdf.pk)), [frame.url for frame in page.frames]
    else:
        expect(page.locator("iframe.review-material__pdf")).to_be_hidden()
        expect(page.locator("main")).to_contain_text("手机上请点“在新窗口打开”查看")
    download = page.get_by_role("link", name="下载 证明.pdf")
    expect(download).to_have_attribute("href", re.compile(r"download=1$"))
    expect(page.locator("main")).to_contain_text("提交申请")
    check_page(page, viewport=viewport_name)

    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("#field-opinion")).to_contain_text("请填写审核意见，申请人会看到它")
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, viewport=viewport_name)
    assert Application.objects.get(pk=application.pk).state == ApplicationStatus.SCHOOL_REVIEW

    page.get_by_label("审核意见").fill(OPINION)
    page.get_by_role("button", name="退回修改").click()
    expect(page).to_have_url(re.compile(r"/subsidy/review/\?tab=pending$"))
    expect(page.locator(".notices")).to_contain_text(f"申请{application.record_number}已退回修改")
    expect(page.locator(".empty-state")).to_have_text("这里暂时没有申请。")
    check_page(page, viewport=viewport_name)

    page.get_by_role("link", name=re.compile(r"^已退回")).click()
    row = page.locator("tbody tr", has_text=application.record_number)
    expect(row).to_contain_text("已退回修改")
    check_page(page, viewport=viewport_name)
    returned = Application.objects.get(pk=application.pk)
    assert returned.state == ApplicationStatus.RETURNED
    assert returned.timeline.last().opinion == OPINION


def test_a_search_by_id_number_never_puts_the_number_in_an_address(
    page, live_server, viewport_name, sms_code, school_reviewer, person
):
    application = submit_for(person)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in_staff(page, live_server.url, sms_code, school_reviewer)
    page.locator("main").get_by_role("link", name="学校审核").click()

    page.get_by_role("searchbox", name="搜索", exact=True).fill(person.id_number)
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"/subsidy/review/\?tab=pending&s=[\w-]+$"))
    expect(page.locator("tbody tr", has_text=application.record_number)).to_be_visible()
    expect(page.get_by_role("searchbox", name="搜索", exact=True)).to_have_value(person.id_number)
    check_page(page, viewport=viewport_name)

    # Another tab keeps the search (the application is not there), and back again finds it.
    page.get_by_role("link", name=re.compile(r"^已退回")).click()
    expect(page).to_have_url(re.compile(r"tab=returned&s=[\w-]+$"))
    expect(page.locator(".empty-state")).to_have_text("没有符合筛选条件的申请。")
    page.get_by_role("link", name=re.compile(r"^待审核")).click()
    expect(page.locator("tbody tr", has_text=application.record_number)).to_be_visible()
    check_page(page, viewport=viewport_name)
    assert requested and not [url for url in requested if person.id_number in url]
