"""The demo's holding company: two years of a small Norwegian holding AS that owns the operating
company and receives a group contribution from it.

The earlier year is closed (tax, received group contribution, transfer to other equity); the
later one is left before allocation, so that the demo user allocates it.
"""

from datetime import date
from decimal import Decimal

from .ledger_generator import BANK, INCOME_TAX_RATE, MISC, PURCHASE, Entry, _round

SHARE_CAPITAL = Decimal("100000.00")
OPENING_EQUITY = Decimal("300000.00")
SUBSIDIARY_COST = Decimal("100000.00")
QUARTERLY_FEE = Decimal("7500.00")
# The group contribution received for each year (the later one is what the demo allocates).
GROUP_CONTRIBUTION = {0: Decimal("150000.00"), 1: Decimal("200000.00")}
INTEREST = {0: Decimal("6000.00"), 1: Decimal("8000.00")}


def holding_entries(year):
    """Entries for ``year - 1`` and ``year``, in date order."""
    first, last = year - 1, year
    entries = [
        Entry(date(first, 1, 1), BANK, "Opening balance")
        .add("1920", SHARE_CAPITAL + OPENING_EQUITY)
        .add("2000", -SHARE_CAPITAL)
        .add("2050", -OPENING_EQUITY),
        Entry(date(first, 1, 15), BANK, "Shares in the operating company")
        .add("1300", SUBSIDIARY_COST)
        .add("1920", -SUBSIDIARY_COST),
    ]
    for index, y in enumerate((first, last)):
        entries += _running_year(y, index)
        received = GROUP_CONTRIBUTION[index]
        taxable = received + INTEREST[index] - 4 * QUARTERLY_FEE
        tax = _round(taxable * INCOME_TAX_RATE)
        # Received group contribution is taxed with the receiver in the same year.
        entries.append(
            Entry(date(y, 12, 31), MISC, f"Income tax {y}").add("8300", tax).add("2500", -tax)
        )
        if index == 0:
            result = INTEREST[index] - 4 * QUARTERLY_FEE - tax
            entries += _closing(y, received, result)
            entries += _settle(last, received, tax)
    entries.sort(key=lambda entry: (entry.date, entry.ref))
    return entries


def _running_year(year, index):
    fees = [
        Entry(date(year, month, 28), PURCHASE, f"Accounting and audit fee {year}-{month:02d}")
        .add("6700", QUARTERLY_FEE)
        .add("1920", -QUARTERLY_FEE)
        for month in (3, 6, 9, 12)
    ]
    interest = (
        Entry(date(year, 12, 31), BANK, f"Interest {year}")
        .add("1920", INTEREST[index])
        .add("8040", -INTEREST[index])
    )
    return [*fees, interest]


def _closing(year, received, result):
    """The allocation of the closed year: the received group contribution booked against a
    receivable on the giver, and what remains transferred to other equity."""
    transfer = result + received
    return [
        Entry(date(year, 12, 31), MISC, f"Allocation {year}")
        .add("1560", received)
        .add("8930", -received)
        .add("8960", transfer)
        .add("2050", -transfer)
    ]


def _settle(year, received, tax):
    return [
        Entry(date(year, 2, 15), BANK, f"Group contribution {year - 1} received")
        .add("1920", received)
        .add("1560", -received),
        Entry(date(year, 4, 30), BANK, f"Tax {year - 1} paid").add("2500", tax).add("1920", -tax),
    ]
