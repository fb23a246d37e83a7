"""Two web nodes share everything a person's case is made of: the database (through PgBouncer),
sessions (Redis) and files (the S3 endpoint). A person may be served by either, and by the other
when one dies."""

import pytest
from django.urls import reverse

from .helpers import NGINX, NODE_A, NODE_B, api_session, run_cluster, staff_session, wait_for
from .journeys import png_bytes, start_and_fill, submit, upload_and_attach


def test_an_upload_through_node_a_is_opened_by_the_school_through_node_b(applicant):
    app = api_session(NODE_A, applicant["mobile"])
    draft = start_and_fill(app, NODE_A)
    content = png_bytes((200, 30, 30))
    material_id = upload_and_attach(app, NODE_A, draft, content)
    submitted = submit(app, NODE_A, draft)
    assert submitted.status_code == 200, submitted.text
    application_id = draft["application"]["id"]

    # The object in the bucket is the hall's ciphertext, not the picture.
    from servicehall.subsidy.models import Material

    stored = Material.objects.get(pk=material_id).file
    with stored.open("rb") as handle:
        assert content not in handle.read()

    reviewer = staff_session(NODE_B, "nju.reviewer")
    case = reviewer.get(NODE_B + reverse("subsidy:review_detail", args=[application_id]), timeout=30)
    assert case.status_code == 200 and material_id in case.text
    opened = reviewer.get(
        NODE_B + reverse("subsidy:review_material", args=[application_id, material_id]), timeout=30
    )
    assert opened.status_code == 200, opened.status_code
    assert opened.content == content
    assert "no-store" in opened.headers["Cache-Control"]


@pytest.fixture
def node_a_back():
    yield
    run_cluster("restart", "web-a")


def test_a_journey_goes_on_through_node_b_when_node_a_dies(applicant, node_a_back):
    app = api_session(NGINX, applicant["mobile"])
    draft = start_and_fill(app, NGINX)

    run_cluster("kill", "web-a")
    # Every request now goes to node B: nginx finds A refusing and passes each on.
    content = png_bytes((30, 200, 30))
    upload_and_attach(app, NGINX, draft, content)
    submitted = submit(app, NGINX, draft)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "school_review"
    progress = app.get(NGINX + "/api/v1/application", timeout=30)
    assert progress.status_code == 200 and progress.json()["problem"] == "applied"

    run_cluster("restart", "web-a")
    wait_for(lambda: app.get(NODE_A + "/api/v1/me", timeout=5).status_code == 200, what="node A back")
    # The person's token works on node A too: nothing of the session lived only on one node.
    assert app.get(NODE_A + "/api/v1/cases", params={"status": "in_progress"}, timeout=30).json()
