"""Formula injection (CSV injection) in spreadsheet exports: a cell that starts with one of these
characters is read as a formula by Excel or LibreOffice. OWASP's advice: a leading apostrophe
makes the spreadsheet show the text instead of running it. Every export of the office uses this."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST_CHARACTERS = frozenset(FORMULA_STARTS)


def escape_formula(value) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def escape_row(row: list, indexes) -> list:
    """escape_formula on the given text columns of a row, in place; numbers, dates and empty
    cells stay what they are. One call a row: the streaming exports use it."""
    for index in indexes:
        value = row[index]
        if value and value[0] in FORMULA_FIRST_CHARACTERS:
            row[index] = "'" + value
    return row
