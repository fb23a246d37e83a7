from django import forms
from django.utils.translation import gettext as _


class HallForm(forms.Form):
    """A form whose empty required fields say which field they are ("请填写姓名"), rather than
    Django's generic "这个字段是必填项。"; a field's own message is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        generic = forms.Field.default_error_messages["required"]
        for field in self.fields.values():
            if field.error_messages.get("required") is not generic:
                continue
            if isinstance(field, forms.ChoiceField):
                message = _("请选择%(label)s") % {"label": field.label}
            else:
                message = _("请填写%(label)s") % {"label": field.label}
            field.error_messages["required"] = message
