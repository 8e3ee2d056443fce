"""Group accounts (konsernregnskap) from the companies' statements, at the level of BRG's lines.

The group is shown as one economic entity (regnskapsloven § 3-8, NRS 17): the companies'
figures are added line by line and what is internal to the group is eliminated, each
elimination a balanced entry of its own that the worksheet shows. Stepwise: a subsidiary that
holds subsidiaries is consolidated with them first, and its holder consolidates that sub-group.

What is eliminated
- **Investments against equity** (per holder): the holder's "Investering i datterselskap"
  (9686) against the equity of its subsidiaries (every equity line of theirs but the
  minority lines); the minority's share of that equity goes to "Minoritetsinteresser"
  (29045). The difference (the simple method) is shown as goodwill (206) when the investment
  is the larger, else in other equity (3274): the subsidiaries' earnings since the investment.
- **Minority interests** (per subsidiary owned below 100 %): their share of its result
  (7717, so 33415 is the parent's share) and of its dividends; the group's allocations then
  cover the parent's share (the transfer to other equity, 7065, gives up the rest).
- **Internal items between two companies**, matched by counterparty (``Position``: the amount a
  company's journal items on a line name another company of the group for): receivables and
  loans against payables (``balances``), interest income against interest costs
  (``interest``), sales against purchases (``sales``), and group contributions and dividends
  received against given (``group_income``). A dividend is owed pro rata to the shareholders,
  so a subsidiary's dividends (6112, 38808, 38811) and dividend payable (235) count for its
  holder at the holder's share without any counterparty. A pair is eliminated when both sides
  agree to the øre, each year on its own; otherwise it stays and is reported.

What is not eliminated (and why)
- Amounts whose journal items name no group company: on the group lines (``GROUP_LINES``)
  they are reported, elsewhere they are not seen.
- Internal profit in inventory or fixed assets at the year end: the statements do not carry
  what the buyer still holds of what it bought inside the group.
- Excess values at acquisition, goodwill amortisation, acquisitions and disposals during the
  year, changes of ownership: the plan's figures do not hold equity at the acquisition date,
  so the simple method above stands in; a manual adjustment corrects it.

Findings are ``{"severity", "code", "params"}``; the ORM words them.
"""

from collections import defaultdict
from dataclasses import dataclass

from .group_figures import NOTHING, ZERO, add, add_into, neg, share, total

INVESTMENT = "9686"
GOODWILL = "206"
OTHER_EQUITY = "3274"
UNCOVERED_LOSS = "249"
# The equity a subsidiary's owners hold (its minority lines 7734/29045 stay minority).
EQUITY_CODES = ("20488", "7131", "2585", "39221", "17110", "27579", "23857", "3274")
MINORITY_EQUITY = "29045"
MINORITY_RESULT = "7717"
RESULT = "172"
DIVIDENDS = ("6112", "38808", "38811")
TRANSFER_TO_OTHER_EQUITY = "7065"


@dataclass(frozen=True)
class Kind:
    """Internal items of one kind: the creditor's (or earner's) lines against the debtor's
    (or payer's), and the debtor's lines owed pro rata to its holder."""

    name: str
    creditor: tuple
    debtor: tuple
    pro_rata: tuple = ()


KINDS = (
    Kind(
        "balances",
        ("6500", "7128", "116", "282", "203"),
        ("2256", "2255", "220", "236", "242"),
        ("235",),
    ),
    Kind("interest", ("149", "150", "152"), ("7037", "2216", "156")),
    Kind("sales", ("1340", "7709"), ("101", "82")),
    Kind("group_income", ("27934", "6113"), ("36636",), DIVIDENDS),
)
# The lines by definition with group companies: an amount there naming none is reported.
GROUP_LINES = ("6500", "7128", "2255", "2256", "149", "7037", "27934")
# The lines whose amounts by counterparty the ledger is asked for.
POSITION_CODES = tuple(
    sorted({code for kind in KINDS for code in (*kind.creditor, *kind.debtor)} | set(GROUP_LINES))
)


