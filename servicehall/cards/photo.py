"""照片检测: whether an ID photo is what the 社会保障卡 outlets ask for (training manual, 前置背景:
"像素358*441左右，大小要求在15k-100k之间"; a JPEG in 24-bit colour on a light plain background), and a
copy fixed to fit.

Pure functions on bytes: `check(data)` lists the result of each requirement, `fix(data)` returns
the fixed copy. Nothing is read from or written to disk, and nothing is logged: a photo is
personal data. Either raises DomainError (field "photo") for bytes that are not a JPEG or PNG
picture, or that declare more pixels than MAX_PIXELS (a decompression bomb), before decoding.
Callers taking uploads also run core.uploads.check_upload first, which sniffs the type from the
bytes; its re-encoded copy is not what is checked here, since re-encoding changes the very
format, size and colour mode being checked.
"""

import io
import struct
import warnings
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, ImageStat

from servicehall.core.errors import DomainError
from servicehall.core.uploads import MAX_PIXELS

FIELD = "photo"

# What the outlets ask for.
TARGET_WIDTH = 358
TARGET_HEIGHT = 441
# "左右": a photo a few pixels off (cropped by hand in a phone's editor) is still accepted.
SIZE_TOLERANCE = 5
# 15 KB–100 KB, a KB counted as 1,024 bytes as Windows and phones show file sizes.
MIN_BYTES = 15 * 1024
MAX_BYTES = 100 * 1024

# The fixed copy aims inside the limits with a margin (16 KB–95 KB, i.e. 16,384–97,280 bytes), so
# that it passes also where a KB is counted as 1,000 bytes (15,000–100,000).
FIX_MIN_BYTES = 16 * 1024
FIX_MAX_BYTES = 95 * 1024
# The JPEG qualities the fixed copy is searched over (the highest that fits is taken).
FIX_LOWEST_QUALITY = 5
FIX_HIGHEST_QUALITY = 95

# The background is judged on the top edge, which in an ID photo is backdrop above the head: the
# top 6 % of the height (26 of 441 rows). The outlets want a white or light backdrop, plain.
BACKGROUND_BAND = 0.06
# Mean brightness (ITU-R 601 luma, 0-255) of that band. White paper or a white wall in daylight
# measures 225-255, a light grey backdrop about 200; the blue of a 蓝底 photo about 120 and a room
# wall in shade 140-190, which printed on a card read as dark.
BACKGROUND_MIN_MEAN = 200
# Standard deviation of the brightness in that band. A plain backdrop, with the gentle shading of
# a lamp and JPEG noise, stays under about 10; hair reaching the top edge, a door frame, shelves
# or a patterned curtain give 30 and more.
BACKGROUND_MAX_STDDEV = 20
# The band is measured on a copy at most this many pixels on its longest side (fast for a
# 12-megapixel phone photo; the measure hardly changes with scale).
ANALYSIS_SIDE = 900

FORMAT = "format"
DIMENSIONS = "dimensions"
FILE_SIZE = "file_size"
COLOUR = "colour"
BACKGROUND = "background"
FIXABLE = (FORMAT, DIMENSIONS, FILE_SIZE, COLOUR)

# Pillow signals a broken file with any of these, depending on where decoding fails.
_PILLOW_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    zlib.error,
)


@dataclass(frozen=True)
class CheckResult:
    """One requirement and how the photo fares: `requirement` and `found` are sentences for the
    person, `advice` what to do when it fails; `value` is the raw measure (for programs)."""

    key: str
    requirement: str
    found: str
    passed: bool
    fixable: bool
    advice: str = ""
    value: object = None


@dataclass(frozen=True)
class _Photo:
    format: str
    width: int  # as the file declares, before any EXIF rotation
    height: int
    mode: str
    image: Image.Image  # decoded, upright, at most a few times the target size


def _not_an_image() -> DomainError:
    return DomainError(
        _("无法识别该文件：请上传JPG（或PNG）格式的照片。"), code="photo_not_image", fields=(FIELD,)
    )


def _too_many_pixels() -> DomainError:
    return DomainError(
        _("照片尺寸过大，无法检测：请上传不超过4000万像素的照片。"), code="photo_too_big", fields=(FIELD,)
    )


