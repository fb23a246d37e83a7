"""照片检测: each requirement passing and failing, files that are refused, the fixed copy, and the
page, which keeps nothing."""

import base64
import io
import random
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw

from servicehall.cards import photo, views
from servicehall.core.errors import DomainError

URL = "/cards/photo/"
ALL_KEYS = [photo.FORMAT, photo.DIMENSIONS, photo.FILE_SIZE, photo.COLOUR, photo.BACKGROUND]


# --- Photos to check ----------------------------------------------------------------------------


def portrait(size=(358, 441), *, background=(242, 242, 242), block=4, seed=1) -> Image.Image:
    """An ID photo as a phone makes it, more or less: a plain backdrop at the top, a head, and
    below it clothes with enough texture (blocks of random colour, `block` pixels wide) to give
    a JPEG of a realistic size."""
    width, height = size
    image = Image.new("RGB", size, background)
    top = int(height * 0.2)
    rng = random.Random(seed)
    cells = (width // block + 1, (height - top) // block + 1)
    texture = Image.frombytes("RGB", cells, rng.randbytes(cells[0] * cells[1] * 3))
    image.paste(texture.resize((width, height - top), Image.Resampling.NEAREST), (0, top))
    ImageDraw.Draw(image).ellipse(
        (width * 0.3, height * 0.12, width * 0.7, height * 0.55), fill=(225, 190, 160)
    )
    return image


def encoded(image: Image.Image, image_format="JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def jpeg_within(image: Image.Image, low=20 * 1024, high=90 * 1024) -> bytes:
    """The image as a JPEG of `low`–`high` bytes, at the first quality that gives one."""
    for quality in range(95, 20, -5):
        data = encoded(image, quality=quality)
        if low <= len(data) <= high:
            return data
    raise AssertionError("no quality gives a JPEG of the wanted size")


def good_photo() -> bytes:
    return jpeg_within(portrait())


def png_photo() -> bytes:
    data = encoded(portrait(), "PNG")
    assert photo.MIN_BYTES <= len(data) <= photo.MAX_BYTES, len(data)
    return data


def wrong_size_photo() -> bytes:
    return jpeg_within(portrait((600, 800), block=8))


def tiny_file_photo() -> bytes:
    data = encoded(portrait(block=40), quality=40)
    assert len(data) < photo.MIN_BYTES, len(data)
    return data


def huge_file_photo() -> bytes:
    data = encoded(portrait(block=1), quality=100, subsampling=0)
    assert len(data) > photo.MAX_BYTES, len(data)
    return data


def grey_photo() -> bytes:
    return jpeg_within(portrait(block=2).convert("L"))


def cmyk_photo() -> bytes:
    return jpeg_within(portrait().convert("CMYK"))


def dark_background_photo() -> bytes:
    return jpeg_within(portrait(background=(70, 75, 80)))


def busy_background_photo() -> bytes:
    """Light on average, but striped like a bookshelf or a curtain."""
    image = portrait()
    draw = ImageDraw.Draw(image)
    for x in range(0, image.width, 12):
        draw.rectangle((x, 0, x + 5, int(image.height * 0.1)), fill=(180, 180, 180))
    return jpeg_within(image)


def failed(results) -> set[str]:
    return {result.key for result in results if not result.passed}


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


# --- check() ------------------------------------------------------------------------------------


def test_a_photo_that_fits_passes_every_check():
    data = good_photo()
    results = photo.check(data)
    assert [result.key for result in results] == ALL_KEYS
    assert failed(results) == set()
    by_key = {result.key: result for result in results}
    assert by_key[photo.DIMENSIONS].found == "宽358×高441像素"
    assert by_key[photo.FILE_SIZE].value == len(data)
    mean, spread = by_key[photo.BACKGROUND].value
    assert mean >= photo.BACKGROUND_MIN_MEAN and spread <= photo.BACKGROUND_MAX_STDDEV


def test_a_few_pixels_off_is_still_the_right_size():
    results = photo.check(jpeg_within(portrait((362, 437))))
    assert failed(results) == set()
    results = photo.check(jpeg_within(portrait((364, 441))))
    assert failed(results) == {photo.DIMENSIONS}


@pytest.mark.parametrize(
    ("make", "fails", "found"),
    [
        (png_photo, {photo.FORMAT}, "PNG格式"),
        (wrong_size_photo, {photo.DIMENSIONS}, "宽600×高800像素"),
        (tiny_file_photo, {photo.FILE_SIZE}, "KB"),
        (huge_file_photo, {photo.FILE_SIZE}, "KB"),
        (grey_photo, {photo.COLOUR}, "灰度（黑白）"),
        (cmyk_photo, {photo.COLOUR}, "CMYK印刷色"),
        (dark_background_photo, {photo.BACKGROUND}, "背景偏暗"),
        (busy_background_photo, {photo.BACKGROUND}, "不是纯色"),
    ],
    ids=[
        "png",
        "wrong-size",
        "too-small-kb",
        "too-large-kb",
        "grayscale",
        "cmyk",
        "dark-background",
        "busy-background",
    ],
)
def test_each_way_of_failing_fails_that_check_only(make, fails, found):
    results = photo.check(make())
    assert failed(results) == fails
    (result,) = [result for result in results if result.key in fails]
    assert found in result.found
    assert result.advice
    assert result.fixable is (result.key != photo.BACKGROUND)


def test_the_background_thresholds_are_what_decides():
    dark = {r.key: r for r in photo.check(dark_background_photo())}[photo.BACKGROUND]
    assert dark.value[0] < photo.BACKGROUND_MIN_MEAN and dark.value[1] <= photo.BACKGROUND_MAX_STDDEV
    busy = {r.key: r for r in photo.check(busy_background_photo())}[photo.BACKGROUND]
    assert busy.value[0] >= photo.BACKGROUND_MIN_MEAN and busy.value[1] > photo.BACKGROUND_MAX_STDDEV


@pytest.mark.parametrize(
    "data",
    [
        b"just some text, not a photo",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        encoded(Image.new("RGB", (358, 441), "white"), "GIF"),
        b"\xff\xd8\xff\xe0" + bytes(2000),
    ],
    ids=["text", "pdf", "gif", "broken-jpeg"],
)
def test_what_is_not_a_jpeg_or_png_is_refused(data):
    for function in (photo.check, photo.fix):
        with pytest.raises(DomainError) as caught:
            function(data)
        assert caught.value.code == "photo_not_image"
        assert caught.value.fields == ("photo",)


@pytest.mark.parametrize("declared", [(50_000, 50_000), (10_000, 10_000), (8_000, 5_001)])
def test_a_decompression_bomb_is_refused_before_decoding(declared):
    for function in (photo.check, photo.fix):
        with pytest.raises(DomainError) as caught:
            function(png_declaring(*declared))
        assert caught.value.code == "photo_too_big"


# --- fix() --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        good_photo,
        png_photo,
        wrong_size_photo,
        tiny_file_photo,
        huge_file_photo,
        grey_photo,
        cmyk_photo,
        dark_background_photo,
        busy_background_photo,
    ],
    ids=[
        "good",
        "png",
        "wrong-size",
        "too-small-kb",
        "too-large-kb",
        "grayscale",
        "cmyk",
        "dark-background",
        "busy-background",
    ],
)
def test_the_fixed_copy_passes_every_check_that_can_be_fixed(make):
    original = make()
    fixed = photo.fix(original)
    assert fixed.startswith(b"\xff\xd8\xff")
    assert photo.FIX_MIN_BYTES <= len(fixed) <= photo.FIX_MAX_BYTES
    assert 15_000 <= len(fixed) <= 100_000  # also where a KB is counted as 1,000 bytes
    with Image.open(io.BytesIO(fixed)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (358, 441))
        assert not image.getexif() and "icc_profile" not in image.info
    results = photo.check(fixed)
    assert failed(results) <= {photo.BACKGROUND}
    # The background is left as it was: a bad one stays bad, and is said to be unfixable.
    original_background = {r.key: r for r in photo.check(original)}[photo.BACKGROUND]
    fixed_background = {r.key: r for r in results}[photo.BACKGROUND]
    assert fixed_background.passed is original_background.passed
    assert not fixed_background.fixable


