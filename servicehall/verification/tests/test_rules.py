"""Each rule on its own (rules.py): the claim and what the registries hold are given directly, so
every branch of every rule and its sentence is seen. No database."""

import json
from datetime import date

from django.utils import translation

from servicehall.verification import rules
from servicehall.verification.models import Outcome, Registry, Rule

DAY = date(2026, 9, 5)
LOW = rules.BatchInfo(
    pk=1, registry=Registry.SUBSISTENCE_ALLOWANCE, source="民政", imported_on=date(2026, 9, 1)
)
LOAN = rules.BatchInfo(
    pk=2, registry=Registry.ORIGIN_LOAN, source="教育（资助中心）", imported_on=date(2026, 8, 1)
)
JOBS = rules.BatchInfo(pk=3, registry=Registry.EMPLOYMENT, source="社保", imported_on=date(2026, 9, 2))
HOME = rules.BatchInfo(
    pk=4, registry=Registry.PRIOR_GRANT, source="人社", imported_on=date(2026, 7, 1), province="江苏省"
)
ZHEJIANG = rules.BatchInfo(
    pk=5, registry=Registry.PRIOR_GRANT, source="人社", imported_on=date(2026, 8, 20), province="浙江省"
)


def claim(category="subsistence_allowance", name="name-a"):
    return rules.Claim(id_number_index="id-a", name_index=name, category_code=category, on_date=DAY)


def evidence(*entries, batches=(LOW, LOAN, JOBS, HOME, ZHEJIANG)):
    found = {}
    for entry in entries:
        found.setdefault(entry.batch.registry, []).append(entry)
    by_registry = {}
    for batch in batches:
        by_registry.setdefault(batch.registry, []).append(batch)
    return rules.Evidence(batches=by_registry, entries=found)


# --- 毕业生类型 --------------------------------------------------------------------------------


def test_category_passes_when_listed_under_the_same_name_and_valid_on_the_date():
    found = rules.category_in_registry(
        claim(), evidence(rules.Entry(LOW, "name-a", date(2026, 1, 1), date(2027, 6, 30)))
    )
    assert found.rule == Rule.CATEGORY and found.outcome == Outcome.PASSED
    assert found.sentence == "民政城乡低保名单（2026-09-01 导入）中查到本人，有效期至 2027-06-30"
    assert found.batch == LOW


def test_category_with_another_name_under_the_id_number_fails():
    found = rules.category_in_registry(claim(), evidence(rules.Entry(LOW, "name-b")))
    assert found.outcome == Outcome.FAILED
    assert found.sentence == "民政城乡低保名单（2026-09-01 导入）中查到该证件号码，但姓名与申请人不一致"


def test_category_expired_before_the_application_date_fails():
    found = rules.category_in_registry(
        claim(), evidence(rules.Entry(LOW, "name-a", date(2025, 1, 1), date(2026, 6, 30)))
    )
    assert found.outcome == Outcome.FAILED
    assert "有效期已于 2026-06-30 结束，申请日 2026-09-05 不在有效期内" in found.sentence


def test_category_not_yet_valid_on_the_application_date_fails():
    found = rules.category_in_registry(claim(), evidence(rules.Entry(LOW, "name-a", date(2026, 10, 1))))
    assert found.outcome == Outcome.FAILED
    assert "有效期自 2026-10-01 开始" in found.sentence


def test_one_valid_row_is_enough_among_expired_ones():
    found = rules.category_in_registry(
        claim(),
        evidence(rules.Entry(LOW, "name-a", None, date(2025, 6, 30)), rules.Entry(LOW, "name-a", None, None)),
    )
    assert found.outcome == Outcome.PASSED
    assert found.sentence == "民政城乡低保名单（2026-09-01 导入）中查到本人"


def test_category_not_in_the_registry_is_not_found():
    found = rules.category_in_registry(claim(), evidence())
    assert found.outcome == Outcome.NOT_FOUND
    assert found.sentence == "民政城乡低保名单（2026-09-01 导入）中未查到本人"


def test_category_whose_registry_was_never_imported_is_not_found():
    found = rules.category_in_registry(claim("disabled"), evidence())
    assert found.outcome == Outcome.NOT_FOUND
    assert "暂无可比对的名单" in found.sentence


def test_a_student_loan_is_proved_by_the_origin_loan_registry_too():
    found = rules.category_in_registry(claim("student_loan"), evidence(rules.Entry(LOAN, "name-a")))
    assert found.outcome == Outcome.PASSED
    assert found.sentence.startswith("教育（资助中心）生源地信用助学贷款名单（2026-08-01 导入）中查到本人")


def test_a_category_is_not_proved_by_another_categorys_registry():
    found = rules.category_in_registry(claim("extreme_poverty"), evidence(rules.Entry(LOW, "name-a")))
    assert found.outcome == Outcome.NOT_FOUND


