"""An imported consolidated set: checked against BRG's plan and its sums before it is kept."""

import io
from decimal import Decimal

import openpyxl
import pytest
from ledger_snapshot import snapshot

from tools import group_figures
from tools.group_import import ImportRefused, parse

D = Decimal
# A small group: sales 610 000, costs 230 000, result 380 000 (minority 10 000); cash
# 1 040 000 against share capital 500 000, other equity 454 000, minority 32 000, dividend
# payable 54 000. Last year only the balance sheet's opening figures.
CSV = """felt;aarets;fjoraarets
1340;610 000,00;230000
82;230000;90000
7717;10000;6000
6112;50000;
7065;320000;134000
786;1040000;660000
20488;500000;500000
3274;454000;134000
29045;32000;26000
235;54000;0
219;1040000;660000
"""


@pytest.fixture(scope="module")
def plan():
    return group_figures.Plan.from_snapshot(snapshot([], 2025))


def errors(content, plan, filename="konsern.csv"):
    with pytest.raises(ImportRefused) as caught:
        parse(content, filename, plan)
    return [(row, code) for row, code, _params in caught.value.errors]


def test_a_semicolon_file_with_norwegian_decimals(plan):
    figures = parse(CSV.encode("cp1252"), "konsern.csv", plan)
    assert figures["1340"] == (D("610000.00"), D("230000.00"))
    assert figures["6112"] == (D("50000.00"), D("0.00"))
    assert "219" not in figures  # a sum: checked, then computed
    sums = plan.with_sums(figures)
    assert sums["33415"] == (D(370000), D(134000))
    assert sums["251"] == (D(1040000), D(660000))


def test_an_xlsx_sheet_with_numbers(plan):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in CSV.splitlines()[1:]:
        code, *amounts = row.split(";")
        sheet.append(
            [int(code), *(float(a.replace(" ", "").replace(",", ".") or 0) for a in amounts)]
        )
    content = io.BytesIO()
    book.save(content)
    figures = parse(content.getvalue(), "konsern.xlsx", plan)
    assert figures == parse(CSV.encode(), "konsern.csv", plan)


def test_a_sum_that_does_not_follow_its_formula_is_refused(plan):
    content = CSV.replace("219;1040000;660000", "219;1040001;660000").encode()
    with pytest.raises(ImportRefused) as caught:
        parse(content, "konsern.csv", plan)
    assert caught.value.errors == [
        (
            12,
            "sum_mismatch",
            {"code": "219", "column": 0, "given": "1040001.00", "computed": "1040000.00"},
        )
    ]


def test_an_unbalanced_set_is_refused(plan):
    content = CSV.replace("786;1040000;660000", "786;1000000;660000").replace(
        "219;1040000;660000\n", ""
    )
    assert errors(content.encode(), plan) == [(0, "unbalanced")]


def test_every_bad_row_is_named(plan):
    content = (
        b"1340;100\n"  # fine
        b"7965;100\n"  # last year's code of 1340
        b"9999;1\n"  # no such line
        b"1340;5\n"  # twice
        b"82;12,345\n"  # three decimals
        b"101;1e20\n"
        b"81;1000000000000\n"  # beyond the largest amount
        b"7709\n"  # no amount
    )
    assert errors(content, plan) == [
        (2, "code_prior"),
        (3, "code_unknown"),
        (4, "duplicate"),
        (5, "amount_invalid"),
        (6, "amount_invalid"),
        (7, "amount_too_large"),
        (8, "columns"),
    ]


def test_empty_and_broken_files(plan):
    assert errors(b"", plan) == [(0, "empty_file")]
    assert errors(b"felt;aarets\n", plan) == [(0, "no_figures")]
    assert errors(b"PK\x03\x04 not a workbook", plan, "konsern.xlsx") == [(0, "unreadable")]
    assert errors(("1340;1\n" * 1001).encode(), plan) == [(0, "too_many_rows")]
