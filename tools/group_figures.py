"""Statement figures as pairs (this year, last year) keyed by this year's field code.

The consolidation and the import work on the leaves of BRG's plan only; the sums are always
BRG's formulas over them (``statement_from``), so a consolidated statement obeys the same
SUM_<code> checks as a company's. Amounts are ``Decimal``; a pair is ``(amount, prior)``.
"""

import copy
from decimal import ROUND_HALF_UP, Decimal

from . import brg_formulas, statement_plan

ZERO = Decimal(0)
CENT = Decimal("0.01")
NOTHING = (ZERO, ZERO)


class Plan:
    """BRG's lines as a snapshot lists them: the leaves, each sum's formula, and last year's
    field code of every line (``prior_of``)."""

    def __init__(self, lines):
        self.lines = lines
        self.prior_of = {line["code"]: line["prior_code"] for line in lines if line.get("code")}
        self.leaves = tuple(line["code"] for line in lines if line["kind"] == "line")
        self.sums = tuple(line["code"] for line in lines if line["kind"] == "sum")
        self.labels = {line["code"]: line["label"] for line in lines if line.get("code")}

    @classmethod
    def from_snapshot(cls, snapshot):
        return cls(snapshot["lines"])

    def with_sums(self, figures):
        """``figures`` (leaves) with every sum of the plan, both years."""
        flat = {}
        for code, (amount, prior) in figures.items():
            flat[code] = amount
            flat[self.prior_of[code]] = prior
        formulas = {
            code: statement_plan.parse_formula(brg_formulas.FORMULAS[code])
            for code in (*self.sums, *(self.prior_of[c] for c in self.sums))
        }
        values = statement_plan.evaluate(formulas, flat)
        return {
            code: (values.get(code, ZERO), values.get(self.prior_of[code], ZERO))
            for code in (*self.leaves, *self.sums)
        }


def pair(amount=ZERO, prior=ZERO):
    return (Decimal(amount), Decimal(prior))


def add(*pairs):
    return (sum((p[0] for p in pairs), ZERO), sum((p[1] for p in pairs), ZERO))


def neg(value):
    return (-value[0], -value[1])


def negated(figures):
    return {code: neg(value) for code, value in figures.items()}


def share(fraction, value):
    """``fraction`` of each amount, to the øre (half up)."""
    return tuple((fraction * amount).quantize(CENT, rounding=ROUND_HALF_UP) for amount in value)


def add_into(target, code, value):
    """``target[code] += value``, leaving out what nets to zero."""
    total = add(target.get(code, NOTHING), value)
    if any(total):
        target[code] = total
    else:
        target.pop(code, None)


def total(*figure_sets):
    """The sum of several ``{code: pair}``."""
    result = {}
    for figures in figure_sets:
        for code, value in figures.items():
            add_into(result, code, value)
    return result


def figures_of(snapshot):
    """``{code: pair}`` of the snapshot's leaves with a figure in either year."""
    figures = {}
    for line in snapshot["lines"]:
        if line["kind"] == "line":
            value = pair(line.get("amount") or 0, line.get("prior_amount") or 0)
            if any(value):
                figures[line["code"]] = value
    return figures


def money(amount):
    return str(Decimal(amount).quantize(CENT))


def statement_from(template, figures, findings=()):
    """A statement snapshot shaped like ``template`` (a company's) carrying ``figures``:
    the leaves as given, the sums by BRG's formulas, no accounts (a group has no ledger)."""
    plan = Plan.from_snapshot(template)
    values = plan.with_sums(figures)
    snapshot = copy.deepcopy({k: v for k, v in template.items() if k != "lines"})
    snapshot["lines"] = []
    for line in template["lines"]:
        line = dict(line, accounts=[])
        if line["kind"] != "header":
            amount, prior = values[line["code"]]
            line.update(amount=money(amount), prior_amount=money(prior))
        snapshot["lines"].append(line)
    snapshot["findings"] = list(findings)
    return snapshot
