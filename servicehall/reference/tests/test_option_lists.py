"""The long option lists of the application form are rendered once and reused (ReferenceSelect):
the same markup as Django's Select, the chosen option marked per request, no query once
rendered, and a new list as soon as the reference data changes. The chosen row is found the same
way (ReferenceChoiceField): the queryset's rows only, no query once kept, a change seen at once."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicehall.reference.models import EthnicGroup, School
from servicehall.reference.option_lists import ReferenceChoiceField, ReferenceSelect

pytestmark = pytest.mark.django_db


def _form_classes():
    def field(widget):
        return forms.ModelChoiceField(
            queryset=School.objects.filter(is_active=True).order_by("city", "name"),
            empty_label="请选择毕业学校",
            widget=widget,
        )

    class Plain(forms.Form):
        school = field(forms.Select)

    class Reused(forms.Form):
        school = field(ReferenceSelect("test_schools"))

    return Plain, Reused


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("data", [None, "first", "not-a-school\"><script>"])
def test_the_markup_is_djangos_select(data):
    plain, reused = _form_classes()
    if data == "first":
        data = {"school": str(School.objects.filter(is_active=True).order_by("city", "name").first().pk)}
    elif data is not None:
        data = {"school": data}
    expected = _tags(plain(data)["school"].as_widget())
    assert _tags(reused(data)["school"].as_widget()) == expected
    assert _tags(reused(data)["school"].as_widget()) == expected  # from the kept copy too
    # An unknown value chooses nothing, in Django's Select as here.
    assert expected.count(" selected") == (0 if "script" in str(data) else 1)


def test_once_rendered_a_list_costs_no_query():
    _plain, reused = _form_classes()
    reused()["school"].as_widget()
    first = School.objects.order_by("pk").first().pk
    with CaptureQueriesContext(connection) as queries:
        html = reused(initial={"school": first})["school"].as_widget()
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert html.count("<option") == School.objects.filter(is_active=True).count() + 1


def test_a_changed_school_or_ethnic_group_is_in_the_next_list_at_once():
    _plain, reused = _form_classes()
    reused()["school"].as_widget()
    school = School.objects.filter(is_active=True).order_by("city", "name").first()
    school.name = "南京大学（新校名）"
    school.save()
    assert "南京大学（新校名）" in reused()["school"].as_widget()
    # Another process raised the version (this one's receiver did not run): the list is
    # rendered again and the old copy is dropped, not kept beside it.
    from django.core.cache import cache

    from servicehall.core.versions import _local

    cache.incr("version:reference")
    reused()["school"].as_widget()
    assert len([key for key in _local if key[1][:2] == ("options", "test_schools")]) == 1
    group = EthnicGroup.objects.get(name="汉族")
    group.delete()
    from servicehall.subsidy.forms import ApplicationForm

    assert ">汉族<" not in ApplicationForm()["ethnic_group"].as_widget()


def test_the_form_page_runs_a_fixed_number_of_queries(
    client, person, card, open_window, django_assert_max_num_queries
):
    client.force_login(person)
    client.get(reverse("subsidy:apply"))  # the lists rendered once
    with django_assert_max_num_queries(14):
        response = client.get(reverse("subsidy:apply"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<option value="') > 165 + 56


class _SchoolChoice(forms.Form):
    school = ReferenceChoiceField(
        queryset=School.objects.filter(is_active=True),
        error_messages={"invalid_choice": "请从列表中选择毕业学校"},
    )


def test_a_chosen_reference_row_is_found_without_a_query():
    school = School.objects.filter(is_active=True).order_by("pk").first()
    assert _SchoolChoice({"school": str(school.pk)}).is_valid()  # the copy kept
    with CaptureQueriesContext(connection) as queries:
        form = _SchoolChoice({"school": str(school.pk)})
        assert form.is_valid(), form.errors
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert form.cleaned_data["school"] == school
    assert form.cleaned_data["school"].name == school.name


@pytest.mark.parametrize("value", ["999999", "1.0", "-1", "abc", "1 OR 1=1", "一"])
def test_a_row_outside_the_list_or_a_hostile_value_is_refused(value):
    form = _SchoolChoice({"school": value})
    assert not form.is_valid()
    assert form.errors["school"] == ["请从列表中选择毕业学校"]


def test_a_null_character_is_refused_as_django_refuses_it():
    form = _SchoolChoice({"school": "1\x00"})
    assert not form.is_valid()
    assert form.errors["school"][0] != "请从列表中选择毕业学校"  # Django's own message for it


def test_a_row_the_queryset_leaves_out_is_refused_at_once():
    school = School.objects.filter(is_active=True).order_by("pk").first()
    assert _SchoolChoice({"school": str(school.pk)}).is_valid()
    school.is_active = False
    school.save()  # raises the reference data's version
    form = _SchoolChoice({"school": str(school.pk)})
    assert not form.is_valid()
    assert form.errors["school"] == ["请从列表中选择毕业学校"]
