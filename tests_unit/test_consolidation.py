"""The consolidation at the level of BRG's lines, against figures computed by hand.

The group: Mor AS (the parent), Datter En AS (100 %, founded with 100 000), Datter To AS
(80 %, capital 100 000 of which the parent paid 80 000). In 2025 the parent lends Datter En
50 000 at 2 000 interest; Datter En gives it a group contribution of 40 000; Datter To pays a
dividend of 20 000 (16 000 to the parent) and sells for 10 000 to Datter En, 4 000 still owed.
"""

from datetime import date
from decimal import Decimal

import pytest
from ledger_snapshot import snapshot

from tools import consolidation, group_figures
from tools.consolidation import Position
from tools.group_structure import Member

D = Decimal
MOR, EN, TO = 1, 2, 3
Y24, Y25 = date(2024, 12, 31), date(2025, 12, 31)

LEDGERS = {
    MOR: [
        (date(2024, 1, 2), [("1920", 500000), ("2000", -500000)]),
        (date(2024, 1, 3), [("1300", 180000), ("1920", -180000)]),
        (Y24, [("1920", 100000), ("3000", -100000), ("6300", 40000), ("1920", -40000)]),
        (Y24, [("8960", 60000), ("2050", -60000)]),
        (date(2025, 3, 1), [("1320", 50000), ("1920", -50000)]),
        (Y25, [("1920", 2000), ("8030", -2000)]),
        (Y25, [("1920", 300000), ("3000", -300000), ("6300", 100000), ("1920", -100000)]),
        (Y25, [("1560", 40000), ("8000", -40000)]),  # group contribution from Datter En
        (Y25, [("1560", 16000), ("8000", -16000)]),  # dividend from Datter To
        (Y25, [("8920", 50000), ("2800", -50000), ("8960", 208000), ("2050", -208000)]),
    ],
    EN: [
        (date(2024, 1, 3), [("1920", 100000), ("2000", -100000)]),
        (Y24, [("1920", 80000), ("3000", -80000), ("6300", 30000), ("1920", -30000)]),
        (Y24, [("8960", 50000), ("2050", -50000)]),
        (date(2025, 3, 1), [("1920", 50000), ("2260", -50000)]),
        (Y25, [("8130", 2000), ("1920", -2000)]),
        (Y25, [("1920", 200000), ("3000", -200000), ("6300", 60000), ("1920", -60000)]),
        (Y25, [("6300", 10000), ("2400", -10000), ("2400", 6000), ("1920", -6000)]),
        (Y25, [("8935", 40000), ("2920", -40000), ("8960", 88000), ("2050", -88000)]),
    ],
    TO: [
        (date(2024, 1, 3), [("1920", 100000), ("2000", -100000)]),
        (Y24, [("1920", 50000), ("3000", -50000), ("6300", 20000), ("1920", -20000)]),
        (Y24, [("8960", 30000), ("2050", -30000)]),
        (Y25, [("1920", 110000), ("3000", -110000), ("6300", 70000), ("1920", -70000)]),
        (Y25, [("1500", 10000), ("3000", -10000), ("1920", 6000), ("1500", -6000)]),
        (Y25, [("8920", 20000), ("2800", -20000), ("8960", 30000), ("2050", -30000)]),
    ],
}
# What the journal items name as partner, by line (this year, last year).
POSITIONS = {
    MOR: [
        Position("6500", EN, (D(50000), D(0))),
        Position("7128", EN, (D(40000), D(0))),
        Position("7128", TO, (D(16000), D(0))),
        Position("149", EN, (D(2000), D(0))),
        Position("27934", EN, (D(40000), D(0))),
        Position("27934", TO, (D(16000), D(0))),
    ],
    EN: [
        Position("2256", MOR, (D(50000), D(0))),
        Position("2255", MOR, (D(40000), D(0))),
        Position("7037", MOR, (D(2000), D(0))),
        Position("36636", MOR, (D(40000), D(0))),
        Position("82", TO, (D(10000), D(0))),
        Position("220", TO, (D(4000), D(0))),
    ],
    TO: [
        Position("1340", EN, (D(10000), D(0))),
        Position("116", EN, (D(4000), D(0))),
    ],
}


def member(company, name, holder, pct):
    pct = D(pct)
    return Member(company, company, name, holder, pct, pct, pct, 0 if holder is None else 1)


MEMBERS = [
    member(MOR, "Mor AS", None, 100),
    member(EN, "Datter En AS", MOR, 100),
    member(TO, "Datter To AS", MOR, 80),
]


@pytest.fixture(scope="module")
def template():
    return snapshot(LEDGERS[MOR], 2025)


def worksheet(template, positions=None):
    plan = group_figures.Plan.from_snapshot(template)
    figures = {c: group_figures.figures_of(snapshot(LEDGERS[c], 2025)) for c in LEDGERS}
    return plan, consolidation.consolidate(plan, MEMBERS, figures, positions or POSITIONS)


