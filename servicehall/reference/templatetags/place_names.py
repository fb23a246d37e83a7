from django import template
from django.utils.translation import get_language
from pypinyin import lazy_pinyin

register = template.Library()
_SUFFIXES = ("自治州", "地区", "省", "市", "区", "县")


@register.filter
def place_name(name: str) -> str:
    """A region's name as the page's language writes it: 南京市 in Chinese, Nanjing in English
    (pinyin without the administrative suffix, as English-language maps write it)."""
    if not name or not (get_language() or "").startswith("en"):
        return name
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return "".join(lazy_pinyin(name)).capitalize()
