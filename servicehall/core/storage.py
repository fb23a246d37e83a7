"""Private files (materials, appeal photos, registry imports): the storages they are kept in, and
the one way a whole file is sealed, read back and sent to the person who may see it.

Every private file is encrypted by the hall (core.crypto) before it reaches the storage, whether
that is the local disk or an S3 bucket shared by the nodes (settings.storage); the storage only
ever holds ciphertext. Materials and appeal photos are sealed whole here; a registry import, up to
300 MB, is sealed in chunks by verification.reading. Nothing is served from a storage URL: a
download is read through the storage API, decrypted here and streamed by a view that has checked
who is asking."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse

from .crypto import decrypt_bytes, encrypt_bytes


class PrivateFileURLError(RuntimeError):
    """Raised instead of a URL: a private file is only ever sent by a view that checks rights."""


def _no_url(name: str) -> str:
    raise PrivateFileURLError(
        f"{name!r} is a private file: stream it through a view that checks rights, never a storage URL"
    )


class PrivateFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT on one machine (development, a single node). No URL: nginx serves no /media/."""

    def url(self, name):
        return _no_url(name)


def sealed(content: bytes) -> ContentFile:
    """The bytes to hand to a storage (FieldFile.save or Storage.save): encrypted."""
    return ContentFile(encrypt_bytes(content))


def read_sealed(field_file, *, encrypted: bool = True) -> bytes:
    """A stored private file (a FieldFile), decrypted; through the storage, never a path.
    `encrypted=False` only for a file kept plain before its kind was encrypted (older appeal
    photos, AccountAppeal.id_photo_encrypted), read as it is."""
    with field_file.open("rb") as stored:
        content = stored.read()
    return decrypt_bytes(content) if encrypted else content


def private_file_response(
    content: bytes, *, content_type: str, filename: str = "", download: bool = False
) -> FileResponse:
    """Plain bytes of a private file, inline (shown in the page or the app) or as an attachment
    under `filename`. Never kept by a browser or a proxy."""
    response = FileResponse(
        io.BytesIO(content),
        content_type=content_type,
        as_attachment=download,
        filename=filename if download else "",
    )
    if not download:
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response
