"""Supporting-document uploads: every file is judged from its bytes, images come back re-encoded
with no metadata, PDFs come back untouched or not at all. Every fixture is built here in code."""

import hashlib
import io
import logging
import os
import struct
import warnings
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import ExifTags, Image, ImageFile, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from servicehall.core import uploads
from servicehall.core.errors import DomainError
from servicehall.core.uploads import MAX_UPLOAD_BYTES, CheckedUpload, check_upload, display_name

FIELD = "supporting_document"

MESSAGES = {
    "upload_empty": "上传的文件是空的，请重新选择文件。",
    "upload_too_big": "文件不能超过10MB，请压缩或分页后重新上传。",
    "upload_type": "只能上传JPG、PNG图片或PDF文件。",
    "image_invalid": "图片已损坏或无法识别，请重新拍照或扫描后上传。",
    "image_too_big": "图片尺寸过大，请缩小后重新上传。",
    "pdf_invalid": "PDF文件已损坏或无法打开，请重新生成后上传。",
    "pdf_encrypted": "PDF文件已加密，请上传未加密的文件。",
    "pdf_too_many_pages": "PDF文件不能超过20页，请删减后重新上传。",
    "pdf_active_content": "PDF文件包含脚本或附件，请重新生成后上传。",
    "upload_mismatch": "文件内容与文件名所示的类型不符，请上传原始的图片或PDF文件。",
    "pdf_foreign_content": "PDF文件中夹带了网页代码或其他内容，请重新生成后上传。",
}


# --- Building files ----------------------------------------------------------------------------