def test_every_current_category_has_a_registry():
    from servicehall.subsidy.years import DEFAULT_CATEGORIES

    assert {code for code, _name, _materials in DEFAULT_CATEGORIES} == set(rules.CATEGORY_REGISTRIES)


# --- 未就业 ------------------------------------------------------------------------------------


def test_insured_as_an_employee_on_the_application_date_fails():
    found = rules.not_employed_on_date(claim(), evidence(rules.Entry(JOBS, "name-a", date(2026, 7, 1))))
    assert found.rule == Rule.NOT_EMPLOYED and found.outcome == Outcome.FAILED
    assert found.sentence == (
        "社保职工参保名单（2026-09-02 导入）显示本人自 2026-07-01 起以职工身份参保，"
        "申请日 2026-09-05 处于参保期间"
    )


def test_employment_that_ended_before_or_starts_after_the_date_passes():
    found = rules.not_employed_on_date(
        claim(),
        evidence(
            rules.Entry(JOBS, "name-a", date(2025, 7, 1), date(2026, 8, 31)),
            rules.Entry(JOBS, "name-a", date(2026, 9, 6)),
        ),
    )
    assert found.outcome == Outcome.PASSED
    assert "未查到本人在申请日 2026-09-05 的职工参保记录" in found.sentence


def test_employment_under_another_name_still_fails_and_says_so():
    found = rules.not_employed_on_date(claim(), evidence(rules.Entry(JOBS, "name-b", date(2026, 1, 1))))
    assert found.outcome == Outcome.FAILED
    assert found.sentence.endswith("（名单中的姓名与申请人不一致，请核实）")


def test_no_employment_registry_is_not_found():
    found = rules.not_employed_on_date(claim(), evidence(batches=(LOW,)))
    assert found.outcome == Outcome.NOT_FOUND and found.batch is None


# --- 未领取过 ----------------------------------------------------------------------------------


def test_a_grant_paid_by_another_province_fails():
    found = rules.not_granted_before(claim(), evidence(rules.Entry(ZHEJIANG, "name-a", grant_year=2025)))
    assert found.rule == Rule.NOT_GRANTED and found.outcome == Outcome.FAILED
    assert found.sentence == "浙江省求职创业补贴发放名单（2026-08-20 导入）中查到本人2025年已领取求职创业补贴"
    assert found.batch == ZHEJIANG


def test_a_grant_of_this_provinces_earlier_year_fails():
    found = rules.not_granted_before(claim(), evidence(rules.Entry(HOME, "name-a", grant_year=2024)))
    assert found.outcome == Outcome.FAILED
    assert found.sentence.startswith("江苏省求职创业补贴发放名单")


def test_on_no_grant_list_passes_and_names_every_list_read():
    found = rules.not_granted_before(claim(), evidence())
    assert found.outcome == Outcome.PASSED
    assert (
        "江苏省求职创业补贴发放名单（2026-07-01 导入）、浙江省求职创业补贴发放名单（2026-08-20 导入）"
        in found.sentence
    )


def test_no_grant_list_is_not_found():
    found = rules.not_granted_before(claim(), evidence(batches=(LOW,)))
    assert found.outcome == Outcome.NOT_FOUND


def test_only_employment_and_prior_grant_block_approval():
    assert rules.BLOCKING_RULES == {Rule.NOT_EMPLOYED, Rule.NOT_GRANTED}
    assert [rule.__name__ for rule in rules.RULES] == [
        "category_in_registry",
        "not_employed_on_date",
        "not_granted_before",
    ]


# --- Sentences are read in the reader's language ----------------------------------------------


def test_a_sentence_is_stored_untranslated_and_read_in_the_readers_language():
    found = rules.not_granted_before(claim(), evidence(rules.Entry(ZHEJIANG, "name-b", grant_year=2025)))
    said = rules.Sentence.from_json(json.loads(json.dumps(found.said.as_json())))
    assert str(said) == found.sentence
    assert "浙江省求职创业补贴发放名单（2026-08-20 导入）中查到本人2025年已领取" in str(said)
    with translation.override("en"):
        english = str(said)
    assert "(浙江省) (imported 2026-08-20) shows the applicant was paid" in english
    assert english.count("2025") == 1
    assert english.endswith("(the name on the list does not match the applicant's: check this)")
    assert "中查到" not in english


def test_a_result_stored_before_sentences_were_kept_untranslated_still_reads():
    from servicehall.subsidy.check_models import CheckResult

    stored = {"batch": 1, "batch_label": "甲（2026-09-01 导入）", "sentence": "乙"}
    old = CheckResult(detail_json=json.dumps(stored, ensure_ascii=False))
    assert (old.sentence, old.batch_label, old.evidence_batch_id) == ("乙", "甲（2026-09-01 导入）", 1)
