"""Sending one stored material back, decrypted: the owner's 我的材料 (page and app) and the
reviewer's viewer all answer through here. Files are kept encrypted in the storage (services.
material_store; on disk or in the shared bucket, core.storage); they are never served from a
storage URL, and never cached by a browser or proxy."""

from django.http import FileResponse

from servicehall.core.storage import private_file_response, read_sealed


def material_response(material, *, download: bool = False) -> FileResponse:
    """The file inline (shown in the page or the app), or as an attachment under the name it was
    uploaded with."""
    return private_file_response(
        read_sealed(material.file),
        content_type=material.content_type,
        filename=material.original_name,
        download=download,
    )
