"""Form widgets rendered with Jinja2 rather than Django's template language.

A long form renders each of its widgets through a template (an <input> through input.html and
attrs.html, a <select> through select.html and one select_option.html per option): with Django's
template language that was a third of the application form's time. Django ships the same widget
templates for Jinja2 (django/forms/jinja2), which renders them several times faster; the hall's
own widget templates have their Jinja2 version under the app's `jinja2/` folder, and so has the
hall's field group (label, hint, errors and widget: `{{ form.name.as_field_group }}`). A widget
with no Jinja2 template (the admin's) is rendered with Django's template language, as before.
Pages stay in Django's template language.

FORM_RENDERER = "servicehall.core.form_renderer.HallJinja2"."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

HALL_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment(**options) -> Environment:
    """Jinja2 with gettext: a widget template's words are translated as the page's are."""
    options.pop("autoescape", None)  # always on (Django passes it on too)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    return env


class HallJinja2(Jinja2):
    # A field with its label, hint and errors ({{ form.name.as_field_group }}): Jinja2 too, since a
    # page includes one per field (the application form thirteen).
    field_template_name = "hall/field_group.html"

    def get_template(self, template_name):
        try:
            return self.engine.get_template(template_name)
        except TemplateDoesNotExist:  # the admin's widgets exist for Django's templates only
            return self._django_templates.get_template(template_name)

    @cached_property
    def _django_templates(self) -> DjangoTemplates:
        return DjangoTemplates()

    @cached_property
    def engine(self):
        return self.backend({
            "APP_DIRS": True,
            # Django's widget templates, then the hall's icons (markup only, which both engines read).
            "DIRS": [Path(django.forms.__file__).parent / "jinja2", HALL_TEMPLATES],
            "NAME": "djangoforms",
            "OPTIONS": {"environment": "servicehall.core.form_renderer.environment"},
        })
