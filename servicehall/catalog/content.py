"""Loads the committed catalog content (data/catalog.json) into a database. Used by the data
migration (with historical models) and by the browser tests after a flush; operators edit the
rows in the admin afterwards."""

import json
from pathlib import Path

from .search import search_text_for

DATA_FILE = Path(__file__).resolve().parent / "data" / "catalog.json"


def read():
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)


def load(get_model, using="default"):
    """`get_model(name)` returns the model class: `apps.get_model` in a migration."""
    data = read()
    Category, Audience, ServiceGroup, Service, GuideMaterial, GuideQuestion = (
        get_model(name) for name in
        ("Category", "Audience", "ServiceGroup", "Service", "GuideMaterial", "GuideQuestion")
    )
    Category.objects.using(using).bulk_create([Category(**row) for row in data["categories"]])
    Audience.objects.using(using).bulk_create([Audience(**row) for row in data["audiences"]])
    ServiceGroup.objects.using(using).bulk_create([
        ServiceGroup(code=row["code"], name=row["name"], category_id=row["category"],
                     order=row["order"], home_order=row["home_order"])
        for row in data["groups"]
    ])
    materials, questions = [], []
    for row in data["services"]:
        row = dict(row)
        audiences = row.pop("audiences")
        synonyms = "\n".join(row.pop("synonyms"))
        for key in ("conditions", "flow", "legal_basis"):
            row[key] = "\n".join(row[key])
        service_materials = row.pop("materials")
        service_questions = row.pop("questions")
        service = Service.objects.using(using).create(
            **{k: v for k, v in row.items() if k != "group"}, group_id=row["group"],
            synonyms=synonyms, search_text=search_text_for(row["name"], synonyms),
        )
        service.audiences.set(audiences)
        materials += [GuideMaterial(service=service, order=i, **m) for i, m in enumerate(service_materials)]
        questions += [GuideQuestion(service=service, order=i, **q) for i, q in enumerate(service_questions)]
    GuideMaterial.objects.using(using).bulk_create(materials)
    GuideQuestion.objects.using(using).bulk_create(questions)
