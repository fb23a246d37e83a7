from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GOOD_REASONS, POOR_REASONS, Rating
from .services import MAX_COMMENT, MAX_REPLY


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("您对本次服务的评价"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评价等级"), "invalid_choice": _("请选择评价等级")},
    )
    good_reasons = forms.MultipleChoiceField(
        label=_("满意的方面（可多选）"),
        choices=list(GOOD_REASONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    poor_reasons = forms.MultipleChoiceField(
        label=_("不满意的方面（可多选）"),
        choices=list(POOR_REASONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "选择“不满意”或“非常不满意”时，请至少勾选一项或填写意见建议，责任单位将在规定时间内答复。"
        ),
    )
    comment = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("意见建议最多%(limit_value)s个字")},
    )

    @property
    def reasons(self) -> list[str]:
        return [*self.cleaned_data.get("good_reasons", []), *self.cleaned_data.get("poor_reasons", [])]


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("答复内容"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("答复将通过短信和站内消息告知申请人，申请人可在办件进度页面查看。请勿填写他人个人信息。"),
        error_messages={"required": _("请填写答复内容"), "max_length": _("答复最多%(limit_value)s个字")},
    )