def consolidated(template, sheet):
    plan = group_figures.Plan.from_snapshot(template)
    return plan.with_sums(sheet["consolidated"])


def test_the_companies_statements_are_added_line_by_line(template):
    _plan, sheet = worksheet(template)
    assert sheet["sum"]["1340"] == (D(620000), D(230000))
    assert sheet["sum"]["9686"] == (D(180000), D(180000))
    assert sheet["sum"]["20488"] == (D(700000), D(700000))


def test_hand_computed_group_income_statement(template):
    _plan, sheet = worksheet(template)
    figures = consolidated(template, sheet)
    expected = {
        "1340": (610000, 230000),  # the 10 000 Datter To sold to Datter En is gone
        "82": (230000, 90000),
        "27934": (0, 0),  # group contribution and dividend received from subsidiaries
        "149": (0, 0),
        "7037": (0, 0),
        "172": (380000, 140000),
        "7717": (10000, 6000),  # 20 % of Datter To's result (50 000; 30 000)
        "33415": (370000, 134000),
        "6112": (50000, 0),  # the parent's own dividend; Datter To's went to the group
        "36636": (0, 0),
        "7065": (320000, 134000),
        "7071": (370000, 134000),
    }
    assert {code: figures[code] for code in expected} == {
        code: (D(a), D(p)) for code, (a, p) in expected.items()
    }


def test_hand_computed_group_balance_sheet(template):
    _plan, sheet = worksheet(template)
    figures = consolidated(template, sheet)
    expected = {
        "9686": (0, 0),
        "6500": (0, 0),
        "7128": (0, 0),
        "116": (0, 0),
        "786": (1040000, 660000),
        "219": (1040000, 660000),
        "20488": (500000, 500000),  # the subsidiaries' share capital is eliminated
        "3274": (454000, 134000),
        "29045": (32000, 26000),  # 20 % of Datter To's equity (160 000; 130 000)
        "250": (986000, 660000),
        "235": (54000, 0),  # the parent's 50 000 and the minority's 4 000 of Datter To's
        "2255": (0, 0),
        "2256": (0, 0),
        "220": (0, 0),
        "251": (1040000, 660000),
    }
    assert {code: figures[code] for code in expected} == {
        code: (D(a), D(p)) for code, (a, p) in expected.items()
    }
    assert sheet["findings"] == []


def test_every_elimination_balances_and_is_shown_on_its_own(template):
    plan, sheet = worksheet(template)
    kinds = sorted((entry["kind"], tuple(entry["companies"])) for entry in sheet["eliminations"])
    assert kinds == [
        ("balances", ("Datter To AS", "Datter En AS")),
        ("balances", ("Mor AS", "Datter En AS")),
        ("balances", ("Mor AS", "Datter To AS")),
        ("group_income", ("Mor AS", "Datter En AS")),
        ("group_income", ("Mor AS", "Datter To AS")),
        ("interest", ("Mor AS", "Datter En AS")),
        ("investment", ("Mor AS", "Datter En AS", "Datter To AS")),
        ("minority", ("Datter To AS",)),
        ("sales", ("Datter To AS", "Datter En AS")),
    ]
    for entry in sheet["eliminations"]:
        sums = plan.with_sums(entry["lines"])
        assert sums["219"] == sums["251"], entry["kind"]
        assert sums["172"] == add_minority(sums), entry["kind"]
    investment = next(e for e in sheet["eliminations"] if e["kind"] == "investment")
    assert investment["params"]["difference"] == (D(-186000), D(-74000))
    assert investment["lines"]["3274"] == (D(-12000), D(-6000))


def add_minority(sums):
    """An entry moves the result as much as the allocations and the minority's share."""
    return group_figures.add(sums["7071"], sums["7717"])


def with_ledger(company, ledger):
    return {**LEDGERS, company: ledger}


def sheet_of(template, ledgers, members=None, positions=None):
    plan = group_figures.Plan.from_snapshot(template)
    figures = {c: group_figures.figures_of(snapshot(ledgers[c], 2025)) for c in ledgers}
    if positions is None:
        positions = POSITIONS
    return consolidation.consolidate(plan, members or MEMBERS, figures, positions)


def test_goodwill_when_the_investment_exceeds_the_equity_taken_over(template):
    # the parent paid 500 000 for its two subsidiaries, 320 000 more than it did
    mor = [*LEDGERS[MOR], (date(2024, 1, 3), [("1300", 320000), ("1920", -320000)])]
    sheet = sheet_of(template, with_ledger(MOR, mor))
    investment = next(e for e in sheet["eliminations"] if e["kind"] == "investment")
    # 500 000 against 238 000 + 80 % of 160 000 (2025) and 150 000 + 80 % of 130 000 (2024)
    assert investment["params"]["difference"] == (D(134000), D(246000))
    assert investment["lines"]["206"] == (D(134000), D(246000))
    assert investment["lines"]["3274"] == (D(-198000), D(-80000))
    assert [f["code"] for f in sheet["findings"]] == ["GOODWILL"]


