"""即时制卡网点 and 照片检测: a person without a card looks up the outlets of their city (with
JavaScript, where the lists refresh in place, and without it), and checks an ID photo, which
fails, then downloads the fixed copy."""

import io
import random
import re
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from servicehall.cards import photo, services

from .conftest import check_page, check_page_without_javascript, htmx_idle


def test_person_finds_the_outlets_of_a_city(page, visit, live_server, viewport_name, new_context):
    services.demo_outlets_load()
    visit("/cards/outlets/")
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("社会保障卡即时制卡网点")
    expect(main.locator(".outlet-demo")).to_contain_text("当前显示的是演示数据，并非真实网点。")
    expect(main.locator(".outlet-count")).to_have_text("共 15 个网点")
    expect(page.get_by_label("区县")).to_be_disabled()

    # Choosing a city refreshes the results and the district list in place (htmx).
    page.get_by_label("城市").select_option(label="南京市")
    htmx_idle(page)
    expect(main.locator(".outlet-count")).to_have_text("共 3 个网点")
    expect(page).to_have_url(re.compile(r"city=320100"))
    district = page.get_by_label("区县")
    expect(district).to_be_enabled()
    expect(district.locator("option")).to_have_count(12)  # 全部区县 and 南京's 11 districts
    outlets = main.locator(".outlet")
    expect(outlets).to_have_count(3)
    first = outlets.first
    expect(first.get_by_role("heading", level=3)).to_contain_text("南京市")
    expect(first.locator(".outlet__demo-tag")).to_have_text("演示数据")
    expect(first.get_by_role("link", name="12333")).to_have_attribute("href", "tel:12333")
    expect(main.locator(".outlet-demo")).to_be_visible()
    check_page(page, shot="card-outlets", viewport=viewport_name)

    # Then a district, and only the outlets that take photos.
    district.select_option(label="江宁区")
    htmx_idle(page)
    expect(outlets).to_have_count(1)
    expect(outlets.first).to_contain_text("南京市江宁区社会保障卡服务网点（演示）")
    page.get_by_label("城市").select_option(label="苏州市")
    htmx_idle(page)
    page.get_by_label("只看可现场拍照的网点").check()
    htmx_idle(page)
    expect(main.locator(".outlet-count")).to_have_text("共 2 个网点")
    expect(outlets.filter(has_text="不可现场拍照")).to_have_count(0)

    # The same search with JavaScript off: choose, 查询, and the page reloads.
    plain = new_context(java_script_enabled=False).new_page()
    plain.goto(live_server.url + "/cards/outlets/")
    plain.get_by_label("城市").select_option(label="无锡市")
    plain.get_by_role("button", name="查询").click()
    expect(plain.locator("main .outlet-count")).to_have_text("共 2 个网点")
    plain.get_by_label("区县").select_option(label="江阴市")
    plain.get_by_label("网点名称或地址").fill("江阴")
    plain.get_by_role("button", name="查询").click()
    expect(plain.locator("main .outlet")).to_have_count(1)
    expect(plain.locator("main .outlet")).to_contain_text("不可现场拍照，请自带电子证件照")
    check_page_without_javascript(plain, page, viewport=viewport_name)


def _wrong_photo() -> bytes:
    """A phone's PNG, 600×800: the wrong format and size, on a light plain backdrop."""
    image = Image.new("RGB", (600, 800), (242, 242, 242))
    rng = random.Random(5)
    cells = (76, 81)
    texture = Image.frombytes("RGB", cells, rng.randbytes(cells[0] * cells[1] * 3))
    image.paste(texture.resize((600, 640), Image.Resampling.NEAREST), (0, 160))
    ImageDraw.Draw(image).ellipse((180, 100, 420, 440), fill=(225, 190, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_person_checks_a_photo_and_downloads_the_fixed_copy(page, visit, viewport_name):
    visit("/cards/photo/")
    expect(page.get_by_role("heading", level=1)).to_have_text("照片检测")
    page.get_by_label("证件照").set_input_files(
        files=[{"name": "我的照片.png", "mimeType": "image/png", "buffer": _wrong_photo()}]
    )
    page.get_by_role("button", name="开始检测").click()

    result = page.locator("#photo-result")
    expect(result.get_by_role("status")).to_contain_text("您的照片有2项不符合要求。")
    checks = result.locator(".photo-check")
    expect(checks).to_have_count(5)
    expect(checks.nth(0)).to_contain_text("不符合JPG（JPEG）格式")
    expect(checks.nth(0)).to_contain_text("检测结果：PNG格式")
    expect(checks.nth(1)).to_contain_text("检测结果：宽600×高800像素")
    expect(checks.nth(4)).to_contain_text("符合白色或浅色的纯色背景")
    fixed = page.locator(".photo-fixed")
    expect(fixed.get_by_role("img", name="修正后的证件照预览")).to_be_visible()
    expect(fixed.locator(".photo-check--passed")).to_have_count(5)
    check_page(page, shot="photo-check", viewport=viewport_name)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载合格照片").click()
    download = download_info.value
    assert download.suggested_filename == "证件照_358x441.jpg"
    data = Path(download.path()).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (358, 441))
    assert all(result.passed for result in photo.check(data))
    # The page is still there, with its results: a download does not navigate.
    expect(page.locator("#photo-result")).to_be_visible()
