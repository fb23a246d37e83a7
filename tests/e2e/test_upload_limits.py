"""Upload limits in the browser: 我的材料 deletes a file no application uses (what frees room in
the quota), and a submission over the body limit gets the 413 page with the way back."""

import re

from playwright.sync_api import expect

from servicehall.subsidy import services
from servicehall.subsidy.models import Material
from tests.files import png

from .conftest import check_page, log_in_person
from .test_subsidy_journey import PROOF, _card_photo, material_slot, open_window  # noqa: F401


def test_my_materials_deletes_an_unused_file(page, live_server, viewport_name, person, open_window):  # noqa: F811
    services.material_store(owner=person, upload=png("不再需要的证明.png"), field="m")
    log_in_person(page, live_server.url, person.mobile)
    page.goto(live_server.url + "/subsidy/materials/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的材料")
    expect(page.locator("main")).to_contain_text("每人最多保存30个文件、合计100MB")
    check_page(page, viewport=viewport_name)

    page.get_by_role("button", name=re.compile("删除.*不再需要的证明.png")).click()
    expect(page.locator(".notices")).to_contain_text("已删除该材料。")
    expect(page.locator("main")).to_contain_text("您还没有上传过材料")
    check_page(page, viewport=viewport_name)
    assert not Material.objects.exists()


def test_a_submission_over_the_limit_gets_the_413_page_and_the_way_back(
    page, live_server, viewport_name, person, open_window, tmp_path, settings  # noqa: F811
):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    big = tmp_path / "扫描件.png"
    big.write_bytes(_card_photo(tmp_path).read_bytes() + bytes(1536 * 1024))
    log_in_person(page, live_server.url, person.mobile)
    page.goto(live_server.url + "/subsidy/apply/")
    page.locator("#id_category").select_option(label="残疾")
    slot = material_slot(page)
    slot.get_by_label(f"选择文件（{PROOF}）").set_input_files(str(big))
    slot.get_by_role("button", name="上传材料").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("提交的内容过大")
    expect(page.locator("main")).to_contain_text("一次提交的内容不能超过1MB")
    check_page(page, viewport=viewport_name)
    page.get_by_role("link", name="返回上一页").click()
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    assert not Material.objects.exists()
