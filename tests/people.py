"""The people most tests need, made through the same services the hall uses."""

from stdnum.cn import ric

PASSWORD = "Good#Pass2026"


def resident_id(prefix17: str) -> str:
    """A valid resident ID number from its first 17 digits (stdnum skips the last digit)."""
    return prefix17 + ric.calc_check_digit(prefix17 + "0")


def make_staff(organisation, username, role, mobile, *, password=PASSWORD):
    """A staff member of `organisation` (name = account), through accounts' own service."""
    from servicehall.accounts import services

    return services.staff_create(
        actor=None,
        username=username,
        name=username,
        role=role,
        organisation=organisation,
        mobile=mobile,
        password=password,
    )
