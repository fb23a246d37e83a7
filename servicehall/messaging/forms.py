import re

from django import forms
from django.utils.translation import gettext_lazy as _

_MOBILE_RE = re.compile(r"[0-9]{11}")


class OutboxFilterForm(forms.Form):
    """The dev outbox's optional filter. Checks shape only: 11 ASCII digits."""

    mobile = forms.CharField(
        label=_("手机号码"),
        required=False,
        help_text=_("只看发往这个号码的短信，11位数字"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "11"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One message for every malformed value (a null character included), from clean_mobile.
        self.fields["mobile"].validators = []

    def clean_mobile(self) -> str:
        value = (self.cleaned_data.get("mobile") or "").strip()
        if value and not _MOBILE_RE.fullmatch(value):
            raise forms.ValidationError(
                _("手机号码应为11位数字，请检查后重新输入"), code="invalid"
            )
        return value
