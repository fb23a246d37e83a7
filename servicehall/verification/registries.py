"""What each registry holds and how its file's columns are found: the fields a row gives, which
of them must be mapped, and the column headers a department's file uses by default. An operator
changes the headers on the import page when a file names its columns otherwise."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Registry

# Every field a registry row may have, with its label on the import page.
FIELD_LABELS = {
    "id_number": _("证件号码"),
    "name": _("姓名"),
    "valid_from": _("有效期起"),
    "valid_until": _("有效期至"),
    "grant_year": _("发放年度"),
}

# This province: its own earlier grants are the grant list whose province is this.
HOME_PROVINCE = "江苏省"


@dataclass(frozen=True)
class RegistrySpec:
    registry: str
    department: str  # who provides it: the batch's source unless the operator says otherwise
    # field -> the column header a file of this registry uses by default
    headers: dict[str, str]
    required: tuple[str, ...] = ("id_number", "name")
    # field -> a label of its own on this registry's page (参保开始日期 for valid_from…)
    labels: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def label(self) -> str:
        return Registry(self.registry).label

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.headers)

    def field_label(self, name: str) -> str:
        return str(self.labels.get(name, FIELD_LABELS[name]))

    @property
    def has_province(self) -> bool:
        return self.registry == Registry.PRIOR_GRANT


def _status(department: str, note) -> dict:
    """A status with a validity (低保, 特困, 残疾人证…): validity columns may be blank or absent."""
    return {
        "department": department,
        "headers": {
            "id_number": "证件号码",
            "name": "姓名",
            "valid_from": "有效期起",
            "valid_until": "有效期至",
        },
        "note": note,
    }


SPECS: dict[str, RegistrySpec] = {
    spec.registry: spec
    for spec in [
        RegistrySpec(
            Registry.SUBSISTENCE_ALLOWANCE,
            **_status("民政", _("民政部门的城乡最低生活保障对象名单（含家庭成员）。")),
        ),
        RegistrySpec(Registry.EXTREME_POVERTY, **_status("民政", _("民政部门的特困供养人员名单。"))),
        RegistrySpec(Registry.DISABILITY, **_status("残联", _("残联的残疾人证持证人名单。"))),
        RegistrySpec(Registry.RELAPSE_MONITORING, **_status("乡村振兴", _("防止返贫监测对象家庭成员名单。"))),
        RegistrySpec(Registry.ZERO_EMPLOYMENT, **_status("人社", _("零就业家庭成员名单。"))),
        RegistrySpec(
            Registry.STUDENT_LOAN, **_status("教育（资助中心）", _("在校期间获得国家助学贷款的学生名单。"))
        ),
        RegistrySpec(
            Registry.ORIGIN_LOAN, **_status("教育（资助中心）", _("获得生源地信用助学贷款的学生名单。"))
        ),
        RegistrySpec(
            Registry.EMPLOYMENT,
            department="社保",
            headers={
                "id_number": "证件号码",
                "name": "姓名",
                "valid_from": "参保开始日期",
                "valid_until": "参保终止日期",
            },
            required=("id_number", "name", "valid_from"),
            labels={"valid_from": _("参保开始日期"), "valid_until": _("参保终止日期")},
            note=_("以职工身份参加社会保险的记录：参保开始日期必填，仍在参保的终止日期留空。"),
        ),
        RegistrySpec(
            Registry.PRIOR_GRANT,
            department="人社",
            headers={"id_number": "证件号码", "name": "姓名", "grant_year": "发放年度"},
            required=("id_number", "name", "grant_year"),
            note=_("已发放求职创业补贴的人员：本省往年的发放名单，或外省提供的名单（导入时选择省份）。"),
        ),
    ]
}


def spec_for(registry: str) -> RegistrySpec:
    return SPECS[registry]
