"""Reading python-stdnum's `cn/loc.dat`: every GB/T 2260 code with the years each of its names
was in use. `birthplace` checks ID numbers against the whole history; `current_regions` builds
the table the region pickers offer (see the `build_regions` command)."""

import os
import re
from dataclasses import dataclass

import stdnum

JIANGSU = "32"

_PROVINCE_LINE = re.compile(r'^(\d{2}) province="(.*)"$')
_COUNTY_LINE = re.compile(r'^\s+(\d{4}) county="(.*)"$')
_DATED_NAME = re.compile(r"^\[(\d*)-(\d*)\](.*)$")

# Names that hold a place in the code tree without being a place: 110100 市辖区, 500200 县,
# 500300 市 (the municipalities' "prefectures"), xxyy01 市辖区, and the old 市区.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "市", "市区"})
# xx9000: the province's county-level units that no prefecture governs (湖北 仙桃市, 河南 济源市,
# 海南 琼海市, 新疆 石河子市...). Their children sit beside the prefectures in the picker.
DIRECT_CONTAINER_SUFFIX = "直辖县级行政单位"
# loc.dat lists these without years, which reads as "still in use", but they are not:
NOT_CURRENT = {
    "422900": "林区: the old parent of 神农架林区, which has been 429021 since 1994",
    "429001": "随州市 became the prefecture-level 421300 in 2000",
}


@dataclass(frozen=True)
class Name:
    name: str
    start: int | None = None  # first year in use, None = from the beginning
    end: int | None = None  # last year in use, None = still in use

    def covers(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Entry:
    code: str
    names: tuple[Name, ...]

    @property
    def current_name(self) -> str | None:
        """The name in use today, or None when the code has been retired."""
        last = self.names[-1]
        return last.name if last.end is None else None


def default_path() -> str:
    return os.path.join(os.path.dirname(stdnum.__file__), "cn", "loc.dat")


def _parse_names(text: str) -> tuple[Name, ...]:
    names = []
    for part in text.split(","):
        match = _DATED_NAME.match(part)
        if match is None:
            names.append(Name(part))
        else:
            start, end, name = match.groups()
            names.append(Name(name, int(start) if start else None, int(end) if end else None))
    return tuple(names)


def parse(path: str | None = None) -> list[Entry]:
    """Every 6-digit code in the file, in file order."""
    entries = []
    province = None
    with open(path or default_path(), encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if match := _PROVINCE_LINE.match(line):
                province = match.group(1)
            elif (match := _COUNTY_LINE.match(line)) and province:
                entries.append(Entry(province + match.group(1), _parse_names(match.group(2))))
            else:
                raise ValueError(f"unexpected line in loc.dat: {line!r}")
    return entries


def current_regions(entries: list[Entry] | None = None) -> list[dict]:
    """The current regions the hall offers: all provinces, all prefectures (and the county-level
    units directly under a province), and every county of Jiangsu. Sorted by code, so a parent
    always comes before its children. A municipality (北京市...) has no prefecture level, so
    outside Jiangsu it is chosen as a whole, like 台湾省 and the two SARs."""
    current = {
        entry.code: entry.current_name
        for entry in (entries if entries is not None else parse())
        if entry.current_name and entry.code not in NOT_CURRENT
    }
    rows: dict[str, dict] = {}

    def add(code, level, parent):
        name = current[code]
        full_name = (rows[parent]["full_name"] if parent else "") + name
        rows[code] = {"code": code, "name": name, "level": level, "parent": parent or "",
                      "full_name": full_name}

    for code in sorted(current):
        name = current[code]
        province, prefecture = code[:2] + "0000", code[:4] + "00"
        if code == province:
            add(code, "province", None)
        elif province not in rows or name in PLACEHOLDER_NAMES or name.endswith(
            DIRECT_CONTAINER_SUFFIX
        ):
            continue
        elif code == prefecture:
            add(code, "prefecture", province)
        elif current.get(prefecture, "").endswith(DIRECT_CONTAINER_SUFFIX):
            add(code, "county", province)
        elif code.startswith(JIANGSU) and prefecture in rows:
            add(code, "county", prefecture)
    return list(rows.values())
