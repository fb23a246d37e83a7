import pytest

from servicehall.reference.birthplace import birthplace_existed, code_names


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        ("110105", 1949, True),  # 北京市朝阳区: no years in loc.dat, so every year counts
        ("320103", 1990, True),  # 白下区 [1983-2013]
        ("320103", 1983, True),  # first year inclusive
        ("320103", 2013, True),  # last year inclusive
        ("320103", 2014, False),
        ("320103", 2015, False),
        ("320103", 1982, False),
        ("320102", 2024, True),  # 玄武区 [1983-]
        ("320211", 1990, True),  # 郊区 [1983-1999] then 滨湖区 [2000-]
        ("320211", 2010, True),
        ("320212", 2005, False),  # 马山区 [1987-2000]
        ("321300", 1995, False),  # 宿迁市 (prefecture) from 1996
        ("321300", 1996, True),
        ("322100", 1980, True),  # 徐州地区 [-1983]
        ("322100", 1984, False),
        ("500000", 1990, False),  # 重庆市 is a municipality from 1997
        ("500000", 1997, True),
        ("999999", 2000, False),
        ("000000", 2000, False),
    ],
)
def test_birthplace_existed(code, year, expected):
    assert birthplace_existed(code, year) is expected


@pytest.mark.parametrize(
    "code", ["", "32010", "3201021", "32010x", "３２０１０２", "' OR 1=1 --", "\x00" * 6, None, 320102]
)
def test_malformed_codes_never_existed(code):
    assert birthplace_existed(code, 2000) is False
    assert code_names(code) == ()


def test_names_keep_their_history():
    names = code_names("320211")
    assert [(name.name, name.start, name.end) for name in names] == [
        ("郊区", 1983, 1999),
        ("滨湖区", 2000, None),
    ]


def test_agrees_with_stdnum_on_id_numbers():
    from stdnum.cn import ric

    # A valid 1990 Nanjing 白下区 number, and the same code for someone born in 2015.
    for number, expected in [("320103199003070012", True), ("320103201503070012", False)]:
        body = number[:17]
        number = body + ric.calc_check_digit(body + "0")
        assert ric.is_valid(number) is expected
        assert birthplace_existed(number[:6], int(number[6:10])) is expected
