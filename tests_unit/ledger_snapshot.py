"""Statement snapshots built from ledger entries in plain Python, the way the statements engine
builds them from posted journal items (docs/architecture.md, "The statement snapshot"): the
module's own line and mapping-rule data, leaves of RES holding the period's movement and leaves
of BAL the balance at its end, the unallocated result carried in other equity (3274).

Tests write a ledger as ``[(date, [(NS 4102 code, balance)])]`` (debit positive) and read the
expectation off the entries by hand."""

import csv
from datetime import date
from decimal import Decimal

from conftest import MODULE_ROOT

from tools import statement_plan as plan

LINES = MODULE_ROOT / "data/annual.statement.line.csv"
RULES = MODULE_ROOT / "data/annual.account.mapping.rule.csv"
UNALLOCATED = "3274"


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _money(value):
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def snapshot(ledger, year, start=None, end=None):
    """The snapshot of financial year ``year`` (1 January-31 December unless ``start`` and
    ``end`` are given) and the year before, from ``ledger``."""
    start, end = start or date(year, 1, 1), end or date(year, 12, 31)
    prior = plan.prior_period(start, end)
    lines = _rows(LINES)
    by_id = {row["id"]: row for row in lines}
    rules = sorted(
        (
            {"code_from": r["code_from"], "code_to": r["code_to"], "line": r["line_id:id"]}
            for r in _rows(RULES)
        ),
        key=plan.rule_specificity,
    )
    movements = {}  # code -> [this year, last year, cumulative now, cumulative last year]
    for day, items in ledger:
        for code, balance in items:
            values = movements.setdefault(code, [Decimal(0)] * 4)
            balance = Decimal(str(balance))
            values[0] += balance if start <= day <= end else 0
            values[1] += balance if prior[0] <= day <= prior[1] else 0
            values[2] += balance if day <= end else 0
            values[3] += balance if day <= prior[1] else 0
    leaves, unallocated = {}, [Decimal(0), Decimal(0)]
    for code, (move, prior_move, cumulative, prior_cumulative) in sorted(movements.items()):
        rule = plan.resolve_line(code, rules)
        assert rule, f"no mapping rule for {code}"
        row = by_id[rule["line"]]
        sign = int(row["sign"])
        if row["section"] == "RES":
            amounts = (move * sign, prior_move * sign)
            unallocated[0] += cumulative
            unallocated[1] += prior_cumulative
        else:
            amounts = (cumulative * sign, prior_cumulative * sign)
        if any(amounts):
            leaves.setdefault(row["id"], []).append((code, *amounts))
    if any(unallocated):
        line_id = next(r["id"] for r in lines if r["code"] == UNALLOCATED)
        leaves.setdefault(line_id, []).append(("", -unallocated[0], -unallocated[1]))
    current, previous = {}, {}
    for row in lines:
        if row["kind"] == "line":
            current[row["code"]] = sum((a[1] for a in leaves.get(row["id"], ())), Decimal(0))
            previous[row["prior_code"]] = sum((a[2] for a in leaves.get(row["id"], ())), Decimal(0))
    sums = [r for r in lines if r["kind"] == "sum"]
    current = plan.evaluate({r["code"]: plan.parse_formula(r["formula"]) for r in sums}, current)
    previous = plan.evaluate(
        {r["prior_code"]: plan.parse_formula(r["prior_formula"]) for r in sums}, previous
    )
    return {
        "version": 1,
        "currency": "NOK",
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        "prior_date_from": prior[0].isoformat(),
        "prior_date_to": prior[1].isoformat(),
        "lines": [
            {
                "key": row["key"],
                "section": row["section"],
                "row": int(row["row"]),
                "code": row["code"] or None,
                "prior_code": row["prior_code"] or None,
                "label": row["name"],
                "kind": row["kind"],
                "formula": row["formula"] or None,
                "amount": None if row["kind"] == "header" else _money(current[row["code"]]),
                "prior_amount": None
                if row["kind"] == "header"
                else _money(previous[row["prior_code"]]),
                "accounts": [
                    {
                        "account_id": index,
                        "code": code,
                        "name": code or "Udisponert resultat",
                        "amount": _money(amount),
                        "prior_amount": _money(prior_amount),
                    }
                    for index, (code, amount, prior_amount) in enumerate(
                        leaves.get(row["id"], ()), start=1
                    )
                ],
            }
            for row in lines
        ],
        "findings": [],
    }
