"""Sending one stored material back, decrypted: the owner's 我的材料 (page and app) and the
reviewer's viewer all answer through here. Files are kept encrypted on disk (services.
material_store); they are never served from a public URL, and never cached by a browser or proxy."""

import io

from django.http import FileResponse

from servicehall.core.crypto import decrypt_bytes


def material_response(material, *, download: bool = False) -> FileResponse:
    """The file inline (shown in the page or the app), or as an attachment under the name it was
    uploaded with."""
    with material.file.open("rb") as stored:
        content = decrypt_bytes(stored.read())
    response = FileResponse(
        io.BytesIO(content),
        content_type=material.content_type,
        as_attachment=download,
        filename=material.original_name if download else "",
    )
    if not download:
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response