@dataclass(frozen=True)
class Position:
    """What a company's journal items on line ``code`` hold for ``counterparty`` (a member's
    company; None: the items name no partner), as ``(this year, last year)``."""

    code: str
    counterparty: int | None
    value: tuple


def consolidate(plan, members, figures, positions):
    """The worksheet of the group.

    ``members``: ``group_structure.Member`` list, parent first; ``figures``: ``{company:
    {code: pair}}`` (leaves, ``group_figures.figures_of``); ``positions``: ``{company:
    [Position]}``. Returns ``{"sum", "eliminations", "consolidated", "findings"}``: the leaves
    added up, the eliminations (``{"kind", "companies", "params", "lines": {code: pair}}``),
    sum plus eliminations, and what the user should look at.
    """
    return _Consolidation(plan, members, figures, positions).run()


class _Consolidation:
    def __init__(self, plan, members, figures, positions):
        self.plan = plan
        self.members = {m.company: m for m in members}
        self.parent = members[0].company
        self.figures = figures
        self.positions = positions
        self.children = defaultdict(list)
        for member in members[1:]:
            self.children[member.holder].append(member)
        self.eliminations, self.findings = [], []

    def run(self):
        consolidated = self._subgroup(self.parent)
        self._report_unmarked()
        return {
            "sum": total(*(self.figures[company] for company in self.members)),
            "eliminations": self.eliminations,
            "consolidated": consolidated,
            "findings": self.findings,
        }

    # ------------------------------------------------------------------------------------------
    # Stepwise: a holder and its sub-groups
    # ------------------------------------------------------------------------------------------

    def _subtree(self, company):
        found = {company}
        for child in self.children[company]:
            found |= self._subtree(child.company)
        return found

    def _subgroup(self, company):
        """The consolidated leaves of ``company`` with everything it controls."""
        member = self.members[company]
        subgroups = {
            child.company: self._subgroup(child.company) for child in self.children[company]
        }
        own = self.figures[company]
        entries = []
        if subgroups:
            entries.append(self._investment(member, own, subgroups))
            entries += [
                self._minority(child, subgroups[child.company])
                for child in self.children[company]
                if child.shares < 1
            ]
        elif any(own.get(INVESTMENT, NOTHING)):
            self._find(
                "warning", "UNCONSOLIDATED_INVESTMENT", company=member.name, amount=own[INVESTMENT]
            )
        entries += self._internal_items(company)
        entries = [entry for entry in entries if entry["lines"]]
        self.eliminations += entries
        return total(own, *subgroups.values(), *(entry["lines"] for entry in entries))

    # ------------------------------------------------------------------------------------------
    # Investments against equity, minority interests
    # ------------------------------------------------------------------------------------------

    def _equity(self, figures):
        """The equity the subsidiary's owners hold, as a pair."""
        held = add(*(figures.get(code, NOTHING) for code in EQUITY_CODES))
        return add(held, neg(figures.get(UNCOVERED_LOSS, NOTHING)))

    def _investment(self, holder, own, subgroups):
        lines, held_share = {}, NOTHING
        investment = own.get(INVESTMENT, NOTHING)
        add_into(lines, INVESTMENT, neg(investment))
        for child in self.children[holder.company]:
            figures = subgroups[child.company]
            for code in (*EQUITY_CODES, UNCOVERED_LOSS):
                add_into(lines, code, neg(figures.get(code, NOTHING)))
            equity = self._equity(figures)
            minority = share(1 - child.shares, equity)
            add_into(lines, MINORITY_EQUITY, minority)
            held_share = add(held_share, equity, neg(minority))
        difference = add(investment, neg(held_share))
        goodwill = tuple(max(amount, ZERO) for amount in difference)
        add_into(lines, GOODWILL, goodwill)
        add_into(lines, OTHER_EQUITY, tuple(max(-amount, ZERO) for amount in difference))
        if any(goodwill):
            self._find("warning", "GOODWILL", company=holder.name, amount=goodwill)
        return self._entry(
            "investment",
            [holder.company, *(c.company for c in self.children[holder.company])],
            lines,
            investment=investment,
            equity_share=held_share,
            difference=difference,
        )

    def _minority(self, child, figures):
        """The minority's share of the sub-group's result and dividends."""
        minority = 1 - child.shares
        sums = self.plan.with_sums(figures)
        result = add(sums[RESULT], neg(sums.get(MINORITY_RESULT, NOTHING)))
        result_share = share(minority, result)
        lines = {}
        add_into(lines, MINORITY_RESULT, result_share)
        dividends = NOTHING
        for code in DIVIDENDS:
            part = share(minority, figures.get(code, NOTHING))
            add_into(lines, code, neg(part))
            dividends = add(dividends, part)
        add_into(lines, TRANSFER_TO_OTHER_EQUITY, neg(add(result_share, neg(dividends))))
        return self._entry(
            "minority",
            [child.company],
            lines,
            percent=100 - child.shares_pct,
            result=result,
            share=result_share,
        )

    # ------------------------------------------------------------------------------------------
    # Internal items, matched by counterparty
    # ------------------------------------------------------------------------------------------

    def _internal_items(self, company):
        """The pairs whose lowest common holder is ``company``."""
        inside = self._subtree(company)
        below = [self._subtree(child.company) for child in self.children[company]]
        entries = []
        for a in sorted(inside):
            for b in sorted(inside - {a}):
                if any(a in tree and b in tree for tree in below):
                    continue  # eliminated inside that sub-group
                entries += [self._pair(kind, a, b) for kind in KINDS]
        return entries

    def _sides(self, kind, a, b):
        credit = [
            p for p in self.positions.get(a, ()) if p.counterparty == b and p.code in kind.creditor
        ]
        debit = [
            p for p in self.positions.get(b, ()) if p.counterparty == a and p.code in kind.debtor
        ]
        debtor = self.members[b]
        if debtor.holder == a:
            for code in kind.pro_rata:
                value = share(debtor.shares, self.figures[b].get(code, NOTHING))
                if any(value):
                    debit.append(Position(code, a, value))
        return credit, debit

    def _pair(self, kind, a, b):
        credit, debit = self._sides(kind, a, b)
        lines, credit_total, debit_total = {}, [ZERO, ZERO], [ZERO, ZERO]
        for column in (0, 1):
            owed = sum((p.value[column] for p in credit), ZERO)
            owing = sum((p.value[column] for p in debit), ZERO)
            credit_total[column], debit_total[column] = owed, owing
            if owed != owing:
                self._find(
                    "warning",
                    "PAIR_MISMATCH",
                    kind=kind.name,
                    creditor=self.members[a].name,
                    debtor=self.members[b].name,
                    column=column,
                    creditor_amount=owed,
                    debtor_amount=owing,
                )
                continue
            for position in (*credit, *debit):
                value = [ZERO, ZERO]
                value[column] = -position.value[column]
                add_into(lines, position.code, tuple(value))
        return self._entry(kind.name, [a, b], lines, amount=tuple(credit_total))

    def _report_unmarked(self):
        for company, member in self.members.items():
            unmarked = defaultdict(lambda: NOTHING)
            for position in self.positions.get(company, ()):
                if position.counterparty is None and position.code in GROUP_LINES:
                    unmarked[position.code] = add(unmarked[position.code], position.value)
            for code, value in sorted(unmarked.items()):
                if any(value):
                    self._find(
                        "warning",
                        "UNMARKED_GROUP_LINE",
                        company=member.name,
                        code=code,
                        label=self.plan.labels.get(code, code),
                        amount=value,
                    )

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    def _entry(self, kind, companies, lines, **params):
        names = [self.members[company].name for company in companies]
        return {"kind": kind, "companies": names, "params": params, "lines": lines}

    def _find(self, severity, finding, **params):
        self.findings.append({"severity": severity, "code": finding, "params": params})
