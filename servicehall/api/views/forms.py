"""The application form of the pages (subsidy.forms.ApplicationForm) fed from JSON, so the API
checks every field with the same rules and words as the page."""

from servicehall.reference.picker import region_codes
from servicehall.subsidy import selectors
from servicehall.subsidy.forms import ApplicationForm
from servicehall.subsidy.services import FORM_FIELDS

FOREIGN_KEYS = {"ethnic_group", "education_level", "school", "hukou_region", "residence_region"}
REGIONS = ("hukou_region", "residence_region")


def _current(application) -> dict:
    values = {"category": application.category_code}
    for field in FORM_FIELDS:
        value = getattr(application, f"{field}_id" if field in FOREIGN_KEYS else field)
        values[field] = "" if value is None else value
    return values


def _as_post(values: dict) -> dict:
    """What a browser would post: each region as its 省 / 市 / 区县 selects."""
    data = {}
    for name, value in values.items():
        value = "" if value is None else value
        if name in REGIONS:
            code = str(value)
            codes = region_codes(code) if code else ["", "", ""]
            if code and not any(codes):  # not a current region: let the field say so
                codes = [code, "", ""]
            for suffix, part in zip(("province", "city", "county"), codes, strict=True):
                data[f"{name}_{suffix}"] = part
        else:
            data[name] = value
    return data


def application_form(application, payload: dict, *, year, submit: bool) -> ApplicationForm:
    """The page's form bound to what the draft holds, overlaid with what was sent."""
    values = {**_current(application), **{k: v for k, v in payload.items() if k != "pledge"}}
    data = _as_post(values)
    if payload.get("pledge"):
        data["pledge"] = "on"
    categories = list(selectors.categories_for(year)) if year is not None else []
    return ApplicationForm(data, categories=categories, draft=not submit)
