"""The application form of the pages (subsidy.forms.ApplicationForm) fed from JSON, so the API
checks every field with the same rules and words as the page."""

from servicehall.subsidy import selectors
from servicehall.subsidy.forms import ApplicationForm, application_values, as_posted


def application_form(application, payload: dict, *, year, submit: bool) -> ApplicationForm:
    """The page's form bound to what the draft holds, overlaid with what was sent."""
    values = {**application_values(application), **{k: v for k, v in payload.items() if k != "pledge"}}
    data = as_posted(values)
    if payload.get("pledge"):
        data["pledge"] = "on"
    categories = list(selectors.categories_for(year)) if year is not None else []
    return ApplicationForm(data, categories=categories, draft=not submit)
