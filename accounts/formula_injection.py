"""Formula injection (CSV injection) in spreadsheet exports: a cell that starts with one of these
characters is read as a formula by Excel or LibreOffice. OWASP's advice: a leading apostrophe
makes the spreadsheet show the text instead of running it. Every export of the office uses this."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def escape_cell(value):
    """Like escape_formula, but numbers, dates and empty cells stay what they are (streams)."""
    if type(value) is str and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