def _load(data: bytes, *, at_least: tuple[int, int]) -> _Photo:
    """Decode a JPEG or PNG, refusing anything that declares more than MAX_PIXELS before a pixel
    is decoded. A JPEG is decoded at the smallest of 1/1, 1/2, 1/4 or 1/8 of its size that is at
    least `at_least`; the picture is turned upright by its EXIF orientation."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that: a warning stops us too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels()
                # A JPEG with a second, "multi-picture" image (some phones) is still a JPEG.
                pillow_format = "JPEG" if image.format == "MPO" else image.format
                mode = image.mode
                if pillow_format == "JPEG":
                    image.draft(None, at_least)
                image.load()
                upright = _upright(image)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except _PILLOW_ERRORS as exc:
        raise _not_an_image() from exc
    return _Photo(pillow_format, width, height, mode, upright)


def _upright(image: Image.Image) -> Image.Image:
    try:
        turned = ImageOps.exif_transpose(image)
    except _PILLOW_ERRORS:  # broken EXIF: the picture is kept as stored
        turned = None
    return (turned or image).copy()


def _flattened(image: Image.Image) -> Image.Image:
    """The picture in RGB, transparent parts on white (the page they stand for), other colour
    models (grey, palette, CMYK, 16-bit) converted."""
    if image.mode.startswith("I"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("RGB")
    return image.convert("RGB")


def _background(image: Image.Image) -> tuple[float, float]:
    """Mean and standard deviation of the brightness of the top band."""
    sample = _flattened(image)
    sample.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE))
    rows = max(2, round(sample.height * BACKGROUND_BAND))
    stat = ImageStat.Stat(sample.convert("L").crop((0, 0, sample.width, rows)))
    return stat.mean[0], stat.stddev[0]


def _kb(size: int) -> str:
    return f"{size / 1024:.1f}".removesuffix(".0")


_MODE_NAMES = {
    "L": gettext_noop("灰度（黑白）"),
    "1": gettext_noop("黑白二值"),
    "P": gettext_noop("调色板色（最多256色）"),
    "CMYK": gettext_noop("CMYK印刷色"),
    "RGBA": gettext_noop("带透明通道的32位色"),
    "LA": gettext_noop("带透明通道的灰度"),
    "PA": gettext_noop("带透明通道的调色板色"),
    "I;16": gettext_noop("16位灰度"),
    "I;16B": gettext_noop("16位灰度"),
    "I": gettext_noop("32位灰度"),
}


def _mode_name(mode: str) -> str:
    name = _MODE_NAMES.get(mode)
    return _(name) if name else mode


def check(data: bytes) -> list[CheckResult]:
    """Each requirement, in the order the page lists them: format, pixel size, file size,
    colour, background."""
    photo = _load(data, at_least=(ANALYSIS_SIDE, ANALYSIS_SIDE))
    results = []

    is_jpeg = photo.format == "JPEG"
    results.append(
        CheckResult(
            FORMAT,
            _("JPG（JPEG）格式"),
            _("JPG（JPEG）格式") if is_jpeg else _("%(format)s格式") % {"format": photo.format},
            is_jpeg,
            True,
            _("请将照片另存为JPG格式"),
            photo.format,
        )
    )

    size_ok = (
        abs(photo.width - TARGET_WIDTH) <= SIZE_TOLERANCE
        and abs(photo.height - TARGET_HEIGHT) <= SIZE_TOLERANCE
    )
    results.append(
        CheckResult(
            DIMENSIONS,
            _("宽%(width)s×高%(height)s像素（允许相差%(tolerance)s像素）")
            % {"width": TARGET_WIDTH, "height": TARGET_HEIGHT, "tolerance": SIZE_TOLERANCE},
            _("宽%(width)s×高%(height)s像素") % {"width": photo.width, "height": photo.height},
            size_ok,
            True,
            _("请将照片裁剪并缩放为358×441像素"),
            (photo.width, photo.height),
        )
    )

    size = len(data)
    results.append(
        CheckResult(
            FILE_SIZE,
            _("文件大小%(min)s–%(max)sKB") % {"min": MIN_BYTES // 1024, "max": MAX_BYTES // 1024},
            f"{_kb(size)}KB",
            MIN_BYTES <= size <= MAX_BYTES,
            True,
            _("文件太小，照片可能不清晰") if size < MIN_BYTES else _("文件太大，请压缩照片"),
            size,
        )
    )

    is_rgb = photo.mode == "RGB"
    results.append(
        CheckResult(
            COLOUR,
            _("24位真彩色（RGB）"),
            _("24位真彩色（RGB）") if is_rgb else _mode_name(photo.mode),
            is_rgb,
            True,
            _("请使用彩色照片，并另存为24位RGB彩色的JPG"),
            photo.mode,
        )
    )

    mean, spread = _background(photo.image)
    light, plain = mean >= BACKGROUND_MIN_MEAN, spread <= BACKGROUND_MAX_STDDEV
    if light and plain:
        found = _("照片上边缘为浅色纯色背景")
    elif not light and not plain:
        found = _("照片上边缘背景偏暗，且不是纯色（有图案、杂物、阴影或头发）")
    elif not light:
        found = _("照片上边缘背景偏暗")
    else:
        found = _("照片上边缘背景不是纯色（有图案、杂物、阴影或头发）")
    results.append(
        CheckResult(
            BACKGROUND,
            _("白色或浅色的纯色背景"),
            found,
            light and plain,
            False,
            _("背景无法自动修正：请站在白墙或浅色纯色幕布前，头顶上方留出空白，重新拍摄"),
            (round(mean, 1), round(spread, 1)),
        )
    )
    return results


def _crop_to_ratio(image: Image.Image) -> Image.Image:
    """The largest part of the picture in the 358:441 proportion: centred left to right, and
    from the top down (the head and the backdrop above it are kept; the chest is cut)."""
    width, height = image.size
    if width * TARGET_HEIGHT > height * TARGET_WIDTH:  # too wide
        crop_width = max(1, round(height * TARGET_WIDTH / TARGET_HEIGHT))
        left = (width - crop_width) // 2
        return image.crop((left, 0, left + crop_width, height))
    crop_height = max(1, round(width * TARGET_HEIGHT / TARGET_WIDTH))
    return image.crop((0, 0, width, min(height, crop_height)))


def _jpeg(image: Image.Image, quality: int, subsampling: int = 2) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, subsampling=subsampling, optimize=True)
    return out.getvalue()


def _highest_quality_within(image: Image.Image, low: int, high: int, subsampling: int) -> bytes | None:
    """Binary search for the highest quality whose file is at most FIX_MAX_BYTES (a file grows
    with the quality)."""
    best = None
    while low <= high:
        quality = (low + high) // 2
        encoded = _jpeg(image, quality, subsampling)
        if len(encoded) <= FIX_MAX_BYTES:
            best, low = encoded, quality + 1
        else:
            high = quality - 1
    return best


def _padded(data: bytes, minimum: int) -> bytes:
    """A JPEG at least `minimum` bytes long: a comment segment (COM, which every reader skips)
    of blanks after the JFIF header. Only a nearly blank picture needs it."""
    missing = minimum - len(data)
    if missing <= 0:
        return data
    payload = b" " * max(0, missing - 4)
    segment = b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload
    at = 2
    if data[2:4] == b"\xff\xe0":  # the JFIF APP0 segment must stay first
        at = 4 + struct.unpack(">H", data[4:6])[0]
    return data[:at] + segment + data[at:]


def fix(data: bytes) -> bytes:
    """The photo as a 358×441 pixel, 24-bit colour JPEG of 16-95 KB, with no metadata: cropped to
    the proportion (see _crop_to_ratio), resized, and saved at the highest quality that fits.
    The background cannot be fixed and is left as it is."""
    # Decoded at no less than twice the target, so that the crop still has detail to spare.
    photo = _load(data, at_least=(2 * TARGET_HEIGHT, 2 * TARGET_HEIGHT))
    image = _crop_to_ratio(_flattened(photo.image))
    image = image.resize((TARGET_WIDTH, TARGET_HEIGHT), Image.Resampling.LANCZOS)
    encoded = _highest_quality_within(image, FIX_LOWEST_QUALITY, FIX_HIGHEST_QUALITY, 2)
    if encoded is None:  # not seen with real photos: 358×441 at quality 5 is a few KB
        raise DomainError(
            _("无法将照片压缩到100KB以内，请换一张照片"), code="photo_unfixable", fields=(FIELD,)
        )
    if len(encoded) < FIX_MIN_BYTES:
        # A plain picture compresses very well: keep full colour detail (4:4:4) and go higher.
        fuller = _highest_quality_within(image, FIX_HIGHEST_QUALITY, 100, 0)
        if fuller is not None and len(fuller) > len(encoded):
            encoded = fuller
    return _padded(encoded, FIX_MIN_BYTES)