def test_a_pair_that_does_not_agree_stays_and_is_reported(template):
    positions = {**POSITIONS, EN: [p for p in POSITIONS[EN] if p.code != "36636"]}
    plan, sheet = worksheet(template, positions=positions)
    figures = plan.with_sums(sheet["consolidated"])
    assert figures["27934"] == (D(40000), D(0))  # the contribution received stays
    assert figures["36636"] == (D(40000), D(0))  # and so does the contribution given
    assert sheet["findings"] == [
        {
            "severity": "warning",
            "code": "PAIR_MISMATCH",
            "params": {
                "kind": "group_income",
                "creditor": "Mor AS",
                "debtor": "Datter En AS",
                "column": 0,
                "creditor_amount": D(40000),
                "debtor_amount": D(0),
            },
        }
    ]


def test_a_group_line_naming_no_group_company_is_reported(template):
    unmarked = Position("6500", None, (D(50000), D(0)))
    positions = {**POSITIONS, MOR: [unmarked, *POSITIONS[MOR][1:]]}
    plan, sheet = worksheet(template, positions=positions)
    figures = plan.with_sums(sheet["consolidated"])
    assert figures["6500"] == (D(50000), D(0))
    assert figures["2256"] == (D(50000), D(0))  # the loan between the two is not eliminated
    codes = [(f["code"], f["params"].get("code")) for f in sheet["findings"]]
    assert codes == [("PAIR_MISMATCH", None), ("UNMARKED_GROUP_LINE", "6500")]
    assert sheet["findings"][1]["params"]["label"] == "Lån til foretak i samme konsern"


def test_stepwise_through_a_subsidiary_that_holds_a_subsidiary(template):
    """Mor AS owns 100 % of Holding AS, which owns 60 % of Barn AS (founded with 50 000 of
    which Holding paid 30 000; result 10 000). Holding's investment is eliminated against
    Barn's equity inside the sub-group, and the minority holds 40 % of Barn."""
    holding, barn = 4, 5
    ledgers = {
        MOR: [
            (date(2024, 1, 2), [("1920", 100000), ("2000", -100000)]),
            (date(2024, 1, 3), [("1300", 40000), ("1920", -40000)]),
        ],
        holding: [
            (date(2024, 1, 3), [("1920", 40000), ("2000", -40000)]),
            (date(2024, 1, 4), [("1300", 30000), ("1920", -30000)]),
        ],
        barn: [
            (date(2024, 1, 4), [("1920", 50000), ("2000", -50000)]),
            (Y25, [("1920", 10000), ("3000", -10000), ("8960", 10000), ("2050", -10000)]),
        ],
    }
    members = [
        member(MOR, "Mor AS", None, 100),
        member(holding, "Holding AS", MOR, 100),
        member(barn, "Barn AS", holding, 60),
    ]
    sheet = sheet_of(template, ledgers, members, positions={})
    plan = group_figures.Plan.from_snapshot(template)
    figures = plan.with_sums(sheet["consolidated"])
    assert figures["9686"] == (D(0), D(0))
    assert figures["20488"] == (D(100000), D(100000))
    assert figures["29045"] == (D(24000), D(20000))  # 40 % of 60 000 and of 50 000
    assert figures["7717"] == (D(4000), D(0))
    assert figures["3274"] == (D(6000), D(0))  # Holding's 60 % of Barn's result
    assert figures["7065"] == (D(6000), D(0))
    assert figures["219"] == figures["251"] == (D(130000), D(120000))
    inner = [(e["kind"], e["companies"]) for e in sheet["eliminations"]][:2]
    assert inner == [("investment", ["Holding AS", "Barn AS"]), ("minority", ["Barn AS"])]


def test_a_subsidiary_with_investments_of_its_own_outside_the_group(template):
    to = [*LEDGERS[TO], (date(2025, 6, 1), [("1300", 5000), ("1920", -5000)])]
    sheet = sheet_of(template, with_ledger(TO, to))
    [finding] = sheet["findings"]
    assert finding["code"] == "UNCONSOLIDATED_INVESTMENT"
    assert finding["params"] == {"company": "Datter To AS", "amount": (D(5000), D(0))}


def test_each_kind_pairs_the_lines_of_its_side():
    creditor = {code for kind in consolidation.KINDS for code in kind.creditor}
    debtor = {code for kind in consolidation.KINDS for code in (*kind.debtor, *kind.pro_rata)}
    assert not creditor & debtor
    assert set(consolidation.GROUP_LINES) <= set(consolidation.POSITION_CODES)
