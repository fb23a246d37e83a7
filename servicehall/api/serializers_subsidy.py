"""Shapes of the application (申报), its materials and the cases (我的办件). The form's rules
are those of subsidy.forms.ApplicationForm (see views/application.py); these only say what
goes in and out."""

from rest_framework import serializers

from servicehall.subsidy.constants import ApplicationStatus

from .fields import FlagField, TextField, WholeNumberField

MAX_ID = 10**18 - 1  # ids are at most 18 digits (urls.IdConverter)


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RequirementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    note = serializers.CharField()
    is_required = serializers.BooleanField()


class CategoryOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    materials = RequirementSerializer(many=True, source="materials.all")


class WindowSerializer(serializers.Serializer):
    graduation_year = serializers.IntegerField(source="graduation_year_id")
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField(help_text="当天24时截止")


class FormOptionsSerializer(serializers.Serializer):
    """What the form's selects offer. 毕业学校 and the regions have their own endpoints
    (reference/schools, reference/regions): they are long lists."""

    graduation_year = serializers.IntegerField()
    amount_yuan = serializers.IntegerField()
    categories = CategoryOptionSerializer(many=True)
    ethnic_groups = ChoiceSerializer(many=True)
    education_levels = ChoiceSerializer(many=True)


class MaterialSerializer(serializers.Serializer):
    """我的材料: one uploaded file (kept encrypted; the file itself at materials/{id}/file)."""

    id = serializers.UUIDField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    pages = serializers.IntegerField(allow_null=True)
    uploaded_at = serializers.DateTimeField()


class MaterialUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JPEG、PNG 或 PDF，单个文件不超过上传限制")


class AttachSerializer(serializers.Serializer):
    requirement_id = WholeNumberField(
        min_value=1, max_value=MAX_ID, help_text="所选毕业生类型要求的材料 id（见 application/options）"
    )
    material_id = serializers.UUIDField(help_text="我的材料中的文件 id（先上传到 materials）")


class AttachedSlotSerializer(serializers.Serializer):
    requirement_id = serializers.IntegerField()
    files = MaterialSerializer(many=True)


class ApplicationFormSerializer(serializers.Serializer):
    """The form's fields, all optional: what is sent replaces what the draft holds, what is
    left out is kept. Regions are the deepest GB/T 2260 code (a county in Jiangsu)."""

    category = TextField(
        required=False, allow_blank=True, max_length=40, help_text="毕业生类型代码"
    )
    ethnic_group = TextField(required=False, allow_blank=True, max_length=2, help_text="民族代码")
    education_level = TextField(
        required=False, allow_blank=True, max_length=2, help_text="学历代码"
    )
    school = WholeNumberField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    student_number = TextField(required=False, allow_blank=True, max_length=30)
    department = TextField(required=False, allow_blank=True, max_length=60)
    major = TextField(required=False, allow_blank=True, max_length=60)
    mobile = TextField(required=False, allow_blank=True, max_length=20)
    hukou_region = TextField(required=False, allow_blank=True, max_length=6)
    hukou_address = TextField(required=False, allow_blank=True, max_length=120)
    residence_region = TextField(required=False, allow_blank=True, max_length=6)
    residence_address = TextField(required=False, allow_blank=True, max_length=120)


class SubmitSerializer(ApplicationFormSerializer):
    pledge = FlagField(help_text="我已阅读并了解以上内容（四项承诺），每次提交都要确认")


class ApplicationSerializer(serializers.Serializer):
    """The application as its owner sees it on the form (built by views/presenters.py)."""

    id = serializers.IntegerField()
    record_number = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=ApplicationStatus.choices)
    state_display = serializers.CharField()
    editable = serializers.BooleanField(help_text="true：草稿或已退回修改，可以修改和上传材料")
    graduation_year = serializers.IntegerField(allow_null=True)
    category = serializers.CharField(help_text="毕业生类型代码")
    name = serializers.CharField()
    gender_display = serializers.CharField()
    masked_id_number = serializers.CharField()
    ethnic_group = serializers.CharField(allow_null=True)
    education_level = serializers.CharField(allow_null=True)
    school = serializers.IntegerField(allow_null=True)
    student_number = serializers.CharField()
    department = serializers.CharField()
    major = serializers.CharField()
    mobile = serializers.CharField()
    hukou_region = serializers.CharField(allow_null=True)
    hukou_address = serializers.CharField()
    residence_region = serializers.CharField(allow_null=True)
    residence_address = serializers.CharField()
    bank = serializers.CharField(help_text="开户银行（社会保障卡）")
    masked_account = serializers.CharField()
    materials = AttachedSlotSerializer(many=True)
    last_opinion = serializers.CharField(help_text="退回修改时的意见")
    submitted_at = serializers.DateTimeField(allow_null=True)


class ApplyStatusSerializer(serializers.Serializer):
    """Whether the person can apply now, and if not, why (the same checks as the page)."""

    can_apply = serializers.BooleanField()
    problem = serializers.CharField(
        allow_null=True,
        help_text="no_card、financial_inactive、lost、cancelled（社保卡）、window_closed（不在申报期）、"
        "applied（已有申请在办理中，见 application）或 null",
    )
    window = WindowSerializer(allow_null=True)
    next_window = WindowSerializer(allow_null=True)
    application = ApplicationSerializer(allow_null=True)
    withdrawn_answers = serializers.BooleanField(
        help_text="true：上次撤回的申请中有仍然有效、本次还没有填写的信息，可以 POST application "
        "{\"fill_from_withdrawn\": true} 填入（网页的【使用上次撤回的申请信息填写】）"
    )


class StartSerializer(serializers.Serializer):
    """开始申报. Without a body: the draft as it is (or a new, empty one)."""

    fill_from_withdrawn = FlagField(
        required=False,
        default=False,
        help_text="true：用上次撤回的申请中仍然有效的信息填写草稿中还没有填写的项目（已填写的不变）；"
        "不带入材料，材料请从“我的材料”重新选用。没有撤回的申请时 400 no_withdrawn",
    )


class TimelineEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    opinion = serializers.CharField()
    at = serializers.DateTimeField()


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "current", "stopped", "todo"])
    note = serializers.CharField()
    events = TimelineEventSerializer(many=True)


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.CharField(help_text="事项名称")
    record_number = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=ApplicationStatus.choices)
    state_display = serializers.CharField()
    concluded = serializers.BooleanField(help_text="true：已办结；false：办理中")
    submitted_at = serializers.DateTimeField(allow_null=True)


class CaseDetailSerializer(CaseSerializer):
    """办件进度: the six steps of 查看进度, each with what happened there."""

    school = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    can_withdraw = serializers.BooleanField()
    steps = StepSerializer(many=True)
