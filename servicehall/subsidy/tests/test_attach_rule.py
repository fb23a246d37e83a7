"""Issue 15: "a document must belong to the chosen category" was checked only by the API view;
the service both doors call did not check it. Now the service does, for the page and the app."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from servicehall.core.errors import DomainError
from servicehall.subsidy import selectors, services
from servicehall.subsidy.models import Application
from servicehall.subsidy.tests.factories import form_data
from tests.files import png
from tests.people import PASSWORD

APPLY = reverse("subsidy:apply")


def _draft_of_category(client, person, code):
    client.force_login(person)
    client.post(APPLY, {**form_data(code), "action": "save_draft"})
    application = Application.objects.get(applicant=person)
    assert application.category_code == code
    return application


def _requirement_of(application, code):
    category = next(c for c in selectors.categories_for(application.graduation_year) if c.code == code)
    return category.materials.first()


@pytest.mark.django_db
def test_the_service_refuses_a_document_of_another_category(client, person, card, open_window):
    application = _draft_of_category(client, person, "disabled")
    material = services.material_store(owner=person, upload=png(), field="m")
    other = _requirement_of(application, "subsistence_allowance")
    with pytest.raises(DomainError) as refused:
        services.application_attach(
            applicant=person, application=application, requirement_id=other.pk, material=material
        )
    assert refused.value.code == "not_required"
    assert str(refused.value.message) == "所选毕业生类型不需要这项材料。"
    assert selectors.materials_map(Application.objects.get(pk=application.pk)) == {}


@pytest.mark.django_db
def test_the_app_gets_the_same_refusal_from_the_service(client, person, card, open_window):
    application = _draft_of_category(client, person, "disabled")
    material = services.material_store(owner=person, upload=png(), field="m")
    other = _requirement_of(application, "subsistence_allowance")
    api = APIClient()
    login = api.post(
        "/api/v1/auth/login/password", {"identifier": person.mobile, "password": PASSWORD}, format="json"
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    answer = api.post(
        f"/api/v1/applications/{application.pk}/materials",
        {"requirement_id": other.pk, "material_id": str(material.pk)},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "not_required"


@pytest.mark.django_db
def test_the_page_attaches_to_the_category_chosen_in_the_same_request(client, person, card, open_window):
    """The page stores uploads before it saves the draft: the category just chosen counts."""
    application = _draft_of_category(client, person, "disabled")
    requirement = _requirement_of(application, "subsistence_allowance")
    client.post(
        APPLY,
        {**form_data("subsistence_allowance"), "action": "upload", f"material_{requirement.pk}": png()},
    )
    attached = selectors.materials_map(Application.objects.get(pk=application.pk))
    assert list(attached) == [str(requirement.pk)]
