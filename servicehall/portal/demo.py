"""The demo organisations and accounts `make run` loads (development only)."""

from stdnum.cn import ric

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - a published demo password, dev data only


def _resident_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")  # it skips the last digit


APPLICANT = {
    "name": "张晓明",
    "id_number": _resident_id("32010220040315003"),
    "mobile": "13800000001",
}
ORGANISATIONS = [
    # (name, kind, region code, school code)
    ("江苏省人力资源和社会保障厅", "platform", "320000", None),
    ("南京市人力资源和社会保障局", "bureau", "320100", None),
    ("南京大学", "school", "320100", "4132010284"),
]
STAFF = [
    # (username, name, role, organisation, mobile, what they do)
    ("nju.reviewer", "李老师", "school_reviewer", "南京大学", "13900000011", "学校审核"),
    ("nj.reviewer1", "王科员", "bureau_reviewer", "南京市人力资源和社会保障局", "13900000021",
     "人社初审"),
    ("nj.reviewer2", "赵科员", "bureau_reviewer", "南京市人力资源和社会保障局", "13900000022",
     "人社复审"),
    ("nj.finance", "钱会计", "payment_officer", "南京市人力资源和社会保障局", "13900000031",
     "补贴发放"),
    ("js.admin", "孙管理员", "operator", "江苏省人力资源和社会保障厅", "13900000041", "平台管理"),
]
