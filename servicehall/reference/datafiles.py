"""The committed CSV files in `data/`, read as plain rows. Both migration 0002 and
`manage.py load_reference` use these readers, so the database never reads outside the app."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
REGION_FIELDS = ["code", "name", "level", "parent", "full_name"]
SCHOOLS_CSV = DATA_DIR / "jiangsu-higher-education-institutions.csv"

SCHOOL_LEVELS = {"本科": "undergraduate", "专科": "junior_college", "中职": "secondary_vocational",
                 "技工": "technical"}
SCHOOL_OWNERSHIPS = {"": "public", "公办": "public", "民办": "private",
                     "中外合作办学": "sino_foreign"}


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()}
                for row in csv.DictReader(handle)]


def regions() -> list[dict]:
    """code, name, level, parent ("" for provinces), full_name; parents before children."""
    return _read(REGIONS_CSV)


def ethnic_groups() -> list[dict]:
    return _read(DATA_DIR / "ethnic_groups.csv")


def education_levels() -> list[dict]:
    return [
        {**row, "order": int(row["order"]), "is_selectable": row["is_selectable"] == "true"}
        for row in _read(DATA_DIR / "education_levels.csv")
    ]


def banks() -> list[dict]:
    return [{**row, "order": int(row["order"])} for row in _read(DATA_DIR / "banks.csv")]


def schools() -> list[dict]:
    """Rows shaped like School's fields (region as region_id)."""
    return [
        {
            "code": row["school_code"],
            "name": row["name"],
            "city": row["city"],
            "region_id": row["region_code"],
            "authority": row["authority"],
            "level": SCHOOL_LEVELS[row["level"]],
            "ownership": SCHOOL_OWNERSHIPS[row["ownership"]],
        }
        for row in _read(SCHOOLS_CSV)
    ]
