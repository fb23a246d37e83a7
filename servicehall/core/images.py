"""Uploaded photos: check that a file really is an image, then re-encode it, so that nothing but
pixels is kept (no scripts disguised as images, no EXIF location)."""

import io

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def reencode_photo(upload: UploadedFile, *, field: str, max_side: int = 2400) -> bytes:
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("照片不能大于5MB，请压缩后重新上传"), code="photo_too_big", fields=(field,))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ("JPEG", "PNG"):
                raise DomainError(
                    _("照片只能是JPG或PNG格式"), code="photo_format", fields=(field,)
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(_("照片尺寸过大"), code="photo_too_big", fields=(field,))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(
            _("无法识别该照片，请上传清晰的JPG或PNG图片"), code="photo_invalid", fields=(field,)
        ) from exc
    return out.getvalue()
