"""The applicant's part of a journey through the app's API, on whichever node or proxy it is given:
start, fill, upload a document, attach it, submit. The cluster tests use it to move a person from
one node to the other at any step."""

from __future__ import annotations

import io

import requests
from PIL import Image

V1 = "/api/v1/"


def png_bytes(colour=(20, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _region(app: requests.Session, base: str, *names: str) -> str:
    regions, code = app.get(base + V1 + "reference/regions", timeout=30).json(), ""
    for name in names:
        region = next(r for r in regions if r["name"] == name)
        code = region["code"]
        if region["has_children"]:
            regions = app.get(base + V1 + "reference/regions", params={"parent": code}, timeout=30).json()
    return code


def start_and_fill(app: requests.Session, base: str) -> dict:
    """A draft with every field but the residence address; returns the draft and the category."""
    started = app.post(base + V1 + "application", timeout=30)
    assert started.status_code in (200, 201), started.text
    application = started.json()
    options = app.get(base + V1 + "application/options", timeout=30).json()
    schools = app.get(base + V1 + "reference/schools", params={"q": "南京大学"}, timeout=30).json()
    category = next(c for c in options["categories"] if c["materials"])
    form = {
        "category": category["code"],
        "ethnic_group": next(e["code"] for e in options["ethnic_groups"] if e["name"] == "汉族"),
        "education_level": next(e["code"] for e in options["education_levels"] if e["name"] == "大学本科"),
        "school": schools[0]["id"],
        "student_number": "221250001",
        "department": "计算机学院",
        "major": "软件工程",
        "hukou_region": _region(app, base, "江苏省", "南京市", "秦淮区"),
        "hukou_address": "江苏省南京市秦淮区瑞金路1号",
        "residence_region": _region(app, base, "江苏省", "南京市", "鼓楼区"),
    }
    saved = app.patch(base + V1 + f"applications/{application['id']}", json=form, timeout=30)
    assert saved.status_code == 200, saved.text
    return {"application": saved.json(), "category": category}


def upload_and_attach(app: requests.Session, base: str, draft: dict, content: bytes) -> str:
    upload = app.post(base + V1 + "materials", files={"file": ("证明.png", content, "image/png")}, timeout=60)
    assert upload.status_code == 201, upload.text
    material_id = upload.json()["id"]
    requirement = draft["category"]["materials"][0]
    attached = app.post(
        base + V1 + f"applications/{draft['application']['id']}/materials",
        json={"requirement_id": requirement["id"], "material_id": material_id},
        timeout=30,
    )
    assert attached.status_code == 200, attached.text
    return material_id


def submit(app: requests.Session, base: str, draft: dict) -> requests.Response:
    return app.post(
        base + V1 + f"applications/{draft['application']['id']}/submit",
        json={"residence_address": "江苏省南京市鼓楼区汉口路22号", "pledge": True},
        timeout=60,
    )