def upload(content: bytes, name: str = "证明.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_bytes(image: Image.Image, pillow_format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


def jpeg(size=(60, 40), color="red", mode="RGB", **options) -> bytes:
    return image_bytes(Image.new(mode, size, color), "JPEG", **options)


def png(size=(60, 40), color="red", mode="RGB", **options) -> bytes:
    return image_bytes(Image.new(mode, size, color), "PNG", **options)


def noise(size, mode="RGB") -> Image.Image:
    return Image.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (the IHDR patched, its CRC fixed)."""
    data = bytearray(png(size=(1, 1), mode="L"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(jpeg(size=(8, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def png_chunk_types(content: bytes) -> list[bytes]:
    types, position = [], 8
    while position < len(content):
        length, kind = struct.unpack(">I4s", content[position : position + 8])
        types.append(kind)
        position += 12 + length
    return types


def jpeg_markers(content: bytes) -> list[int]:
    """The segment markers before the image data (APPn, COM, DQT, SOF…)."""
    markers, position = [], 2
    while content[position] == 0xFF and content[position + 1] != 0xDA:
        markers.append(content[position + 1])
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        position += 2 + length
    return markers


def pdf(pages: int = 1, *, prepare=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if prepare:
        prepare(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def handmade_pdf(*bodies: bytes, header: bytes = b"%PDF-1.4\n") -> bytes:
    """A classic PDF of the given objects (numbered from 1; object 1 is the catalog)."""
    out, offsets = bytearray(header), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def page(extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>" % extra


def pdf_with_compressed_catalog(catalog_extra: bytes) -> bytes:
    """A PDF 1.5 whose catalog sits compressed inside an object stream, found through a
    cross-reference stream: nothing of the catalog is visible in the raw bytes."""
    catalog = b"<< /Type /Catalog /Pages 3 0 R %s >>" % catalog_extra
    pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    index = b"2 0 3 %d " % (len(catalog) + 1)
    packed = zlib.compress(index + catalog + b"\n" + pages)
    out, offsets = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"), {}
    offsets[1] = len(out)
    out += b"1 0 obj\n<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(index), len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    offsets[4] = len(out)
    out += b"4 0 obj\n<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    offsets[5] = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (2, 1, 0), (2, 1, 1), (1, offsets[4], 0), (1, offsets[5], 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(out)


def refused(content: bytes, name: str = "证明.jpg", content_type: str = "image/jpeg") -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_upload(upload(content, name, content_type), field=FIELD)
    error = caught.value
    assert error.fields == (FIELD,)
    assert str(error) == str(error.message) == MESSAGES[error.code]
    return error


class CountingFile:
    """A file that counts the bytes read from it."""

    def __init__(self, inner):
        self.inner = inner
        self.bytes_read = 0

    def read(self, size=-1):
        data = self.inner.read(size)
        self.bytes_read += len(data)
        return data

    def __getattr__(self, name):
        return getattr(self.inner, name)


# --- What comes back --------------------------------------------------------------------------


def test_a_jpeg_comes_back_re_encoded_with_its_hash_and_size():
    original = jpeg(size=(80, 50))
    result = check_upload(upload(original), field=FIELD)
    assert isinstance(result, CheckedUpload)
    assert (result.content_type, result.extension) == ("image/jpeg", ".jpg")
    assert (result.width, result.height, result.pages) == (80, 50, None)
    assert result.content.startswith(b"\xff\xd8\xff") and result.content != original
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert result.original_name == "证明.jpg"


def test_the_result_cannot_be_changed_and_its_repr_shows_neither_bytes_nor_name():
    result = check_upload(upload(jpeg(), name="张晓明的残疾人证.jpg"), field=FIELD)
    with pytest.raises(AttributeError):
        result.content = b""
    assert "张晓明" not in repr(result)
    assert "content=" not in repr(result)


def test_the_upload_is_rewound_for_the_caller():
    file = upload(jpeg())
    check_upload(file, field=FIELD)
    assert file.tell() == 0


def test_the_browsers_type_is_not_what_decides():
    result = check_upload(upload(png(), name="scan.png", content_type="application/pdf"), field=FIELD)
    assert (result.content_type, result.extension) == ("image/png", ".png")


@pytest.mark.parametrize("name", ["photo.jpg", "photo.JPEG", "camera-blob", "image"])
def test_a_png_named_as_a_jpeg_or_not_named_is_judged_by_its_bytes(name):
    assert check_upload(upload(png(), name=name), field=FIELD).content_type == "image/png"


# --- Metadata and orientation -------------------------------------------------------------------


def photo_with_location() -> bytes:
    """A 60×30 phone photo, red on the left and blue on the right, that must be turned a quarter
    clockwise to stand upright (EXIF orientation 6), with GPS, a camera make, a comment and XMP."""
    picture = Image.new("RGB", (60, 30), "blue")
    picture.paste((255, 0, 0), (0, 0, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMakerX"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (32.0, 3.0, 41.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (118.0, 46.0, 7.0),
    })
    return image_bytes(
        picture, "JPEG", quality=95, exif=exif, comment=b"Zhang Xiaoming 32010220040315003X",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-xmp</x:xmpmeta>',
    )


def test_photo_fixture_really_carries_location_and_orientation():
    with opened(photo_with_location()) as original:
        assert original.getexif()[ExifTags.Base.Orientation] == 6
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (32.0, 3.0, 41.0)
        assert {"exif", "xmp", "comment"} <= set(original.info)


def test_gps_exif_comment_and_xmp_are_gone_after_re_encoding():
    content = check_upload(upload(photo_with_location()), field=FIELD).content
    with opened(content) as cleaned:
        assert len(cleaned.getexif()) == 0
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(cleaned.info)
    # Only the JFIF header (APP0) and the image's own tables are left: no APP1 (EXIF, XMP),
    # APP2 (ICC) or COM segment.
    assert not {0xE1, 0xE2, 0xFE} & set(jpeg_markers(content))
    for trace in (b"Exif\x00\x00", b"PhoneMakerX", b"32010220040315003X", b"secret-xmp"):
        assert trace not in content


def test_exif_orientation_is_applied():
    result = check_upload(upload(photo_with_location()), field=FIELD)
    assert (result.width, result.height) == (30, 60)
    with opened(result.content) as upright:
        assert upright.size == (30, 60)
        top, bottom = upright.getpixel((15, 10)), upright.getpixel((15, 50))
    # Turned clockwise, the red left half is now on top.
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_png_text_exif_and_icc_chunks_are_dropped_and_alpha_kept():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Zhang Xiaoming")  # Latin-1 text makes a tEXt chunk, Chinese an iTXt
    info.add_itxt("Comment", "身份证号 32010220040315003X")
    picture = Image.new("RGBA", (40, 40), (0, 128, 0, 255))
    picture.paste((0, 0, 0, 0), (0, 0, 20, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMakerX"
    original = image_bytes(picture, "PNG", pnginfo=info, exif=exif, icc_profile=b"not really a profile")
    assert {b"tEXt", b"iTXt", b"eXIf", b"iCCP"} <= set(png_chunk_types(original))

    result = check_upload(upload(original, name="证明.png", content_type="image/png"), field=FIELD)
    assert (result.content_type, result.extension) == ("image/png", ".png")
    assert set(png_chunk_types(result.content)) <= {b"IHDR", b"IDAT", b"IEND"}
    with opened(result.content) as cleaned:
        assert cleaned.mode == "RGBA"
        assert cleaned.getpixel((5, 5))[3] == 0
        assert cleaned.getpixel((35, 5)) == (0, 128, 0, 255)


def test_cmyk_jpeg_becomes_rgb():
    original = jpeg(size=(40, 30), color=(0, 255, 255, 0), mode="CMYK")  # red in ink
    assert opened(original).mode == "CMYK"
    result = check_upload(upload(original), field=FIELD)
    with opened(result.content) as converted:
        assert converted.mode == "RGB"
        red, green, blue = converted.getpixel((20, 15))
    assert red > 200 and green < 60 and blue < 60


def test_palette_png_with_transparency_keeps_its_transparency():
    picture = Image.new("P", (20, 20), 1)
    picture.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    picture.paste(0, (0, 0, 10, 20))
    original = image_bytes(picture, "PNG", transparency=0)
    result = check_upload(upload(original, content_type="image/png"), field=FIELD)
    with opened(result.content) as converted:
        assert converted.mode == "RGBA"
        assert converted.getpixel((2, 2))[3] == 0
        assert converted.getpixel((15, 2)) == (200, 0, 0, 255)


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_every_png_mode_gives_a_plain_image(mode):
    result = check_upload(upload(png(mode=mode, color=1)), field=FIELD)
    with opened(result.content) as converted:
        assert converted.mode in ("L", "LA", "RGB", "RGBA")


def test_16_bit_greyscale_is_scaled_not_clipped_to_white():
    result = check_upload(upload(png(size=(10, 10), mode="I;16", color=32768)), field=FIELD)
    with opened(result.content) as converted:
        assert converted.mode == "L"
        assert 120 <= converted.getpixel((5, 5)) <= 136


def test_longest_side_is_capped_keeping_the_aspect_ratio():
    wide = check_upload(upload(jpeg(size=(4500, 1500), color="white")), field=FIELD)
    assert (wide.width, wide.height) == (3000, 1000)
    tall = check_upload(upload(png(size=(1000, 4500), color="white"), content_type="image/png"), field=FIELD)
    assert tall.height == 3000 and abs(tall.width - 667) <= 1
    with opened(tall.content) as stored:
        assert stored.size == (tall.width, tall.height)


def test_a_large_png_photo_is_stored_as_jpeg():
    original = image_bytes(noise((1400, 1000)), "PNG")
    assert len(original) > uploads.PNG_KEPT_UP_TO_BYTES
    result = check_upload(upload(original, name="照片.png", content_type="image/png"), field=FIELD)
    assert (result.content_type, result.extension) == ("image/jpeg", ".jpg")
    assert result.size < len(original)
    assert result.original_name == "照片.png"  # what the person called it, for display only


def test_a_small_png_stays_png():
    result = check_upload(upload(image_bytes(noise((200, 200)), "PNG")), field=FIELD)
    assert result.content_type == "image/png"


def test_an_image_at_the_pixel_limit_is_accepted():
    at_limit = jpeg(size=(8000, 5000), color=128, mode="L")
    result = check_upload(upload(at_limit), field=FIELD)
    assert (result.width, result.height) == (3000, 1875)


# --- Broken images and decompression bombs ----------------------------------------------------


def test_a_truncated_jpeg_is_refused():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    whole = image_bytes(noise((300, 300)), "JPEG", quality=95)
    assert refused(whole[: len(whole) * 2 // 3]).code == "image_invalid"


def test_jpeg_magic_followed_by_garbage_is_refused():
    assert refused(b"\xff\xd8\xff\xe0" + os.urandom(5000)).code == "image_invalid"


@pytest.mark.parametrize("where", ["pixel data", "checksum"])
def test_a_png_whose_checksum_does_not_match_is_refused(where):
    data = bytearray(image_bytes(noise((50, 50)), "PNG"))
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    # Pillow checks the IDAT checksum only when verifying, not when decoding.
    data[idat + 20 if where == "pixel data" else idat + 4 + length] ^= 0xFF
    assert refused(bytes(data), content_type="image/png").code == "image_invalid"


@pytest.mark.parametrize(
    ("declared", "why"),
    [
        ((50_000, 50_000), "beyond twice Pillow's limit: Pillow raises"),
        ((10_000, 10_000), "between Pillow's limit and twice it: Pillow only warns"),
        ((7_000, 7_000), "below Pillow's limit, above ours"),
        ((8_000, 5_001), "one row over our limit"),
    ],
)
def test_a_png_declaring_too_many_pixels_is_refused_before_decoding(declared, why):
    filters_before = list(warnings.filters)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DecompressionBombWarning may escape either
        error = refused(png_declaring(*declared), content_type="image/png")
    assert error.code == "image_too_big", why
    assert warnings.filters == filters_before


def test_a_jpeg_declaring_too_many_pixels_is_refused():
    assert refused(jpeg_declaring(60_000, 60_000)).code == "image_too_big"
    assert refused(jpeg_declaring(8_000, 5_001)).code == "image_too_big"


# --- Wrong types --------------------------------------------------------------------------------

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56) + os.urandom(2000)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(2000)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (ELF, "残疾人证.jpg", "image/jpeg"),
        (WINDOWS_EXE, "photo.jpg", "image/jpeg"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "合同.pdf", "application/pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "scan.png", "image/png"),
        (b"PK\x03\x04" + os.urandom(500), "contract.pdf", "application/pdf"),
        (image_bytes(Image.new("RGB", (10, 10)), "GIF"), "photo.jpg", "image/jpeg"),
        (b"just some text", "note.pdf", "application/pdf"),
        (b"x" * 1020 + b"%PDF-1.4\n", "late-header.pdf", "application/pdf"),
    ],
    ids=["elf", "mz", "html", "svg", "zip", "gif", "text", "pdf-header-after-1024"],
)
def test_files_that_are_not_jpeg_png_or_pdf_are_refused(content, name, content_type):
    assert refused(content, name, content_type).code == "upload_type"


def test_an_empty_file_is_refused():
    assert refused(b"").code == "upload_empty"


# --- Size ---------------------------------------------------------------------------------------


@pytest.fixture
def twenty_megabytes():
    """A 20 MB "JPEG" on disk, never held in memory whole."""
    big = TemporaryUploadedFile("大文件.jpg", "image/jpeg", 0, None)
    big.write(b"\xff\xd8\xff\xe0")
    for _ in range(20):
        big.write(bytes(1024 * 1024))
    big.size = big.tell()
    big.seek(0)
    yield big
    big.close()


def test_a_20_mb_file_is_refused_by_its_size_without_being_read(twenty_megabytes):
    counting = CountingFile(twenty_megabytes.file)
    twenty_megabytes.file = counting
    with pytest.raises(DomainError) as caught:
        check_upload(twenty_megabytes, field=FIELD)
    assert (caught.value.code, str(caught.value)) == ("upload_too_big", MESSAGES["upload_too_big"])
    assert counting.bytes_read == 0


def test_a_file_lying_about_its_size_is_counted_while_read_and_never_read_past_the_limit(twenty_megabytes):
    twenty_megabytes.size = 1234
    counting = CountingFile(twenty_megabytes.file)
    twenty_megabytes.file = counting
    with pytest.raises(DomainError) as caught:
        check_upload(twenty_megabytes, field=FIELD)
    assert caught.value.code == "upload_too_big"
    assert counting.bytes_read == MAX_UPLOAD_BYTES + 1


def test_exactly_10_mb_is_accepted_and_one_byte_more_is_not():
    small = jpeg()
    padded = small + bytes(MAX_UPLOAD_BYTES - len(small))  # readers ignore what follows the image
    assert check_upload(upload(padded), field=FIELD).content_type == "image/jpeg"
    assert refused(padded + b"\x00").code == "upload_too_big"
    lying = upload(padded + b"\x00")
    lying.size = 10
    with pytest.raises(DomainError, match="10MB"):
        check_upload(lying, field=FIELD)


# --- PDFs ---------------------------------------------------------------------------------------


def check_pdf(content: bytes) -> CheckedUpload:
    return check_upload(upload(content, "贷款合同.pdf", "application/pdf"), field=FIELD)


def refused_pdf(content: bytes) -> str:
    return refused(content, "贷款合同.pdf", "application/pdf").code


def test_a_plain_pdf_is_kept_byte_for_byte():
    original = pdf()
    result = check_pdf(original)
    assert result.content == original
    assert (result.content_type, result.extension, result.pages) == ("application/pdf", ".pdf", 1)
    assert (result.width, result.height) == (None, None)
    assert result.sha256 == hashlib.sha256(original).hexdigest() and result.size == len(original)
    assert result.original_name == "贷款合同.pdf"


def test_twenty_pages_are_accepted_and_twenty_one_are_not():
    assert check_pdf(pdf(pages=20)).pages == 20
    assert refused_pdf(pdf(pages=21)) == "pdf_too_many_pages"


def test_a_pdf_without_pages_is_refused():
    assert refused_pdf(pdf(pages=0)) == "pdf_invalid"


@pytest.mark.parametrize(
    ("user_password", "owner_password"),
    [("secret", "owner"), ("", "owner")],
    ids=["password", "restrictions-only"],
)
def test_an_encrypted_pdf_is_refused(user_password, owner_password):
    content = pdf(prepare=lambda writer: writer.encrypt(user_password, owner_password))
    assert refused_pdf(content) == "pdf_encrypted"


def test_a_pdf_with_document_javascript_is_refused():
    content = pdf(prepare=lambda writer: writer.add_open_action(JavaScript("app.alert('hi');")))
    assert refused_pdf(content) == "pdf_active_content"


def test_a_pdf_with_an_attachment_is_refused():
    content = pdf(prepare=lambda writer: writer.add_attachment("a.exe", b"MZ..."))
    assert refused_pdf(content) == "pdf_active_content"


def test_a_link_that_launches_a_program_is_refused():
    link = b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /A << /S /Launch /F (cmd.exe) >> >>]"
    assert refused_pdf(handmade_pdf(CATALOG, PAGES, page(link))) == "pdf_active_content"


def test_an_open_action_script_is_refused():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    assert refused_pdf(handmade_pdf(catalog, PAGES, page())) == "pdf_active_content"


def test_a_script_hidden_in_a_compressed_object_stream_is_found():
    clean = pdf_with_compressed_catalog(b"")
    assert check_pdf(clean).pages == 1  # the hand-built file itself is fine
    hidden = pdf_with_compressed_catalog(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    assert refused_pdf(hidden) == "pdf_active_content"


def test_an_escaped_script_name_outside_the_document_tree_is_found_in_the_raw_bytes():
    # Not reachable from the catalog, so only a reader repairing the file might find it; "#4A#53"
    # is "JS" and "J#61vaScript" is "JavaScript".
    orphan = b"9 0 obj\n<< /S /J#61vaScript /#4A#53 (app.alert(1)) >>\nendobj\n"
    content = pdf() + orphan
    assert b"/JS" not in content and b"/JavaScript" not in content
    assert refused_pdf(content) == "pdf_active_content"


def test_words_like_javascript_inside_page_drawings_are_not_mistaken_for_scripts():
    drawing = b"BT /F1 12 Tf 72 720 Td (see /JavaScript /Launch /JS) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing)
    content = handmade_pdf(CATALOG, PAGES, page(b"/Contents 4 0 R"), stream)
    assert check_pdf(content).pages == 1


# --- Hostile files: one thing dressed as another -----------------------------------------------

HTML_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>\n"


def test_a_pdf_with_bytes_before_its_header_is_refused():
    # pypdf (and most readers) accept the header anywhere in the first 1024 bytes.
    assert refused_pdf(b"\x00" * 100 + pdf()) == "pdf_invalid"
    assert refused_pdf(b" " + pdf()) == "pdf_invalid"


def test_an_html_pdf_polyglot_is_refused():
    # HTML first, the PDF inside its first 1024 bytes: a browser renders the page, a reader the PDF.
    polyglot = HTML_PAGE.replace(b"</body>", b"<!--\n" + pdf() + b"\n-->")
    assert polyglot.index(b"%PDF-") < 1024
    assert refused_pdf(polyglot) == "pdf_invalid"


@pytest.mark.parametrize("where", ["after-eof", "before-eof", "in-a-comment"])
def test_a_pdf_carrying_an_html_document_is_refused(where):
    clean = pdf()
    content = {
        "after-eof": clean + HTML_PAGE,
        "before-eof": clean[: clean.rindex(b"%%EOF")] + HTML_PAGE + b"%%EOF\n",
        "in-a-comment": clean.replace(b"\n", b"\n%<script>alert(1)</script>\n", 1),
    }[where]
    assert refused_pdf(content) == "pdf_foreign_content"


def test_a_pdf_with_another_file_appended_after_its_end_is_refused():
    assert check_pdf(pdf() + b"\r\n" + bytes(500)).pages == 1  # a writer's padding is fine
    assert refused_pdf(pdf() + os.urandom(5000)) == "pdf_foreign_content"
    assert refused_pdf(pdf() + ELF) == "pdf_foreign_content"


def test_a_pdf_without_an_end_marker_is_refused():
    clean = pdf()
    assert refused_pdf(clean[: clean.rindex(b"%%EOF")]) == "pdf_invalid"


@pytest.mark.parametrize(
    ("content", "name"),
    [(png(), "低保证明.pdf"), (jpeg(), "合同.PDF"), (pdf(), "残疾人证.jpg"), (pdf(), "scan.png")],
    ids=["png-named-pdf", "jpeg-named-pdf", "pdf-named-jpg", "pdf-named-png"],
)
def test_a_file_whose_name_says_another_type_is_refused(content, name):
    assert refused(content, name, "application/octet-stream").code == "upload_mismatch"


def test_a_jpeg_with_an_html_page_appended_keeps_only_the_picture():
    result = check_upload(upload(jpeg() + HTML_PAGE, name="photo.jpg"), field=FIELD)
    assert result.content_type == "image/jpeg"
    assert b"<script" not in result.content and b"<html" not in result.content.lower()
    assert opened(result.content).size == (60, 40)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + os.urandom(3000),
        b"%PDF-1.4\nhello\n%%EOF\n",
        pdf(pages=3)[:300],
    ],
    ids=["garbage", "no-objects", "truncated"],
)
def test_a_pdf_that_does_not_parse_is_refused(content):
    assert refused_pdf(content) == "pdf_invalid"


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd\x00.jpg", "passwd.jpg"),
        ("/etc/shadow", "shadow"),
        ("C:\\Users\\张三\\低保证明.pdf", "低保证明.pdf"),
        ("残疾人证（正面）.jpg", "残疾人证（正面）.jpg"),
        ("发票\u202egpj.exe", "发票gpj.exe"),
        ("two\r\nlines.png", "twolines.png"),
        ("  wide\u3000space .jpg ", "wide space .jpg"),
        ("..", "未命名文件.jpg"),
        ("", "未命名文件.jpg"),
        (None, "未命名文件.jpg"),
    ],
)
def test_display_names_are_cleaned(raw, shown):
    assert display_name(raw, fallback_extension=".jpg") == shown


def test_long_names_are_cut_to_100_characters_keeping_the_extension():
    shown = display_name("张" * 150 + ".pdf")
    assert len(shown) == 100 and shown.startswith("张张") and shown.endswith(".pdf")
    assert display_name("x" * 300) == "x" * 100


def test_a_path_with_a_nul_byte_in_the_upload_name_is_cleaned_not_refused():
    result = check_upload(upload(jpeg(), name="../../etc/passwd\x00.jpg"), field=FIELD)
    assert result.original_name == "passwd.jpg"


def test_a_chinese_upload_name_is_kept():
    result = check_upload(upload(pdf(), name="南京大学 低保证明（2025）.pdf"), field=FIELD)
    assert result.original_name == "南京大学 低保证明（2025）.pdf"


# --- Logs ---------------------------------------------------------------------------------------


def test_nothing_about_the_file_reaches_the_logs(caplog):
    name = "张晓明_32010220040315003X.jpg"
    caplog.set_level(logging.DEBUG)
    check_upload(upload(photo_with_location(), name=name), field=FIELD)
    for bad in (b"%PDF-1.7\n" + os.urandom(300), ELF):
        with pytest.raises(DomainError):
            check_upload(upload(bad, name=name), field=FIELD)
    assert "张晓明" not in caplog.text and "32010220040315003X" not in caplog.text
    assert not [record for record in caplog.records if record.name.startswith("servicehall")]


def test_errors_name_the_field_for_the_form():
    error = refused(b"")
    assert error.as_dict() == {"message": MESSAGES["upload_empty"], "code": "upload_empty", "fields": [FIELD]}
