"""Money as people read it on the hall's pages: integer fen written as "1,500.00 元", never
through a float. (Spreadsheets write money as numbers: core.spreadsheets.Amount.)"""


def money(fen) -> str:
    """150000 -> "1,500.00 元"; 123456789 -> "1,234,567.89 元"."""
    fen = int(fen or 0)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d} 元"
