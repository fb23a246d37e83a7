"""The names of what people and officers do in the hall. Which role may do which is one table,
accounts/permissions.py; every app asks `user.may(Action.X)` (or the decorators and the API's
permission built on it), so no app below accounts needs to know the roles."""

from enum import StrEnum


class Action(StrEnum):
    APPLY = "apply"  # 申报, 我的材料, 重新发放, 评价
    REVIEW_SCHOOL = "review_school"  # 学校审核, 批量通过, 发布公示
    HANDLE_OBJECTIONS = "handle_objections"  # 异议处理
    REVIEW_BUREAU = "review_bureau"  # 人社初审, 人社复审
    OVERRIDE_CHECK = "override_check"  # 核实放行 a failed cross-check
    PAY = "pay"  # 发放批次, bank files, return files, 发放统计
    VIEW_STATISTICS = "view_statistics"  # 数据统计
    ANSWER_EVALUATIONS = "answer_evaluations"  # 服务评价（好差评）
    ANSWER_QUESTIONS = "answer_questions"  # 咨询答复 (我要问)
    VIEW_AUDIT = "view_audit"  # 审计查询
    FIND_GRADUATES = "find_graduates"  # 政策找人: a school's graduating class, the officers' page
    OPERATE = "operate"  # staff accounts, appeals, imports of cards, outlets and registries, admin
