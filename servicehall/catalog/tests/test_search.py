"""Search: exact, partial, synonym, pinyin (full and initials), a group's name, nothing found."""

import pytest

from servicehall.catalog import search
from servicehall.catalog.selectors import service_search

SUBSIDY = "job-seeking-subsidy"

pytestmark = pytest.mark.django_db


def _matched(result):
    return {code for listing in result.groups for code in listing.matched}


def _first_group(result):
    return result.groups[0].group.name


@pytest.mark.parametrize("query", ["求职创业补贴个人申报", "求职创业补贴", "求职创业"])
def test_chinese_name_whole_or_partial_opens_the_subsidy_group_with_the_subsidy_marked(query):
    result = service_search(query)
    assert _first_group(result) == "就业补贴"
    first = result.groups[0]
    assert first.is_open
    assert SUBSIDY in first.matched
    # The whole group is listed, so the person sees the neighbouring services too.
    assert [s.name for s in first.services][:2] == ["求职创业补贴个人申报", "灵活就业人员社保补贴申领"]
    assert "灵活就业人员社保补贴申领" not in {s.name for s in first.services if s.code in first.matched}


def test_exact_name_ranks_before_partial_matches():
    assert service_search("求职创业补贴个人申报").groups[0].matched[SUBSIDY].score == 0
    assert service_search("求职创业").groups[0].matched[SUBSIDY].score == 1


def test_the_matching_part_of_the_name_is_what_gets_highlighted():
    match = service_search("创业补贴").groups[0].matched[SUBSIDY]
    assert "求职创业补贴个人申报"[slice(*match.span)] == "创业补贴"


@pytest.mark.parametrize("query", ["一次性求职补贴", "一次性求职"])
def test_a_synonym_finds_the_subsidy(query):
    assert SUBSIDY in _matched(service_search(query))


@pytest.mark.parametrize("query", ["qzcy", "QZCY", "qiuzhi", "qiuzhichuangye", "qiu zhi chuang ye", "ycxqz"])
def test_pinyin_initials_and_full_pinyin_find_the_subsidy(query):
    result = service_search(query)
    assert SUBSIDY in _matched(result)
    assert _first_group(result) == "就业补贴"


def test_a_group_name_opens_the_whole_group():
    result = service_search("就业补贴")
    assert _first_group(result) == "就业补贴"
    assert set(result.groups[0].matched) == {s.code for s in result.groups[0].services}


def test_nothing_found_offers_suggestions_instead_of_an_empty_page():
    result = service_search("火星移民签证")
    assert result.count == 0
    assert result.groups == []
    assert result.suggestions, "a search with no result must still offer somewhere to go"


def test_a_near_miss_suggests_the_nearest_names():
    result = service_search("求职补助金")  # no service is named so; 求职…补 are shared
    if result.count == 0:
        assert any("求职" in s.name for s in result.suggestions)
    else:
        assert SUBSIDY in _matched(result)


def test_search_can_be_limited_to_organisation_services():
    result = service_search("补贴", serves="organisation")
    assert SUBSIDY not in _matched(result)
    assert all(s.serves == "organisation" for g in result.groups for s in g.services)


def test_normalise_drops_spaces_and_punctuation_and_folds_width_and_case():
    assert search.normalise(" Ｑｚ cy！") == "qzcy"
    assert search.normalise("求职，创业") == "求职创业"
    assert len(search.normalise("x" * 500)) == search.MAX_QUERY


def test_search_keys_hold_pinyin_of_the_name_and_of_each_synonym():
    keys = search.search_text_for("工伤认定", "工伤申报").split("\n")
    assert {"工伤认定", "gongshangrending", "gsrd", "工伤申报", "gssb"} <= set(keys)
