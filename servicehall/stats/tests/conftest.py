import pytest

from tests.stats_data import make_cases

from .factories import stats_schools, stats_world


@pytest.fixture
def world(organisations, operator, school_reviewer):
    return stats_world(operator, school_reviewer)


@pytest.fixture
def schools(db):
    return stats_schools()


@pytest.fixture
def cases(world, year, schools, person):
    """300 applications over the three schools, paid through 南京's batches."""

    def make(count=300, *, seed=9, prefix="gen", target_year=None):
        return make_cases(
            count,
            year=target_year or year,
            schools=list(schools.values()),
            applicant=person,
            bureau=world["nanjing"],
            makers=(world["maker"], world["checker"]),
            seed=seed,
            prefix=prefix,
            batch_size=60,
        )

    make.made = make()
    return make
