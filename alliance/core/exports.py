"""CSV cells that a spreadsheet program opens as text, never as a formula."""

from decimal import Decimal

# OWASP's CSV-injection guidance: a cell that starts with one of these may be
# run as a formula (tab and carriage return hide one after leading whitespace).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Return the value as a CSV cell, quoted so that it cannot start a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        # A number (also a negative one) is data to a spreadsheet, not a formula.
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