def test_a_plain_picture_is_padded_up_to_the_minimum_size():
    flat = encoded(Image.new("RGB", (358, 441), (240, 240, 240)), quality=90)
    assert len(flat) < photo.MIN_BYTES
    fixed = photo.fix(flat)
    assert len(fixed) == photo.FIX_MIN_BYTES
    assert failed(photo.check(fixed)) == set()
    with Image.open(io.BytesIO(fixed)) as image:
        image.load()
        assert image.getpixel((100, 100)) == pytest.approx((240, 240, 240), abs=2)


def _marked(size, marks) -> bytes:
    image = Image.new("RGB", size, (240, 240, 240))
    draw = ImageDraw.Draw(image)
    for box, colour in marks:
        draw.rectangle(box, fill=colour)
    return encoded(image, quality=95)


def _colour_at(data: bytes, xy) -> tuple:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").getpixel(xy)


def test_a_tall_photo_keeps_its_top_and_loses_its_bottom():
    red, blue = (200, 0, 0), (0, 0, 200)
    # 358 × 882: the top half is kept. A red bar at the top, a blue one at the bottom.
    data = _marked((358, 882), [((0, 0, 357, 20), red), ((0, 860, 357, 881), blue)])
    fixed = photo.fix(data)
    assert _colour_at(fixed, (179, 5)) == pytest.approx(red, abs=40)
    assert _colour_at(fixed, (179, 436)) == pytest.approx((240, 240, 240), abs=10)


