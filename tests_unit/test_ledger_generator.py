"""The pure ledger generator: balanced, deterministic, sized, and shaped like a real AS."""

from datetime import date
from decimal import Decimal

import pytest

from tools import ledger_generator as gen


@pytest.fixture(scope="module")
def entries():
    return gen.generate_entries(2025, size=3000, seed=7)


def test_every_entry_balances_to_the_ore(entries):
    for entry in entries:
        assert sum(b for _c, b, _l in entry.lines) == Decimal("0.00"), entry.ref
        assert all(b == b.quantize(Decimal("0.01")) for _c, b, _l in entry.lines)


def test_deterministic_per_seed(entries):
    again = gen.generate_entries(2025, size=3000, seed=7)
    assert [(e.date, e.ref, e.lines) for e in again] == [(e.date, e.ref, e.lines) for e in entries]
    other = gen.generate_entries(2025, size=3000, seed=8)
    assert [e.lines for e in other] != [e.lines for e in entries]


@pytest.mark.parametrize("size", [500, 5000, 50000])
def test_size_is_about_the_number_of_items(size):
    count = gen.item_count(gen.generate_entries(2025, size=size))
    assert abs(count - size) <= size * 0.06


def test_two_years_and_nothing_else(entries):
    assert {e.date.year for e in entries} == {2024, 2025}


def test_first_year_is_allocated_second_is_not(entries):
    pnl = [c for c in gen.balances(entries) if c[0] in "345678"]
    first = gen.balances(entries, date(2024, 1, 1), date(2024, 12, 31))
    second = gen.balances(entries, date(2025, 1, 1), date(2025, 12, 31))
    assert sum(first.get(c, 0) for c in pnl) == 0
    assert sum(second.get(c, 0) for c in pnl) < 0  # a profit, still in the P&L accounts
    assert first["8920"] > 0 and "8920" not in second


def test_realistic_ingredients(entries):
    codes = set(gen.balances(entries))
    # sales with VAT, purchases, payroll with employer's tax and pension, equipment and its
    # depreciation, loan and interest, tax, dividend
    assert {"3000", "2700", "4300", "2710", "5000", "5400", "5950", "2600", "2770"} <= codes
    assert {"1250", "6017", "2220", "8150", "8300", "2500", "8920", "2800", "2000"} <= codes
    year2 = gen.balances(entries, date(2025, 1, 1), date(2025, 12, 31))
    assert year2["5400"] == sum(
        gen._round(gen.Decimal(b) * gen.EMPLOYER_TAX_RATE)
        for e in entries
        if e.date.year == 2025
        for c, b, _l in e.lines
        if c == "5000"
    )
    assert year2["2800"] == -gen.balances(entries, None, date(2024, 12, 31))["2800"]
