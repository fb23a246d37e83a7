"""Did a GB/T 2260 code exist in a given year? The first six digits of a resident ID number
(GB 11643) are the code of the place where the number was first issued, valid in the year of
issue; python-stdnum's `cn/loc.dat` keeps every code with the years its names were in use."""

import functools
import re

from . import locdat

_CODE = re.compile(r"[0-9]{6}")


@functools.lru_cache(maxsize=1)
def _history() -> dict[str, tuple[locdat.Name, ...]]:
    return {entry.code: entry.names for entry in locdat.parse()}


def code_names(code: str) -> tuple[locdat.Name, ...]:
    """Every name the code has had, oldest first; empty for a code that never existed."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        return ()
    return _history().get(code, ())


@functools.lru_cache(maxsize=65536)
def birthplace_existed(code: str, year: int) -> bool:
    """True when `code` was an administrative code in `year`. A name without years counts for
    every year, as python-stdnum's `cn.ric` reads it. Kept per (code, year): an import asks
    the same few thousand pairs a million times."""
    return any(name.covers(year) for name in code_names(code))