def test_a_wide_photo_is_cropped_around_its_middle():
    red, blue = (200, 0, 0), (0, 0, 200)
    # 1000 × 441: 358 columns from the middle are kept; bars at both sides go, the centre stays.
    data = _marked(
        (1000, 441), [((0, 0, 200, 440), blue), ((800, 0, 999, 440), blue), ((490, 100, 510, 340), red)]
    )
    fixed = photo.fix(data)
    assert _colour_at(fixed, (179, 220)) == pytest.approx(red, abs=40)
    assert _colour_at(fixed, (5, 220)) == pytest.approx((240, 240, 240), abs=10)
    assert _colour_at(fixed, (352, 220)) == pytest.approx((240, 240, 240), abs=10)


def test_a_sideways_phone_photo_is_turned_upright():
    # Stored lying on its side (441 × 358, red on the left) with EXIF orientation 6 ("turn 90°
    # clockwise to view"): upright, the red is at the top.
    stored = Image.new("RGB", (441, 358), (240, 240, 240))
    ImageDraw.Draw(stored).rectangle((0, 0, 20, 357), fill=(200, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    fixed = photo.fix(encoded(stored, quality=95, exif=exif))
    assert _colour_at(fixed, (179, 5)) == pytest.approx((200, 0, 0), abs=40)
    assert _colour_at(fixed, (179, 430)) == pytest.approx((240, 240, 240), abs=10)


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def client(db):
    return Client(REMOTE_ADDR="10.0.0.9")


@pytest.fixture(autouse=True)
def _nothing_written(settings, tmp_path, monkeypatch):
    """MEDIA_ROOT is watched, and so is every temporary file Django would make for an upload
    too big for memory (it deletes them when the request ends, so the directory alone says
    nothing): the photo check must make none."""
    settings.MEDIA_ROOT = tmp_path / "media"
    temporary = []
    make = TemporaryUploadedFile.__init__

    def recording(self, *args, **kwargs):
        temporary.append(args[0] if args else kwargs.get("name"))
        make(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", recording)
    yield
    assert not (tmp_path / "media").exists(), "the photo check wrote to MEDIA_ROOT"
    assert temporary == [], "an upload went to a temporary file"


def post_photo(client, data: bytes, name="photo.jpg", **extra):
    return client.post(URL, {"photo": SimpleUploadedFile(name, data), **extra})


def test_the_page_needs_no_login_and_lists_the_requirements(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>照片检测</h1>" in html
    for requirement in (
        "JPG（JPEG）格式",
        "宽358×高441像素（允许相差5像素）",
        "文件大小15–100KB",
        "24位真彩色（RGB）",
        "白色或浅色的纯色背景",
    ):
        assert requirement in html, requirement
    assert 'enctype="multipart/form-data"' in html
    assert reverse("cards:photo_check") == URL


def test_a_good_photo_is_said_to_fit_and_no_fix_is_offered(client):
    response = post_photo(client, good_photo())
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "您的照片符合全部要求，可以直接使用。" in html
    assert html.count('class="photo-check photo-check--passed"') == 5
    assert "photo-check--failed" not in html
    assert "下载合格照片" not in html


def test_a_failing_photo_is_told_point_by_point_and_offered_a_fixed_copy(client):
    response = post_photo(client, png_photo(), name="我的照片.png")
    html = response.content.decode()
    assert response.status_code == 200
    assert "您的照片有1项不符合要求。" in html
    assert re.search(r'data-check="format">\s*<svg[^>]*aria-hidden="true"', html)
    assert (
        '<span class="photo-check__verdict">不符合</span>'
        '<span class="photo-check__requirement">JPG（JPEG）格式</span>'
    ) in html
    assert "检测结果：PNG格式" in html
    assert "可自动修正，见下方“修正后的照片”。" in html
    assert "我的照片" not in html  # the file name (often a person's name) is not shown back
    # The fixed copy: a preview, its own results (all five passing) and the download form.
    preview = re.search(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    fixed = base64.b64decode(preview)
    assert failed(photo.check(fixed)) == set()
    assert html.count('class="photo-check photo-check--passed"') == 4 + 5
    assert 'name="download" value="1"' in html and "下载合格照片" in html


def test_the_download_button_returns_the_fixed_copy_as_a_jpeg_file(client):
    html = post_photo(client, wrong_size_photo()).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(fixed|signature)" value="([^"]+)"', html))
    response = client.post(URL, {"download": "1", **fields})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "358x441.jpg" in response["Content-Disposition"]
    assert response.content == base64.b64decode(fields["fixed"])
    assert failed(photo.check(response.content)) == set()


def test_posting_the_same_file_with_download_returns_the_fixed_copy(client):
    original = huge_file_photo()
    response = post_photo(client, original, download="1")
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == photo.fix(original)


def test_a_download_whose_data_was_changed_is_refused(client):
    html = post_photo(client, grey_photo()).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(fixed|signature)" value="([^"]+)"', html))
    other = base64.b64encode(encoded(Image.new("RGB", (10, 10)), quality=90)).decode()
    for tampered in (
        {**fields, "fixed": other},
        {**fields, "signature": "x:y"},
        {**fields, "fixed": "not base64!"},
    ):
        response = client.post(URL, {"download": "1", **tampered})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert "无法下载：照片数据已失效，请重新上传照片检测。" in response.content.decode()


def test_a_dark_background_is_said_to_be_unfixable(client):
    html = post_photo(client, dark_background_photo()).content.decode()
    assert "背景无法自动修正：请站在白墙或浅色纯色幕布前" in html
    # Nothing else failed, so there is no fixed copy to offer.
    assert "下载合格照片" not in html
    html = post_photo(client, jpeg_within(portrait((500, 700), background=(70, 75, 80)))).content.decode()
    assert "下载合格照片" in html
    assert "背景无法自动修正：修正后的照片背景仍不符合要求" in html


def test_a_small_photo_is_enlarged_with_a_warning(client):
    html = post_photo(client, encoded(portrait((200, 250), block=1), quality=95)).content.decode()
    assert "原照片小于358×441像素，修正后的照片经过放大" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00" + bytes(4000), "无法识别该文件：请上传JPG（或PNG）格式的照片。"),
        (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
            "无法识别该文件：请上传JPG（或PNG）格式的照片。",
        ),
        (png_declaring(50_000, 50_000), "照片尺寸过大，无法检测：请上传不超过4000万像素的照片。"),
        (b"", "上传的文件是空的，请重新选择照片"),
    ],
    ids=["exe", "pdf", "bomb", "empty"],
)
def test_what_is_not_a_photo_is_refused_with_a_clear_message(client, data, message):
    response = post_photo(client, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'class="error-summary"' in html and "field--error" in html
    assert "检测结果" not in html


def test_nothing_chosen_says_so(client):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "请选择要检测的照片" in response.content.decode()


def test_a_photo_over_10_mb_is_refused_and_held_in_memory_only(client):
    big = b"\xff\xd8\xff\xe0" + bytes(11 * 1024 * 1024)
    response = post_photo(client, big)
    assert response.status_code == 400
    assert "照片文件不能超过10MB，请压缩后重新上传。" in response.content.decode()


def test_a_large_photo_is_checked_in_memory(client):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB), which Django would otherwise write to a
    # temporary file: the fixture checks that none was made.
    data = encoded(portrait((1600, 2000), block=1), quality=95)
    assert len(data) > 2 * 1024 * 1024
    response = post_photo(client, data)
    assert response.status_code == 200
    assert "检测结果：宽1600×高2000像素" in response.content.decode()


def test_the_page_refuses_a_post_without_the_csrf_token(db):
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.8")
    response = strict.post(URL, {"photo": SimpleUploadedFile("p.jpg", good_photo())})
    assert response.status_code == 403


def test_checks_are_rate_limited(client, monkeypatch):
    monkeypatch.setattr(views, "PHOTO_CHECKS_PER_WINDOW", 2)
    data = tiny_file_photo()
    assert post_photo(client, data).status_code == 200
    assert post_photo(client, data).status_code == 200
    response = post_photo(client, data)
    assert response.status_code == 429
    assert "检测次数过多" in response.content.decode()
