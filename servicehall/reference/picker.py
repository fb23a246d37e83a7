"""A region picker for any form: three labelled selects (省 / 市 / 区县).

    from servicehall.reference.picker import RegionPickerField, region_refresh

    class ApplicationForm(forms.Form):
        hukou_region = RegionPickerField(label=_("户籍区划"))

The cleaned value is the deepest chosen `Region`. Without JavaScript, the 更新下级选项 button
submits the form so the next select can be filled: the host view calls
`region_refresh(form)` before validating, and re-renders the form when it returns True. With
htmx, changing a select re-renders the picker in place (`reference:region_picker`).
Render the field with `{% include "reference/region_picker_field.html" with field=... %}`."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import birthplace
from .models import Region
from .option_lists import region_options, with_chosen
from .selectors import is_region_code, region_get, region_path, regions_under

REFRESH_FIELD = "region_refresh"
# (name suffix, label, what the select says while the level above is not chosen)
LEVELS = (
    ("province", _("省"), ""),
    ("city", _("市"), _("请先选择省")),
    ("county", _("区县"), _("请先选择市")),
)
SUFFIXES = tuple(suffix for suffix, _label, _waiting in LEVELS)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def region_codes(value) -> list[str]:
    """[province, city, county] codes from submitted data (a list) or an initial value (a
    Region or a code); empty strings where nothing was chosen."""
    if isinstance(value, list | tuple):
        codes = [_text(code) for code in value[:3]]
        return codes + [""] * (3 - len(codes))
    code = value.pk if isinstance(value, Region) else _text(value)
    try:
        path = region_path(code) if code else []
    except Region.DoesNotExist:
        path = []
    return [region.code for region in path] + [""] * (3 - len(path))


class RegionPickerWidget(forms.Widget):
    template_name = "reference/widgets/region_picker.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.refreshed = False  # set by region_refresh(): say so and focus the next select

    @staticmethod
    def names(name: str) -> list[str]:
        return [f"{name}_{suffix}" for suffix in SUFFIXES]

    def value_from_datadict(self, data, files, name):
        return [_text(data.get(key)) for key in self.names(name)]

    def value_omitted_from_data(self, data, files, name):
        return not any(key in data for key in self.names(name))

    def use_required_attribute(self, initial):
        return False  # the server says what is missing; a prefecture may have no counties

    def id_for_label(self, id_):
        return f"{id_}_province" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        attrs = context["widget"]["attrs"]
        base_id = attrs.pop("id", "") or f"id_{name}"
        select_attrs = {key: attrs[key] for key in ("aria-invalid", "disabled") if attrs.get(key)}
        if "aria-invalid" in select_attrs:  # the id reference/region_picker_field.html gives
            select_attrs["aria-describedby"] = f"{base_id}_error"
        codes = region_codes(value)
        parent_code, options = "", regions_under()
        parent_chosen = True
        levels = []
        focus_set = not self.refreshed
        for index, (suffix, label, waiting) in enumerate(LEVELS):
            chosen = next((region for region in options if region.code == codes[index]), None)
            if options:
                placeholder = _("请选择")
            else:
                placeholder = _("无需选择") if parent_chosen else waiting
            autofocus = not focus_set and chosen is None and bool(options)
            focus_set = focus_set or autofocus
            levels.append({
                "id": f"{base_id}_{suffix}", "name": f"{name}_{suffix}", "label": label,
                # Rendered once per parent and data version; only the chosen one is marked here.
                "options": with_chosen(region_options(parent_code), chosen.code) if chosen else (
                    region_options(parent_code) if options else ""
                ),
                "value": chosen.code if chosen else "",
                "placeholder": placeholder, "autofocus": autofocus,
                "reloads": suffix != "county",
            })
            parent_chosen = chosen is not None
            parent_code = chosen.code if chosen else ""
            options = regions_under(parent_code) if chosen else []
        query = urlencode({"name": name, "id": base_id})
        context["widget"].update({
            "picker_id": f"{base_id}_picker",
            "levels": levels,
            "select_attrs": select_attrs,
            "reload_url": f"{reverse('reference:region_picker')}?{query}",
            "param_names": ",".join(self.names(name)),
            "refresh_field": REFRESH_FIELD,
            "refreshed": self.refreshed,
        })
        return context


class RegionPickerField(forms.Field):
    """Cleans to the deepest chosen current Region. The choice must go as deep as the table
    does: a county in Jiangsu, a prefecture elsewhere, a municipality as a whole."""

    widget = RegionPickerWidget
    default_error_messages = {
        "required": _("请选择省"),
        "choose_city": _("请选择市"),
        "choose_county": _("请选择区县"),
        "not_found": _("所选行政区划不存在"),
        "retired": _("所选行政区划已撤销，请重新选择"),
        "city_mismatch": _("所选的市不属于所选的省，请重新选择市"),
        "county_mismatch": _("所选的区县不属于所选的市，请重新选择区县"),
    }

    def _error(self, key: str) -> ValidationError:
        return ValidationError(self.error_messages[key], code=key)

    def _get(self, code: str) -> Region:
        try:
            return region_get(code)
        except Region.DoesNotExist:
            if not is_region_code(code):
                raise self._error("not_found") from None
            raise self._error("retired" if birthplace.code_names(code) else "not_found") from None

    def to_python(self, value) -> Region | None:
        province_code, city_code, county_code = region_codes(value if value else [])
        if not province_code:
            if city_code or county_code or self.required:
                raise self._error("required")
            return None
        region = self._get(province_code)
        if region.level != Region.Level.PROVINCE:
            raise self._error("not_found")
        for code, missing, mismatch in (
            (city_code, "choose_city", "city_mismatch"),
            (county_code, "choose_county", "county_mismatch"),
        ):
            if not code:
                if regions_under(region.code):
                    raise self._error(missing)
                return region
            child = self._get(code)
            if child.parent_id != region.code:
                raise self._error(mismatch)
            region = child
        return region

    def validate(self, value):
        pass  # to_python already said what is missing

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        initial_code = initial.pk if isinstance(initial, Region) else _text(initial)
        chosen = [code for code in region_codes(data or []) if code]
        return initial_code != (chosen[-1] if chosen else "")


def region_refresh(form) -> bool:
    """True when `form` was sent with the 更新下级选项 button rather than to be saved. The form
    then renders what was typed and chosen, without error messages, with the picker's next
    select filled and focused; the host view re-renders it instead of validating:

        form = ApplicationForm(request.POST)
        if region_refresh(form):
            return render(request, template, {"form": form})
        if form.is_valid(): ...
    """
    if not form.is_bound or REFRESH_FIELD not in form.data:
        return False
    form._errors = ErrorDict(renderer=form.renderer)  # skip validation: nothing was submitted
    form.cleaned_data = {}
    target = form.data.get(REFRESH_FIELD)
    for name, field in form.fields.items():
        if isinstance(field.widget, RegionPickerWidget) and form.add_prefix(name) == target:
            field.widget.refreshed = True
    return True
