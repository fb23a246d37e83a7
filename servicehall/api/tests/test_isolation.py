"""A person's token never reaches another person's application, case, material or message:
every endpoint that names an object, tried with a second person's token on the first
person's objects, answers 404 and changes nothing."""

import pytest

from servicehall.messaging.services import site_message_send
from servicehall.subsidy import selectors, services
from servicehall.subsidy.models import Application, Material
from servicehall.subsidy.tests.factories import submit_for
from tests.files import png

from .conftest import V1

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_persons_objects(person, open_window, other_person):
    """The first person's submitted case, a draft of the other's own, the first person's
    material and message."""
    submitted = submit_for(person, year_obj=open_window.graduation_year)
    material = Material.objects.filter(owner=person).first()
    requirement_id = int(next(iter(selectors.materials_map(submitted))))
    message = site_message_send(user=person, title="申请已提交", body="学校将进行审核")
    return {"case": submitted, "material": material, "requirement": requirement_id, "message": message}


def _requests(objects):
    case, material = objects["case"], objects["material"]
    app = f"applications/{case.pk}"
    return [
        ("get", app, None),
        ("patch", app, {"major": "改名"}),
        ("post", f"{app}/submit", {"pledge": True}),
        ("post", f"{app}/resubmit", {"pledge": True}),
        ("post", f"{app}/withdraw", None),
        (
            "post",
            f"{app}/materials",
            {"requirement_id": objects["requirement"], "material_id": str(material.id)},
        ),
        ("delete", f"{app}/materials/{objects['requirement']}/{material.id}", None),
        ("get", f"cases/{case.pk}", None),
        ("get", f"cases/{case.pk}/receipt", None),
        ("get", f"materials/{material.id}", None),
        ("get", f"materials/{material.id}/file", None),
        ("get", f"messages/{objects['message'].pk}", None),
    ]


def test_every_object_endpoint_answers_not_found_to_another_person(
    first_persons_objects, other_api, person_api
):
    for method, path, body in _requests(first_persons_objects):
        response = getattr(other_api, method)(V1 + path, body, format="json")
        assert response.status_code == 404, (method, path, response.status_code, response.content[:200])
        assert response.json()["code"] == "not_found", (method, path)
    # Nothing changed, and the owner still reaches each of them.
    case = Application.objects.get(pk=first_persons_objects["case"].pk)
    assert case.state == "school_review" and case.major == "软件工程"
    assert (
        first_persons_objects["message"].__class__.objects.get(pk=first_persons_objects["message"].pk).read_at
        is None
    )
    for path in (
        f"cases/{case.pk}",
        f"cases/{case.pk}/receipt",
        f"materials/{first_persons_objects['material'].id}/file",
    ):
        assert person_api.get(V1 + path).status_code == 200, path


def test_the_first_persons_material_cannot_be_attached_to_anothers_application(
    first_persons_objects, other_person, other_api
):
    from servicehall.cards.services import demo_card_for

    demo_card_for(id_number=other_person.id_number, name=other_person.name)
    own = other_api.post(V1 + "application").json()
    other_api.patch(V1 + f"applications/{own['id']}", {"category": "disabled"}, format="json")
    response = other_api.post(
        V1 + f"applications/{own['id']}/materials",
        {
            "requirement_id": first_persons_objects["requirement"],
            "material_id": str(first_persons_objects["material"].id),
        },
        format="json",
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Application.objects.get(pk=own["id"]).materials_json in ("", "{}")


def test_lists_hold_only_the_persons_own(first_persons_objects, other_api):
    assert other_api.get(V1 + "cases", {"status": "in_progress"}).json() == []
    assert other_api.get(V1 + "cases", {"status": "concluded"}).json() == []
    assert other_api.get(V1 + "materials").json() == []
    assert other_api.get(V1 + "messages").json()["count"] == 0
    assert other_api.get(V1 + "application").json()["application"] is None
    # A new draft of the other person's is theirs alone.
    services.material_store(owner=first_persons_objects["case"].applicant, upload=png(), field="f")
    assert other_api.get(V1 + "materials").json() == []
