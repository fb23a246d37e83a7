"""Configuration changed through the admin is audited with the values before and after: any
app's ModelAdmin, its inlines, additions and deletions (the site mixes the audit in)."""

import pytest

from servicehall.audit.models import AuditEntry
from servicehall.reference.models import WorkdayOverride
from servicehall.subsidy.models import ApplicationWindow
from tests.clients import staff_client

pytestmark = pytest.mark.django_db


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_add_change_and_delete_are_audited_with_values(client, operator, sms_code):
    staff_client(operator, sms_code, client=client)
    added = client.post(
        "/admin/reference/workdayoverride/add/", {"day": "2027-02-06", "is_workday": "on", "note": "春节调休"}
    )
    assert added.status_code == 302
    override = WorkdayOverride.objects.get(day="2027-02-06")
    (entry,) = _entries("config.add")
    assert entry.actor == operator and entry.organisation == operator.organisation
    assert entry.target_type == "reference.workdayoverride" and entry.target_id == str(override.pk)
    assert entry.detail["values"]["note"] == "春节调休" and entry.detail["values"]["is_workday"] is True

    changed = client.post(
        f"/admin/reference/workdayoverride/{override.pk}/change/",
        {"day": "2027-02-06", "note": "春节调休上班"},
    )
    assert changed.status_code == 302
    (entry,) = _entries("config.change")
    assert entry.detail["changes"] == {
        "is_workday": {"before": True, "after": False},
        "note": {"before": "春节调休", "after": "春节调休上班"},
    }
    # Saving without a change writes nothing.
    client.post(
        f"/admin/reference/workdayoverride/{override.pk}/change/",
        {"day": "2027-02-06", "note": "春节调休上班"},
    )
    assert len(_entries("config.change")) == 1

    deleted = client.post(f"/admin/reference/workdayoverride/{override.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and not WorkdayOverride.objects.exists()
    (entry,) = _entries("config.delete")
    assert entry.target_id == str(override.pk) and entry.detail["values"]["note"] == "春节调休上班"


def test_an_inline_change_is_audited_on_its_own_row(client, operator, sms_code, year):
    assert ApplicationWindow.objects.filter(graduation_year=year).exists()
    staff_client(operator, sms_code, client=client)
    page = client.get(f"/admin/subsidy/graduationyear/{year.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    formset = page.context["inline_admin_formsets"][0].formset
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
            f"{formset.prefix}-INITIAL_FORMS": str(len(formset.initial_forms)),
        }
    )
    for index, inline in enumerate(formset.forms):
        data[f"{formset.prefix}-{index}-id"] = inline.instance.pk
        for name, value in inline.initial.items():
            if value is not None:
                data[f"{formset.prefix}-{index}-{name}"] = getattr(value, "pk", value)
    target = f"{formset.prefix}-0-closes_on"
    data[target] = "2027-12-31"
    response = client.post(f"/admin/subsidy/graduationyear/{year.pk}/change/", data)
    assert response.status_code == 302
    (entry,) = _entries("config.change")
    assert entry.target_type == "subsidy.applicationwindow"
    assert entry.detail["changes"]["closes_on"]["after"] == "2027-12-31"
