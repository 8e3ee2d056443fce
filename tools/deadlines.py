"""Filing deadlines of the annual accounts, plain Python.

The law, not a calendar rule of thumb:

- regnskapsloven § 8-2 (1): the accounts are sent to Regnskapsregisteret at the latest one month
  after they are approved (fastsatt);
- aksjeloven § 5-5 (1): the ordinary general meeting that approves them is held within six
  months of the end of the financial year; regnskapsloven § 8-3 charges the late fee from one
  month after that time limit.

So the latest day is seven months after the year end, whatever month the year ends in (31
December -> 31 July, 30 June -> 31 January, 30 September -> 30 April), and one month after the
approval when the accounts are approved earlier. A year that ends on the last day of a month
keeps the last day (28 February -> 30 September); otherwise the same day of the month, or the
month's last day when it has none (31 January + 1 month -> 28/29 February).
"""

import calendar
from datetime import date

MONTHS_AFTER_YEAR_END = 7  # aksjeloven § 5-5 (1) six months + regnskapsloven § 8-2 (1) one
MONTHS_AFTER_APPROVAL = 1  # regnskapsloven § 8-2 (1)


def add_months(day, months):
    """``day`` plus ``months`` calendar months; a month's last day stays the last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def filing_deadline(period_end, approval_date=None):
    """The last day to file the accounts of a financial year ending on ``period_end``;
    earlier when they were approved (``approval_date``) less than six months after it."""
    deadline = add_months(period_end, MONTHS_AFTER_YEAR_END)
    if approval_date:
        deadline = min(deadline, add_months(approval_date, MONTHS_AFTER_APPROVAL))
    return deadline


def days_left(period_end, today, approval_date=None):
    """Days from ``today`` to the deadline; negative when it has passed."""
    return (filing_deadline(period_end, approval_date) - today).days
