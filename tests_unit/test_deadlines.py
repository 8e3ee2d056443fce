"""The filing deadline of regnskapsloven § 8-2 (1) with aksjeloven § 5-5 (1): one month after
the approval, at the latest seven months after the end of the financial year, for any year end.
Each expectation is the year end counted forward by hand."""

from datetime import date

import pytest

from tools import deadlines


@pytest.mark.parametrize(
    ("end", "deadline"),
    [
        (date(2025, 12, 31), date(2026, 7, 31)),  # calendar year: 31 July
        (date(2025, 6, 30), date(2026, 1, 31)),  # a month's last day stays the last day
        (date(2025, 9, 30), date(2026, 4, 30)),
        (date(2025, 3, 31), date(2025, 10, 31)),
        (date(2025, 2, 28), date(2025, 9, 30)),
        (date(2024, 2, 29), date(2024, 9, 30)),  # leap year
        (date(2025, 7, 31), date(2026, 2, 28)),
        (date(2025, 7, 15), date(2026, 2, 15)),  # mid-month: the same day
        (date(2025, 1, 1), date(2025, 8, 1)),  # a first year ending 1 January (not 31 January)
    ],
)
def test_seven_months_after_the_year_end(end, deadline):
    assert deadlines.filing_deadline(end) == deadline


def test_one_month_after_an_earlier_approval():
    end = date(2025, 12, 31)
    assert deadlines.filing_deadline(end, date(2026, 5, 20)) == date(2026, 6, 20)
    assert deadlines.filing_deadline(end, date(2026, 1, 31)) == date(2026, 2, 28)
    # approved late (after the six months of § 5-5): the year-end limit still holds
    assert deadlines.filing_deadline(end, date(2026, 7, 15)) == date(2026, 7, 31)


def test_days_left():
    assert deadlines.days_left(date(2025, 12, 31), date(2026, 7, 1)) == 30
    assert deadlines.days_left(date(2025, 12, 31), date(2026, 8, 1)) == -1
    assert deadlines.days_left(date(2025, 12, 31), date(2026, 6, 1), date(2026, 5, 20)) == 19
