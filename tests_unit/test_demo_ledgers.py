from datetime import date
from decimal import Decimal

from tools import demo_ledgers
from tools.ledger_generator import balances

YEAR = 2025


def test_every_entry_balances_and_the_bank_never_goes_negative():
    entries = demo_ledgers.holding_entries(YEAR)
    bank = Decimal(0)
    for entry in entries:
        assert sum(balance for _code, balance, _label in entry.lines) == 0, entry.ref
        bank += sum(b for code, b, _label in entry.lines if code == "1920")
        assert bank >= 0, entry.ref


def test_the_closed_year_sums_to_zero_on_the_p_and_l_accounts():
    closed = balances(demo_ledgers.holding_entries(YEAR), date(2024, 1, 1), date(2024, 12, 31))
    assert sum(b for code, b in closed.items() if code[0] in "345678") == 0
    # By hand: interest 6 000 − fees 30 000 + received 150 000 = 126 000 taxable; tax 27 720.
    assert closed["8300"] == Decimal("27720.00")
    assert closed["8930"] == Decimal("-150000.00")
    assert closed["8960"] == Decimal("6000") - Decimal("30000") - Decimal("27720") + Decimal(
        "150000"
    )


def test_the_open_year_is_left_before_allocation():
    open_year = balances(demo_ledgers.holding_entries(YEAR), date(2025, 1, 1), date(2025, 12, 31))
    assert "8930" not in open_year and "8960" not in open_year
    # By hand: result = 8 000 − 30 000 − 22 % of (200 000 + 8 000 − 30 000) = −61 160.
    result = -sum(b for code, b in open_year.items() if code[0] in "345678")
    assert result == Decimal("-61160.00")
    # Last year's contribution was paid in and the receivable is closed.
    everything = balances(demo_ledgers.holding_entries(YEAR))
    assert everything.get("1560", Decimal(0)) == 0
