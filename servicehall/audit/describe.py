"""What an audit entry is about and what it says, in words: the one place that turns an entry's
target and detail into Chinese for 审计查询, its Excel export and the admin's audit pages.

- The target ("payments.paymentbatch" and a primary key) is read as the object's kind, its
  model's verbose name (发放批次, 用户; a staff account is 工作人员), and its own name: the batch's
  number, the case's record number, a person masked as everywhere else (张*三), staff by name
  and account. Targets, and the objects a detail names (a batch, a bank, an organisation), are
  loaded in bulk: one query per kind of object, whatever the number of entries.
- The detail (the JSON a service wrote) becomes sentences: a state change reads 由“发放中”变为
  “已发放” in the target's own state labels, changed and recorded fields go by their verbose
  names, known keys by words, and anything else as “键：值”, never as JSON. Every value passes
  through core.masking, so an ID or mobile number written into a detail is never shown whole.

The trail sits below every app it names and imports none of them: models are found through
Django's app registry and read through their _meta (verbose names, choices, relations), and a
case's record number through the look-up its app registered (cases.py)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.core.masking import mask_personal_numbers

from .cases import case_lookup
from .labels import GROUPS, label_of

# The field that holds an object's state, by which a {"from", "to"} detail is read.
STATE_FIELDS = ("state", "status")


@dataclass(frozen=True)
class Key:
    """How a detail's key is read. `model` names the objects its value refers to (their names
    are loaded with the targets), or, with `field`, the model field whose verbose name and
    choices read it. `kind`: text, count, fen (money in fen), yes (a yes/no), digest (a file's
    SHA-256), id (a number of an object not worth a query), action, moment, words."""

    word: object = ""
    kind: str = "text"
    model: str = ""
    field: str = ""


# Coded values some keys carry, in words.
WORDS = {
    "password_reset": gettext_lazy("找回密码"),
    "password_change": gettext_lazy("修改密码"),
    "mobile_change": gettext_lazy("更换手机号码"),
    "id_released": gettext_lazy("证件号码经申诉释放"),
    "applicant": gettext_lazy("申请人"),
    "system": gettext_lazy("系统"),
    "export": gettext_lazy("导出"),
}

KEYS = {
    "object": Key(gettext_lazy("对象")),
    "record_number": Key(gettext_lazy("申报编号")),
    "number": Key(gettext_lazy("批次号")),
    "batch": Key(gettext_lazy("发放批次"), "ref", "payments.paymentbatch"),
    "publicity": Key(gettext_lazy("公示"), "id"),
    "objection": Key(gettext_lazy("异议"), "id"),
    "evaluation": Key(gettext_lazy("评价"), "id"),
    "check": Key(gettext_lazy("比对结果"), "id"),
    "material": Key(gettext_lazy("材料"), "id"),
    "import": Key(gettext_lazy("回盘导入"), "id"),
    "return_import": Key(gettext_lazy("回盘导入"), "id"),
    "organisation": Key(gettext_lazy("单位"), "ref", "accounts.organisation"),
    "bank": Key(gettext_lazy("开户银行"), "ref", "reference.bank"),
    "school": Key(gettext_lazy("学校"), "ref", "reference.school"),
    "service": Key(gettext_lazy("服务事项"), "ref", "catalog.service"),
    "released_user": Key(gettext_lazy("释放的账户"), "ref", settings.AUTH_USER_MODEL),
    "role": Key(kind="ref", model=settings.AUTH_USER_MODEL, field="role"),
    "rating": Key(kind="ref", model="evaluation.evaluation", field="rating"),
    "registry": Key(kind="ref", model="verification.registrybatch", field="registry"),
    "kind": Key(kind="ref", model="payments.paymentjob", field="kind"),
    "year": Key(gettext_lazy("毕业年度")),
    "copied_from": Key(gettext_lazy("复制自毕业年度")),
    "rows": Key(gettext_lazy("条数"), "count"),
    "items": Key(gettext_lazy("笔数"), "count"),
    "lines": Key(gettext_lazy("行数"), "count"),
    "paid": Key(gettext_lazy("发放成功"), "count"),
    "failed": Key(gettext_lazy("发放失败"), "count"),
    "refused": Key(gettext_lazy("拒收"), "count"),
    "removed": Key(gettext_lazy("清理条数"), "count"),
    "created": Key(gettext_lazy("新增"), "count"),
    "updated": Key(gettext_lazy("更新"), "count"),
    "unchanged": Key(gettext_lazy("未变化"), "count"),
    "imported": Key(gettext_lazy("导入"), "count"),
    "rejected": Key(gettext_lazy("未通过校验"), "count"),
    "superseded": Key(gettext_lazy("被取代"), "count"),
    "skipped_without_account": Key(gettext_lazy("无可用账户未纳入"), "count"),
    "drafts": Key(gettext_lazy("清理草稿"), "count"),
    "files": Key(gettext_lazy("清理文件"), "count"),
    "cases": Key(gettext_lazy("清理材料的办件"), "count"),
    "draft_ids": Key(gettext_lazy("清理草稿"), "count"),
    "total_fen": Key(gettext_lazy("金额"), "fen"),
    "late": Key(gettext_lazy("超过时限"), "yes"),
    "closed": Key(gettext_lazy("批次已办结"), "yes"),
    "first": Key(gettext_lazy("首次导出"), "yes"),
    "full_id": Key(gettext_lazy("含完整身份证号码"), "yes"),
    "account_changed": Key(gettext_lazy("账户已更换"), "yes"),
    "files_of_concluded_case": Key(gettext_lazy("清理已办结办件的材料"), "yes"),
    "sha256": Key(gettext_lazy("文件校验值"), "digest"),
    "filename": Key(gettext_lazy("文件名")),
    "title": Key(gettext_lazy("标题")),
    "reason": Key(gettext_lazy("原因"), "words"),
    "by": Key(gettext_lazy("办理人"), "words"),
    "via": Key(gettext_lazy("途径"), "words"),
    "to": Key(gettext_lazy("变更为")),
    "before": Key(gettext_lazy("清理此前的记录"), "moment"),
    "action": Key(gettext_lazy("操作"), "action"),
    "person": Key(gettext_lazy("操作人")),
    "case": Key(gettext_lazy("申报编号")),
    "date_from": Key(gettext_lazy("开始日期")),
    "date_to": Key(gettext_lazy("结束日期")),
    "retention_days": Key(gettext_lazy("保存天数"), "count"),
    "draft_days": Key(gettext_lazy("草稿保存天数"), "count"),
    "material_days": Key(gettext_lazy("材料保存天数"), "count"),
    "rest_days": Key(gettext_lazy("放假天数"), "count"),
    "working_weekend_days": Key(gettext_lazy("调休上班天数"), "count"),
    "province": Key(gettext_lazy("省份")),
    "bytes": Key(gettext_lazy("文件大小（字节）"), "count"),
    "fields": Key(gettext_lazy("字段")),
    "rule": Key(gettext_lazy("比对规则")),
    "scope": Key(gettext_lazy("范围")),
    "filters": Key(gettext_lazy("筛选条件")),
    "params": Key(gettext_lazy("参数")),
    "tab": Key(gettext_lazy("列表")),
    "family": Key(gettext_lazy("登录凭证")),
}


@dataclass(frozen=True)
class EntryText:
    target: str  # 发放批次 FF…, or "" when the entry has no target
    detail: list[str]  # sentences: a state change first, then the detail's keys as stored

    @property
    def detail_text(self) -> str:
        return "；".join(self.detail)


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _key(model, raw) -> object | None:
    """`raw` as the primary key of `model`, or None when it cannot be one."""
    try:
        key = model._meta.pk.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        return None
    return None if key in (None, "") else key


def person_text(user) -> str:
    """A user as the trail shows them: a person (applicant) masked, staff by name and account."""
    if user.is_person:
        return user.masked_name
    return f"{user.name}（{user.username}）"


def _is_user_model(model) -> bool:
    return model is not None and model._meta.label_lower == settings.AUTH_USER_MODEL.lower()


class _Names:
    """The names of the objects a page of entries refers to, loaded one kind at a time."""

    def __init__(self):
        self.wanted: dict[str, set] = defaultdict(set)
        self.found: dict[tuple[str, str], models.Model | str] = {}

    def want(self, label: str, raw) -> None:
        # (1 == True in Python: a flag is told apart by its type, never by equality)
        if raw is not None and raw != "" and not isinstance(raw, bool):
            self.wanted[label.lower()].add(str(raw))

    def load(self, record_numbers: dict[int, str] | None = None) -> None:
        lookup = case_lookup()
        for label, raws in self.wanted.items():
            model = _model(label)
            if model is None:
                continue
            keys = {raw: _key(model, raw) for raw in raws}
            keys = {raw: key for raw, key in keys.items() if key is not None}
            if not keys:
                continue
            if lookup is not None and label == lookup.target_type:
                numbers = dict(record_numbers or {})
                missing = [key for key in keys.values() if isinstance(key, int) and key not in numbers]
                if missing:  # (a draft has no number: asked for, once, with the others missing)
                    numbers.update(lookup.numbers_for_ids(missing))
                self.found.update({(label, raw): numbers[key] for raw, key in keys.items() if key in numbers})
                continue
            rows = {obj.pk: obj for obj in model._default_manager.filter(pk__in=list(keys.values()))}
            self.found.update({(label, raw): rows[key] for raw, key in keys.items() if key in rows})

    def name(self, label: str, raw) -> str | None:
        found = self.found.get((label.lower(), str(raw)))
        if found is None:
            return None
        if isinstance(found, str):
            return found
        if _is_user_model(type(found)):
            return person_text(found)
        return mask_personal_numbers(str(found))

    def kind(self, label: str, raw) -> str:
        model = _model(label)
        if model is None:
            return _("对象")
        found = self.found.get((label.lower(), str(raw)))
        if _is_user_model(model) and found is not None and not found.is_person:
            return _("工作人员")
        return str(model._meta.verbose_name)


def _value(value) -> str:
    """Any detail value as words: yes/no, lists and mappings spelled out, numbers masked."""
    if value is None or value == "":
        return _("无")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple):
        return "、".join(_value(item) for item in value) or _("无")
    if isinstance(value, dict):
        return "，".join(f"{_word_of(k)}：{_value(v)}" for k, v in value.items()) or _("无")
    return mask_personal_numbers(str(value))


def _word_of(key: str) -> str:
    spec = KEYS.get(key)
    if spec is None:
        return mask_personal_numbers(str(key))
    if spec.field:
        field = _field(_model(spec.model), spec.field)
        if field is not None:
            return str(field.verbose_name)
    return str(spec.word) or key


def _yuan(fen) -> str:
    if not isinstance(fen, int) or isinstance(fen, bool):
        return _value(fen)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return _("%(amount)s元") % {"amount": f"{sign}{fen // 100:,}.{fen % 100:02d}"}


def _choice(field, value) -> str | None:
    for choice, label in getattr(field, "flatchoices", None) or []:
        if str(choice) == str(value):
            return str(label)
    return None


def _field_value(model, name: str, value, names: _Names) -> str:
    """A value written for a model's field: by its choice label, the name of the object a
    relation points at, or the value itself."""
    field = _field(model, name)
    if field is not None and value not in (None, ""):
        label = _choice(field, value)
        if label is not None:
            return label
        if field.is_relation and field.related_model is not None and not isinstance(value, list | dict):
            found = names.name(field.related_model._meta.label_lower, value)
            if found is not None:
                return found
    return _value(value)


def _field_word(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return _word_of(name)


def _state_label(model, value) -> str:
    for name in STATE_FIELDS:
        field = _field(model, name)
        if field is not None:
            label = _choice(field, value)
            if label is not None:
                return label
    return _value(value)


def _wants(entry, names: _Names) -> None:
    """Ask `names` for every object the entry names: its target, and what its detail points at."""
    if entry.target_type and entry.target_id:
        names.want(entry.target_type, entry.target_id)
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    model = _model(entry.target_type) if entry.target_type else None
    for key, value in detail.items():
        spec = KEYS.get(key)
        if spec is not None and spec.kind == "ref" and not spec.field and not isinstance(value, bool):
            names.want(spec.model, value)
    for block in ("values", "changes"):
        fields = detail.get(block)
        if not isinstance(fields, dict) or model is None:
            continue
        for name, value in fields.items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for raw in (value.get("before"), value.get("after")) if isinstance(value, dict) else (value,):
                if not isinstance(raw, list | dict | bool):
                    names.want(field.related_model._meta.label_lower, raw)


def _sentences(entry, names: _Names) -> list[str]:
    detail = entry.detail
    if not detail:
        return []
    if not isinstance(detail, dict):
        return [_value(detail)]
    model = _model(entry.target_type) if entry.target_type else None
    out = []
    rest = dict(detail)
    if "from" in rest and "to" in rest:
        out.append(
            _("由“%(from)s”变为“%(to)s”")
            % {"from": _state_label(model, rest.pop("from")), "to": _state_label(model, rest.pop("to"))}
        )
    for key, value in rest.items():
        if key == "changes" and isinstance(value, dict):
            for name, change in value.items():
                before, after = (change.get("before"), change.get("after")) if isinstance(change, dict) else (
                    None,
                    change,
                )
                out.append(
                    _("%(field)s由“%(before)s”变为“%(after)s”")
                    % {
                        "field": _field_word(model, name),
                        "before": _field_value(model, name, before, names),
                        "after": _field_value(model, name, after, names),
                    }
                )
            continue
        if key == "values" and isinstance(value, dict):
            out.extend(
                f"{_field_word(model, name)}：{_field_value(model, name, item, names)}"
                for name, item in value.items()
            )
            continue
        if key == "object":
            continue  # the object's name as it was: the target says it (and, once deleted, from this)
        if key == "batch" and value is True:
            out.append(_("批量办理"))
            continue
        out.append(f"{_word_of(key)}：{_keyed_value(key, value, names)}")
    return out


def _keyed_value(key: str, value, names: _Names) -> str:
    spec = KEYS.get(key)
    if spec is None:
        return _value(value)
    if spec.kind == "ref" and spec.field:
        return _field_value(_model(spec.model), spec.field, value, names)
    if spec.kind == "ref":
        return names.name(spec.model, value) or _value(value)
    if spec.kind == "id" and value not in (None, ""):
        return _("编号%(id)s") % {"id": _value(value)}
    if spec.kind == "count" and isinstance(value, list):
        return str(len(value))
    if spec.kind == "fen":
        return _yuan(value)
    if spec.kind == "digest" and isinstance(value, str) and len(value) > 12:
        return f"{value[:12]}…"
    if spec.kind == "words" and isinstance(value, str):
        return str(WORDS.get(value, "")) or _value(value)
    if spec.kind == "action" and isinstance(value, str):
        group = next((str(label) for key, label, _test in GROUPS if f"group:{key}" == value), None)
        return group or label_of(value)
    if spec.kind == "moment" and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _value(value)


def _target(entry, names: _Names) -> str:
    if not entry.target_type:
        return ""
    kind = names.kind(entry.target_type, entry.target_id)
    name = names.name(entry.target_type, entry.target_id)
    if name is None and isinstance(entry.detail, dict) and entry.detail.get("object"):
        name = mask_personal_numbers(str(entry.detail["object"]))  # deleted since: named as it was
    if name is None:
        return _("%(kind)s（编号%(id)s）") % {"kind": kind, "id": mask_personal_numbers(entry.target_id)}
    return f"{kind} {name}"


def entry_texts(entries, *, record_numbers: dict[int, str] | None = None) -> dict[int, EntryText]:
    """Entry pk -> its target and detail in words, for the entries given (a page, a chunk of an
    export): one query per kind of object they name, however many entries there are.
    `record_numbers` (case id -> record number), the numbers the caller has read already for
    these entries (selectors.record_numbers), are not read again."""
    entries = list(entries)
    names = _Names()
    for entry in entries:
        _wants(entry, names)
    names.load(record_numbers)
    return {entry.pk: EntryText(_target(entry, names), _sentences(entry, names)) for entry in entries}
