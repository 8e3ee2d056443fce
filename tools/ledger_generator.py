"""A deterministic ledger of a Norwegian AS over two years, as plain data.

``generate_entries(year, size, seed)`` returns balanced journal entries for ``year - 1`` and
``year``: share capital, a bank loan with monthly interest and instalments, equipment bought and
depreciated, sales and purchases with 25 % VAT and their payments, monthly payroll with
withholding tax, employer's tax (14.1 %) and pension (OTP 2 %), bimonthly VAT settlements, income
tax (22 %), and for the first year the allocation (dividend and transfer to other equity), paid
the year after. The second year is left unallocated, as a company sees it before closing.

``size`` is the number of journal items wanted (at least :data:`MIN_SIZE`); the fixed part is
about 410 items and sales and purchases fill the rest. Account codes are NS 4102 numbers that
Odoo's Norwegian chart has; ``balance`` is debit positive, in ``Decimal`` kroner with øre.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MIN_SIZE = 500
FIXED_ITEMS = 410
VAT_RATE = Decimal("0.25")
EMPLOYER_TAX_RATE = Decimal("0.141")
PENSION_RATE = Decimal("0.02")
WITHHOLDING_RATE = Decimal("0.30")
INCOME_TAX_RATE = Decimal("0.22")
SHARE_CAPITAL = Decimal("100000.00")
LOAN = Decimal("600000.00")
LOAN_INSTALMENT = Decimal("10000.00")
LOAN_RATE = Decimal("0.06")
EQUIPMENT = Decimal("240000.00")
EQUIPMENT_MONTHS = 60
DIVIDEND_SHARE = Decimal("0.5")
CENT = Decimal("0.01")

# Journal kinds the ORM side maps to Odoo journals.
SALE, PURCHASE, BANK, MISC = "sale", "purchase", "bank", "general"


@dataclass
class Entry:
    date: date
    journal: str
    ref: str
    lines: list = field(default_factory=list)  # [(account code, balance, label)]

    def add(self, code, balance, label=""):
        if balance:
            self.lines.append((code, Decimal(balance).quantize(CENT), label))
        return self


def _round(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _month_end(year, month):
    return date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)


# ----------------------------------------------------------------------------------------------
# Entry builders
# ----------------------------------------------------------------------------------------------


def _opening(year):
    first = date(year, 1, 1)
    return [
        Entry(first, BANK, "Share capital paid in")
        .add("1920", SHARE_CAPITAL)
        .add("2000", -SHARE_CAPITAL),
        Entry(date(year, 1, 2), BANK, "Bank loan").add("1920", LOAN).add("2220", -LOAN),
        Entry(date(year, 1, 3), PURCHASE, "Equipment")
        .add("1250", EQUIPMENT)
        .add("2710", _round(EQUIPMENT * VAT_RATE))
        .add("2400", -_round(EQUIPMENT * (1 + VAT_RATE))),
        Entry(date(year, 1, 20), BANK, "Equipment paid")
        .add("2400", _round(EQUIPMENT * (1 + VAT_RATE)))
        .add("1920", -_round(EQUIPMENT * (1 + VAT_RATE))),
    ]


def _trade(rng, year, count, kind, until, mean):
    """Sales (``kind`` SALE) or purchases of ``mean`` net on average, paid 14 or 30 days later."""
    entries = []
    for n in range(count):
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        net = _round(mean * rng.randrange(5000, 15000) / 10000)
        vat, gross = _round(net * VAT_RATE), _round(net * VAT_RATE) + net
        if kind == SALE:
            invoice = Entry(day, SALE, f"INV/{year}/{n + 1:07d}").add("1500", gross)
            invoice.add("3000", -net).add("2700", -vat)
            paid_on, partner, bank = day + timedelta(days=14), "1500", gross
        else:
            invoice = Entry(day, PURCHASE, f"BILL/{year}/{n + 1:07d}").add("4300", net)
            invoice.add("2710", vat).add("2400", -gross)
            paid_on, partner, bank = day + timedelta(days=30), "2400", -gross
        entries.append(invoice)
        if paid_on <= until:
            entries.append(
                Entry(paid_on, BANK, f"PAY {invoice.ref}").add("1920", bank).add(partner, -bank)
            )
    return entries


def _payroll(year, monthly_gross):
    entries = []
    for month in range(1, 13):
        end = _month_end(year, month)
        withholding = _round(monthly_gross * WITHHOLDING_RATE)
        employer_tax = _round(monthly_gross * EMPLOYER_TAX_RATE)
        pension = _round(monthly_gross * PENSION_RATE)
        entries.append(
            Entry(end, MISC, f"Payroll {year}-{month:02d}")
            .add("5000", monthly_gross)
            .add("2600", -withholding)
            .add("1920", -(monthly_gross - withholding))
            .add("5400", employer_tax)
            .add("2770", -employer_tax)
            .add("5950", pension)
            .add("1920", -pension)
        )
        if month < 12:  # withholding and employer's tax paid the next month
            entries.append(
                Entry(end + timedelta(days=15), BANK, f"A-melding {year}-{month:02d}")
                .add("2600", withholding)
                .add("2770", employer_tax)
                .add("1920", -(withholding + employer_tax))
            )
    return entries


def _loan_and_depreciation(year, loan_balance):
    entries = []
    depreciation = _round(EQUIPMENT / EQUIPMENT_MONTHS)
    for month in range(1, 13):
        end = _month_end(year, month)
        interest = _round(loan_balance * LOAN_RATE / 12)
        entries.append(
            Entry(end, BANK, f"Loan {year}-{month:02d}")
            .add("8150", interest)
            .add("2220", LOAN_INSTALMENT)
            .add("1920", -(interest + LOAN_INSTALMENT))
        )
        loan_balance -= LOAN_INSTALMENT
        entries.append(
            Entry(end, MISC, f"Depreciation {year}-{month:02d}")
            .add("6017", depreciation)
            .add("1250", -depreciation)
        )
    return entries, loan_balance


def _vat_settlements(entries, until):
    """Bimonthly: each term's output and input VAT are cleared and the net paid on the 10th of
    the month after the term (Nov-Dec is settled on 10 February); none after ``until``."""
    terms = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for entry in entries:
        for code, balance, _label in entry.lines:
            if code in ("2700", "2710"):
                term = (entry.date.year, (entry.date.month - 1) // 2)
                terms[term][code == "2710"] += balance
    settlements = []
    for (year, term), (out, inp) in sorted(terms.items()):
        day = _month_end(year, term * 2 + 2) + timedelta(days=10)
        if day <= until:
            settlements.append(
                Entry(day, BANK, f"VAT {year} term {term + 1}")
                .add("2700", -out)
                .add("2710", -inp)
                .add("1920", out + inp)
            )
    return settlements


def result_before_tax(entries, year):
    """Sum of P&L accounts (classes 3-8) dated in ``year``, as a profit (credit positive)."""
    return -sum(
        (b for e in entries if e.date.year == year for c, b, _l in e.lines if c[0] in "345678"),
        start=Decimal(0),
    )


# ----------------------------------------------------------------------------------------------
# The ledger
# ----------------------------------------------------------------------------------------------


def generate_entries(year, size=2000, seed=1):
    """Entries for ``year - 1`` and ``year`` (see the module docstring), in date order."""
    size = max(int(size), MIN_SIZE)
    rng = random.Random(seed)
    # FIXED_ITEMS are the same at every size; each sale or purchase is 3 items plus 2 for its
    # payment. Turnover grows with the number of sales but stays profitable when small.
    trades = max((size - FIXED_ITEMS) // 5, 4)
    n_sales, n_purchases = max(trades * 6 // 10 // 2, 1), max(trades * 4 // 10 // 2, 1)
    turnover = max(Decimal(3000000), Decimal(5000) * n_sales)
    entries, loan_balance = [], LOAN
    until = date(year, 12, 31)
    previous_result = None
    for y in (year - 1, year):
        year_entries = _opening(y) if y == year - 1 else []
        sales = _trade(rng, y, n_sales, SALE, until, turnover / n_sales)
        purchases = _trade(
            rng, y, n_purchases, PURCHASE, until, turnover * Decimal("0.45") / n_purchases
        )
        turnover = -sum((b for e in sales for c, b, _l in e.lines if c == "3000"), Decimal(0))
        monthly_gross = _round(turnover * Decimal("0.25") / 12)
        year_entries += sales + purchases + _payroll(y, monthly_gross)
        loan_entries, loan_balance = _loan_and_depreciation(y, loan_balance)
        year_entries += loan_entries
        if previous_result is not None:
            year_entries += _pay_previous_year(y, previous_result)
        profit = result_before_tax(year_entries, y)
        tax = _round(max(profit, Decimal(0)) * INCOME_TAX_RATE)
        year_end = date(y, 12, 31)
        year_entries.append(
            Entry(year_end, MISC, f"Income tax {y}").add("8300", tax).add("2500", -tax)
        )
        if y == year - 1:
            year_entries += _allocation(y, profit - tax)
        previous_result = (tax, profit - tax)
        entries += year_entries
    entries += _vat_settlements(entries, until)
    entries.sort(key=lambda e: (e.date, e.ref))
    return entries


def _allocation(year, result):
    dividend = _round(max(result, Decimal(0)) * DIVIDEND_SHARE)
    return [
        Entry(date(year, 12, 31), MISC, f"Allocation {year}")
        .add("8920", dividend)
        .add("2800", -dividend)
        .add("8960", result - dividend)
        .add("2050", -(result - dividend))
    ]


def _pay_previous_year(year, previous):
    tax, result = previous
    dividend = _round(max(result, Decimal(0)) * DIVIDEND_SHARE)
    return [
        Entry(date(year, 4, 30), BANK, f"Tax {year - 1} paid").add("2500", tax).add("1920", -tax),
        Entry(date(year, 6, 30), BANK, f"Dividend {year - 1} paid")
        .add("2800", dividend)
        .add("1920", -dividend),
    ]


def balances(entries, date_from=None, date_to=None):
    """Sum of balances per account code over entries dated within the bounds."""
    totals = defaultdict(Decimal)
    for entry in entries:
        if (date_from and entry.date < date_from) or (date_to and entry.date > date_to):
            continue
        for code, balance, _label in entry.lines:
            totals[code] += balance
    return dict(totals)


def item_count(entries):
    return sum(len(e.lines) for e in entries)
