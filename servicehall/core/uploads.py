"""Supporting documents uploaded with an application (a 残疾人证 photo, a 低保证明 scan, a loan
contract PDF): prove from the bytes alone that a file is a JPEG, PNG or PDF, and keep it in a form
that carries the document and nothing else.

The file name and the content type the browser sends are chosen by whoever sends the request, so
neither is trusted. Images are decoded and re-encoded, which drops anything hidden in them (a
script appended to a "photo", the phone's EXIF location). PDFs cannot be rewritten without risking
the document's legal content, so they are kept byte for byte but refused when they carry scripts,
launch actions or attachments, which reviewers' PDF readers could run.

Nothing here logs: file contents and file names (often a person's name and ID number) are personal
data.
"""

import hashlib
import io
import re
import struct
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, gettext_noop
from PIL import ExifTags, Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
ALLOWED = (JPEG, PNG, PDF)
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}

# Same limit as account-appeal photos: far above any phone camera, far below what would let one
# upload take the server's memory (a 40-megapixel RGBA image is 160 MB once decoded).
MAX_PIXELS = 40_000_000
MAX_SIDE = 3000
JPEG_QUALITY = 85
# A PNG photo this large after re-encoding is stored as JPEG instead: reviewers download these.
PNG_KEPT_UP_TO_BYTES = 2 * 1024 * 1024
MAX_PDF_PAGES = 20
# Dictionaries and arrays looked at when searching a PDF for active content. A 20-page document
# has a few thousand; a file with far more is built to make the search slow.
MAX_PDF_OBJECTS = 100_000
DISPLAY_NAME_MAX = 100

_READ_CHUNK = 64 * 1024
_PDF_HEADER_WINDOW = 1024
# Bytes allowed after a PDF's last "%%EOF" (line ends, a writer's padding). More than that is
# another file riding along, which some readers would find and others not.
PDF_TRAILER_ALLOWANCE = 1024
# The start of an HTML document anywhere in a PDF: a browser sniffing the file, or a viewer
# served it under the wrong type, would run it (an HTML/PDF polyglot).
_HTML_START = re.compile(rb"<(?:!doctype|html|script|body|iframe)[\s>/]", re.IGNORECASE)
# What a file's name says it is: a name ending in one of these must hold that kind of file.
_CLAIMED_BY_EXTENSION = {".jpg": "image", ".jpeg": "image", ".png": "image", ".pdf": "pdf"}

# One message per problem, so the person knows what to do; the code is for programs and tests.
_MESSAGES = {
    "upload_empty": gettext_noop("上传的文件是空的，请重新选择文件。"),
    "upload_too_big": gettext_noop("文件不能超过10MB，请压缩或分页后重新上传。"),
    "upload_type": gettext_noop("只能上传JPG、PNG图片或PDF文件。"),
    "upload_mismatch": gettext_noop("文件内容与文件名所示的类型不符，请上传原始的图片或PDF文件。"),
    "image_invalid": gettext_noop("图片已损坏或无法识别，请重新拍照或扫描后上传。"),
    "image_too_big": gettext_noop("图片尺寸过大，请缩小后重新上传。"),
    "pdf_invalid": gettext_noop("PDF文件已损坏或无法打开，请重新生成后上传。"),
    "pdf_encrypted": gettext_noop("PDF文件已加密，请上传未加密的文件。"),
    "pdf_too_many_pages": gettext_noop("PDF文件不能超过20页，请删减后重新上传。"),
    "pdf_active_content": gettext_noop("PDF文件包含脚本或附件，请重新生成后上传。"),
    "pdf_foreign_content": gettext_noop("PDF文件中夹带了网页代码或其他内容，请重新生成后上传。"),
}


@dataclass(frozen=True)
class CheckedUpload:
    # Kept out of repr so that logging the object never writes a document or a name to the logs.
    content: bytes = dataclass_field(repr=False)
    content_type: str
    extension: str
    original_name: str = dataclass_field(repr=False)
    sha256: str
    size: int
    pages: int | None = None
    width: int | None = None
    height: int | None = None


