"""Finding a service by what a person types: Chinese names and synonyms, partial words,
full pinyin (qiuzhi) and pinyin initials (qzcy). Pure functions over the catalog rows; the
catalog is small (tens of services), so matching runs in Python over a cached list and works
the same on every database."""

import re
import unicodedata
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

# Drop whitespace and punctuation, keep letters, digits and CJK.
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
MAX_QUERY = 40


def normalise(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "")).lower()[:MAX_QUERY]


def pinyin_full(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()


def pinyin_initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()


def synonym_list(synonyms: str) -> list[str]:
    return [s.strip() for s in re.split(r"[\n,，、;；]+", synonyms or "") if s.strip()]


def search_text_for(name: str, synonyms: str) -> str:
    """One line per key: each phrase, its full pinyin and its initials."""
    keys = []
    for phrase in [name, *synonym_list(synonyms)]:
        plain = normalise(phrase)
        keys += [plain, pinyin_full(plain), pinyin_initials(plain)]
    return "\n".join(dict.fromkeys(k for k in keys if k))


@dataclass(frozen=True)
class Match:
    score: int  # lower is better
    span: tuple[int, int] | None  # the part of the name to highlight


def match(query: str, name: str, search_text: str) -> Match | None:
    """How well a normalised query matches one service, or None."""
    if not query:
        return None
    plain_name = normalise(name)
    if query == plain_name:
        return Match(0, (0, len(name)))
    at = name.lower().find(query)
    if at >= 0:
        return Match(1 if at == 0 else 2, (at, at + len(query)))
    keys = search_text.split("\n")
    if any(query in key for key in keys[1:] if not key.isascii()):
        return Match(3, None)  # a synonym
    if query.isascii() and any(key.startswith(query) for key in keys if key.isascii()):
        return Match(4, None)
    if query.isascii() and len(query) >= 2 and any(query in key for key in keys if key.isascii()):
        return Match(5, None)
    return None


def overlap(query: str, name: str) -> int:
    """Characters the query shares with a name: ranks suggestions when nothing matched."""
    return len(set(query) & set(normalise(name)))
