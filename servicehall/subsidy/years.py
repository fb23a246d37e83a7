"""Setting up a graduation year: its two windows and today's hardship categories with the
documents each asks for. Operators change all of it in the admin afterwards."""

import datetime

from django.db import transaction

from .models import ApplicationWindow, GraduationYear, HardshipCategory, RequiredMaterial, WindowKind

# 苏人社发〔2019〕198号 and 财社〔2023〕181号: the categories a graduating student may claim under
# (one per claim), and the proof each needs when the cross-check cannot confirm it.
DEFAULT_CATEGORIES = [
    ("zero_employment", "零就业家庭", [("零就业家庭证明", "由户籍地街道（乡镇）或人社部门出具")]),
    ("relapse_monitoring", "防返贫监测对象家庭", [("防返贫监测对象证明", "由乡村振兴（农业农村）部门认定")]),
    (
        "subsistence_allowance",
        "城乡低保家庭",
        [("低保证明", "须为毕业年度上一年9月1日以后开具，或在有效期内的低保证")],
    ),
    ("disabled", "残疾", [("中华人民共和国残疾人证", "本人残疾人证，拍摄或扫描证件内容页")]),
    (
        "student_loan",
        "国家助学贷款（含生源地贷款）",
        [("国家助学贷款合同或生源地信用助学贷款受理证明", "在校期间获得的贷款合同或受理证明")],
    ),
    ("extreme_poverty", "特困人员", [("特困人员救助供养证明", "由民政部门出具")]),
]

# The list in the hall's operating manual (its screens show 毕业年度 2021): the categories of the
# graduates of that time, before the policy's list changed. The demo keeps a 2021 year with them,
# so that a person reading the manual finds them in the guide's 各毕业年度的毕业生类型.
CATEGORIES_IN_THE_MANUAL = [
    ("disabled", "残疾", [("中华人民共和国残疾人证", "本人残疾人证，拍摄或扫描证件内容页")]),
    ("subsistence_allowance", "低保家庭", [("低保证明", "由民政部门出具")]),
    ("extreme_poverty", "特困人员", [("特困人员救助供养证明", "由民政部门出具")]),
    ("filed_low_income", "建档立卡低收入农户家庭", [("建档立卡低收入农户证明", "由扶贫部门出具")]),
    ("filed_poverty", "建档立卡贫困家庭", [("建档立卡贫困家庭证明", "由扶贫部门出具")]),
    ("student_loan", "获取国家助学贷款", [("国家助学贷款合同", "在校期间获得的贷款合同")]),
]
MANUAL_YEAR = 2021


def default_windows(year: int) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The graduation academic year starts in the September before graduation."""
    return {
        WindowKind.MAIN: (datetime.date(year - 1, 9, 1), datetime.date(year - 1, 9, 30)),
        WindowKind.SUPPLEMENTARY: (datetime.date(year, 5, 1), datetime.date(year, 5, 31)),
    }


@transaction.atomic
def graduation_year_setup(*, year: int, categories=None) -> GraduationYear:
    """Create a year with its default windows and categories (DEFAULT_CATEGORIES unless given);
    an existing year is left alone."""
    graduation_year, created = GraduationYear.objects.get_or_create(year=year)
    if not created:
        return graduation_year
    for kind, (opens_on, closes_on) in default_windows(year).items():
        ApplicationWindow.objects.create(
            graduation_year=graduation_year, kind=kind, opens_on=opens_on, closes_on=closes_on
        )
    for order, (code, name, materials) in enumerate(categories or DEFAULT_CATEGORIES):
        category = HardshipCategory.objects.create(
            graduation_year=graduation_year, code=code, name=name, order=order
        )
        for m_order, (material_name, note) in enumerate(materials):
            RequiredMaterial.objects.create(category=category, name=material_name, note=note, order=m_order)
    return graduation_year


@transaction.atomic
def graduation_year_copy(*, source: GraduationYear, year: int) -> GraduationYear:
    """Set up `year` from an earlier one: the same amount, periods and time limits, the same
    categories with their materials (operators then change what the new year's policy
    changes), and that year's default windows. A year that exists already is refused."""
    from servicehall.core.errors import DomainError

    if GraduationYear.objects.filter(year=year).exists():
        raise DomainError(f"{year}", code="year_exists")
    graduation_year = GraduationYear.objects.create(
        year=year,
        amount_fen=source.amount_fen,
        publicity_days=source.publicity_days,
        school_review_days=source.school_review_days,
        publish_days=source.publish_days,
        first_review_days=source.first_review_days,
        second_review_days=source.second_review_days,
    )
    for kind, (opens_on, closes_on) in default_windows(year).items():
        ApplicationWindow.objects.create(
            graduation_year=graduation_year, kind=kind, opens_on=opens_on, closes_on=closes_on
        )
    for category in source.categories.prefetch_related("materials"):
        copy = HardshipCategory.objects.create(
            graduation_year=graduation_year,
            code=category.code,
            name=category.name,
            order=category.order,
            is_active=category.is_active,
        )
        RequiredMaterial.objects.bulk_create(
            RequiredMaterial(
                category=copy, name=m.name, note=m.note, is_required=m.is_required, order=m.order
            )
            for m in category.materials.all()
        )
    return graduation_year
