"""Filing deadlines of the annual accounts (DOMAIN.md §1 and §3), plain Python.

The accounts are filed with Brønnøysundregistrene by 31 July of the year after the financial
year ends, or by 31 January when the financial year ends between 1 January and 30 June.
"""

from datetime import date


def filing_deadline(period_end):
    """The last day to file the accounts of a financial year ending on ``period_end``."""
    if period_end.month <= 6:
        return date(period_end.year + 1, 1, 31)
    return date(period_end.year + 1, 7, 31)


def days_left(period_end, today):
    """Days from ``today`` to the deadline; negative when it has passed."""
    return (filing_deadline(period_end) - today).days