def check_upload(upload: UploadedFile, *, field: str) -> CheckedUpload:
    """The upload, proven to be a JPEG, PNG or PDF and made safe to store, or a DomainError naming
    `field`. The caller chooses the storage name; `original_name` is only for display."""
    data = _read_capped(upload, field)
    content_type = _sniff(data, field)
    if content_type is None:
        raise _refuse("upload_type", field)
    _refuse_name_mismatch(upload.name, content_type, field)
    if content_type == PDF:
        content, pages, dimensions = data, _check_pdf(data, field), (None, None)
    else:
        content, content_type, dimensions = _reencode_image(data, content_type, field)
        pages = None
    extension = EXTENSIONS[content_type]
    return CheckedUpload(
        content=content,
        content_type=content_type,
        extension=extension,
        original_name=display_name(upload.name, fallback_extension=extension),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=pages,
        width=dimensions[0],
        height=dimensions[1],
    )


def display_name(raw: str | None, *, fallback_extension: str = "") -> str:
    """A file name fit to show back to the person: the last path part only, no control or
    direction-changing characters (which can make "gpj.exe" read as "exe.jpg"), at most
    DISPLAY_NAME_MAX characters with the extension kept. Chinese is kept as it is."""
    name = "".join(_display_char(char) for char in unicodedata.normalize("NFC", raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split()).strip(" .")
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        suffix = dot + extension if stem and len(extension) <= 10 else ""
        name = name[: len(name) - len(suffix)][: DISPLAY_NAME_MAX - len(suffix)].rstrip(" .") + suffix
    return name or gettext("未命名文件") + fallback_extension


def _display_char(char: str) -> str:
    category = unicodedata.category(char)
    if category.startswith("C"):  # control, format (bidi overrides), surrogate, private, unassigned
        return ""
    if category.startswith("Z"):  # every kind of space and line separator becomes a plain space
        return " "
    return char


def _refuse(code: str, field: str) -> DomainError:
    return DomainError(gettext(_MESSAGES[code]), code=code, fields=(field,))


# --- Reading and recognising ----------------------------------------------------------------


def _read_capped(upload: UploadedFile, field: str) -> bytes:
    """The upload's bytes. The declared size is only used to refuse early: the bytes are counted
    while reading, and never more than one past the limit are read, whatever the size claims."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise _refuse("upload_too_big", field)
    limit = MAX_UPLOAD_BYTES + 1
    buffer = bytearray()
    upload.seek(0)
    while len(buffer) < limit:
        chunk = upload.read(min(_READ_CHUNK, limit - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    upload.seek(0)
    if not buffer:
        raise _refuse("upload_empty", field)
    if len(buffer) > MAX_UPLOAD_BYTES:
        raise _refuse("upload_too_big", field)
    return bytes(buffer)


def _sniff(data: bytes, field: str) -> str | None:
    """The type the bytes prove from their first byte on, or None. Images are recognised first: a
    file that starts as an image is re-encoded, which destroys anything hidden inside it."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"%PDF-"):
        return PDF
    # PDF readers accept the header anywhere in the first 1024 bytes; what comes before it is
    # how an HTML page (or another file) passes for a PDF. Refused, but said to be a bad PDF.
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        raise _refuse("pdf_invalid", field)
    return None


def _refuse_name_mismatch(name: str | None, content_type: str, field: str) -> None:
    """A name ending in .pdf must hold a PDF and one ending in .jpg/.jpeg/.png an image. JPEG and
    PNG may be swapped (phones and editors rename them; both are re-encoded). Other names
    (a camera's "blob") leave the bytes to decide."""
    stem, dot, extension = (name or "").strip(" .").lower().rpartition(".")
    claimed = _CLAIMED_BY_EXTENSION.get(dot + extension.strip()) if stem else None
    actual = "pdf" if content_type == PDF else "image"
    if claimed is not None and claimed != actual:
        raise _refuse("upload_mismatch", field)


# --- Images -----------------------------------------------------------------------------------

# Pillow signals a broken file with any of these, depending on where decoding fails.
_PILLOW_ERRORS = (
    OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error, zlib.error,
)

# How to turn each EXIF orientation upright (as PIL.ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class _TooManyPixels(Exception):
    pass


def _reencode_image(data: bytes, content_type: str, field: str) -> tuple[bytes, str, tuple[int, int]]:
    pillow_format = "JPEG" if content_type == JPEG else "PNG"
    try:
        # Pillow only warns between its own limit and twice that; a warning must stop us too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as probe:
                _refuse_too_many_pixels(probe)
                probe.verify()  # checksums and structure, before any pixel is decoded
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                # A JPEG can be decoded at 1/2, 1/4 or 1/8 size: no need for 40 MP in memory.
                image.draft(None, (MAX_SIDE, MAX_SIDE))
                image.load()
                return _encode(_pixels_only(image), source=content_type)
    except (_TooManyPixels, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse("image_too_big", field) from exc
    except _PILLOW_ERRORS as exc:
        raise _refuse("image_invalid", field) from exc


def _refuse_too_many_pixels(image: Image.Image) -> None:
    """Checked on the size the header declares, before decoding: a few kilobytes of compressed
    zeros can declare billions of pixels (a decompression bomb)."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _TooManyPixels


def _pixels_only(image: Image.Image) -> Image.Image:
    """The picture upright, at most MAX_SIDE on its longest side, in L, RGB or RGBA, and with no
    metadata at all: EXIF carries the place a photo was taken (GPS) and the phone's serial number;
    comments, XMP and text chunks can carry anything."""
    orientation = _exif_orientation(image)
    image = _standard_mode(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if orientation in _UPRIGHT:
        image = image.transpose(_UPRIGHT[orientation])
    # A plain copy holds no reference to the parsed file; its info (what Pillow would write back:
    # comment, ICC profile, transparency, dpi…) is emptied. The ICC profile is dropped rather than
    # converted, so that a hostile profile is never parsed.
    clean = image.copy()
    clean.info = {}
    return clean


def _exif_orientation(image: Image.Image) -> int:
    # Broken EXIF does not make the picture unreadable: the photo is kept, unrotated.
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except _PILLOW_ERRORS:
        return 1


def _standard_mode(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I"):
        # 16-bit greyscale (some scanners): scale to 8 bits; a plain convert would clip to white.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if "transparency" in image.info or image.mode in ("PA", "RGBa", "La"):
        return image.convert("RGBA")
    if image.mode in ("L", "LA", "RGB", "RGBA"):
        return image
    if image.mode == "1":
        return image.convert("L")  # so that shrinking smooths instead of dropping pixels
    return image.convert("RGB")  # P (palette), CMYK, YCbCr…


def _encode(image: Image.Image, *, source: str) -> tuple[bytes, str, tuple[int, int]]:
    if source == PNG:
        png = _save(image, "PNG")
        if len(png) <= PNG_KEPT_UP_TO_BYTES:
            return png, PNG, image.size
        jpeg = _save(_flattened(image), "JPEG", quality=JPEG_QUALITY, optimize=True)
        if len(jpeg) < len(png):
            return jpeg, JPEG, image.size
        return png, PNG, image.size
    return _save(_flattened(image), "JPEG", quality=JPEG_QUALITY, optimize=True), JPEG, image.size


def _flattened(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: put transparent parts on white, as the page they stand for."""
    if image.mode not in ("LA", "RGBA"):
        return image
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    white.alpha_composite(image.convert("RGBA"))
    return white.convert("L" if image.mode == "LA" else "RGB")


def _save(image: Image.Image, pillow_format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


# --- PDFs -------------------------------------------------------------------------------------

# Names that make a PDF do something when opened: run JavaScript (/JS, /JavaScript, XFA forms),
# start a program (/Launch), or carry other files (/EmbeddedFile(s), /GoToE into one, /RichMedia).
_ACTIVE_NAMES = frozenset(
    {"JS", "JavaScript", "Launch", "EmbeddedFile", "EmbeddedFiles", "GoToE", "RichMedia", "XFA"}
)
_ACTIVE_PDF_NAMES = frozenset("/" + name for name in _ACTIVE_NAMES)
_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_NAME_TOKEN = re.compile(rb"/([^\x00\t\n\x0c\r /<>\[\]()%{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class _TooComplex(Exception):
    pass


def _check_pdf(data: bytes, field: str) -> int:
    """The page count of a PDF fit to keep as uploaded, or a DomainError."""
    _refuse_foreign_content(data, field)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Refused before anything else: its pages cannot be read, nor searched for scripts, and
        # reviewers could not open it without the password.
        if reader.is_encrypted:
            raise _refuse("pdf_encrypted", field)
        pages = len(reader.pages)
        active = pages and _has_active_content(data, reader)
    except DomainError:
        raise
    except Exception as exc:
        # pypdf fails on hostile or broken files with many exception types (PdfReadError,
        # ValueError, KeyError, RecursionError, zlib.error…). Whatever the cause, a document we
        # cannot read is one we cannot show is free of scripts, so it is refused.
        raise _refuse("pdf_invalid", field) from exc
    if pages == 0:
        raise _refuse("pdf_invalid", field)
    if pages > MAX_PDF_PAGES:
        raise _refuse("pdf_too_many_pages", field)
    if active:
        raise _refuse("pdf_active_content", field)
    return pages


def _refuse_foreign_content(data: bytes, field: str) -> None:
    """Checked on the raw bytes before parsing: an HTML document start anywhere in the file, or
    more than a little after the last %%EOF (where a second file is appended)."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise _refuse("pdf_invalid", field)
    if len(data) - (end + len(b"%%EOF")) > PDF_TRAILER_ALLOWANCE or _HTML_START.search(data):
        raise _refuse("pdf_foreign_content", field)


def _has_active_content(data: bytes, reader: PdfReader) -> bool:
    # Both searches are needed. The raw bytes show what a reader other than pypdf might find when
    # it repairs a damaged file differently; the parsed objects show what is compressed inside
    # object streams, which the raw bytes hide.
    return _raw_bytes_name_active(data) or _objects_name_active(reader)


def _raw_bytes_name_active(data: bytes) -> bool:
    # Stream bodies (page drawings, images) are skipped: in compressed bytes "/JS" followed by a
    # delimiter turns up by chance often enough to refuse honest scans. "#4A" in a name is "J".
    outside_streams = _STREAM_BODY.sub(b" ", data)
    for match in _NAME_TOKEN.finditer(outside_streams):
        name = _NAME_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), match.group(1))
        if name.decode("latin-1") in _ACTIVE_NAMES:
            return True
    return False


def _objects_name_active(reader: PdfReader) -> bool:
    """Whether any object reachable from the trailer (catalog, /Names, /OpenAction, /AA, pages,
    annotations, form fields…) uses an active name as a key or a value."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    looked_at = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, NameObject):
            if item in _ACTIVE_PDF_NAMES:
                return True
        elif isinstance(item, (DictionaryObject, ArrayObject)):
            looked_at += 1
            if looked_at > MAX_PDF_OBJECTS:
                raise _TooComplex
            # The plain dict and list views: they give indirect references as they are (resolved
            # above, once each) and ignore pypdf's special iteration of some dictionaries.
            if isinstance(item, DictionaryObject):
                if any(key in _ACTIVE_PDF_NAMES for key in dict.keys(item)):
                    return True
                stack.extend(dict.values(item))
            else:
                stack.extend(list.__iter__(item))
    return False
