"""The module's statement lines against BRG's oppstillingsplan, and the plan arithmetic."""

import csv
from datetime import date
from decimal import Decimal

import pytest
from conftest import MODULE_ROOT, SHARED

from tools import statement_plan as plan

BRG_PLAN = (
    SHARED / "specs/brreg/designmaler/Oppstillingsplan_STORE_V16__Oppstillingsplan_STORE_V16.tsv"
)
LINES_CSV = MODULE_ROOT / "data/annual.statement.line.csv"
RULES_CSV = MODULE_ROOT / "data/annual.account.mapping.rule.csv"


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def lines():
    return _read_csv(LINES_CSV)


@pytest.fixture(scope="module")
def brg():
    return plan.read_brg_plan(BRG_PLAN)


# ----------------------------------------------------------------------------------------------
# Our data equals BRG's plan
# ----------------------------------------------------------------------------------------------


def test_every_brg_line_is_in_the_module_data_in_order(lines, brg):
    assert [(x["section"], int(x["row"])) for x in lines] == [(b["section"], b["row"]) for b in brg]


@pytest.mark.parametrize(
    "field", ["code", "prior_code", "note_code", "custom_code", "name", "level", "bold"]
)
def test_fields_equal_brg(lines, brg, field):
    def ours(line):
        value = line[field]
        if field == "level":
            return int(value)
        if field == "bold":
            return value == "True"
        return value

    diffs = [
        (b["section"], b["row"], ours(x), b[field])
        for x, b in zip(lines, brg, strict=True)
        if ours(x) != b[field]
    ]
    assert not diffs


def test_formulas_equal_brg(lines, brg):
    diffs = []
    for x, b in zip(lines, brg, strict=True):
        for key in ("formula", "prior_formula"):
            if plan.parse_formula(x[key]) != b[key]:
                diffs.append((b["section"], b["row"], key, x[key], b[key]))
    assert not diffs


def test_standard_rows_equal_brg(lines, brg):
    assert [x["is_standard"] == "True" for x in lines] == [b["is_standard"] for b in brg]


def test_kinds_signs_and_keys(lines):
    keys = [x["key"] for x in lines]
    assert len(keys) == len(set(keys))
    for x in lines:
        assert x["key"] == f"{x['section']}-{x['row']}"
        expected = "header" if not x["code"] else ("sum" if x["formula"] else "line")
        assert x["kind"] == expected, x["key"]
        assert (x["sign"] in ("1", "-1")) == (x["kind"] == "line"), x["key"]
        assert x["name_en"] or x["key"] in ("BAL-423", "BAL-765")


def test_signs_follow_the_nature_of_each_line(lines):
    sign = {x["key"]: int(x["sign"]) for x in lines if x["kind"] == "line"}
    assert sign["RES-20"] == sign["RES-30"] == sign["RES-200"] == -1  # income
    assert sign["RES-80"] == sign["RES-90"] == sign["RES-340"] == 1  # costs and tax
    assert sign["RES-430"] == sign["RES-480"] == sign["RES-470"] == 1  # allocations
    assert sign["RES-440"] == -1  # received group contribution, subtracted by 7071
    assert sign["BAL-280"] == sign["BAL-400"] == 1  # assets
    assert sign["BAL-450"] == sign["BAL-460"] == sign["BAL-700"] == -1  # equity, debt
    assert sign["BAL-524"] == 1  # uncovered loss, subtracted by 9702


def test_prior_formulas_mirror_this_years(lines):
    """BRG writes each formula twice; both must say the same with the other year's codes."""
    to_prior = {x["code"]: x["prior_code"] for x in lines if x["code"]}
    for x in lines:
        mirrored = tuple((s, to_prior[c]) for s, c in plan.parse_formula(x["formula"]))
        assert mirrored == plan.parse_formula(x["prior_formula"]), x["key"]


def test_every_formula_refers_to_existing_codes_and_has_an_order(lines):
    codes = {x["code"] for x in lines if x["code"]}
    formulas = {x["code"]: plan.parse_formula(x["formula"]) for x in lines if x["formula"]}
    for terms in formulas.values():
        assert {c for _s, c in terms} <= codes
    order = plan.evaluation_order(formulas)
    assert order.index("72") < order.index("146") < order.index("167") < order.index("172")
    assert order.index("217") < order.index("219")


# ----------------------------------------------------------------------------------------------
# Formulas
# ----------------------------------------------------------------------------------------------


def test_parse_formula():
    assert plan.parse_formula("") == ()
    assert plan.parse_formula("326") == ((1, "326"),)
    assert plan.parse_formula(" 6921 + 7112 + 6946+ 7114 ") == (
        (1, "6921"),
        (1, "7112"),
        (1, "6946"),
        (1, "7114"),
    )
    assert plan.parse_formula("172 - 7717 + 38814") == ((1, "172"), (-1, "7717"), (1, "38814"))
    with pytest.raises(ValueError):
        plan.parse_formula("72 * 3")
    with pytest.raises(ValueError):
        plan.parse_formula("72 73")


def test_evaluate_in_dependency_order_with_decimals():
    formulas = {
        "172": plan.parse_formula("167 - 11835"),
        "167": plan.parse_formula("146 + 158"),
        "146": plan.parse_formula("72 - 17126"),
        "72": plan.parse_formula("1340 + 7709"),
        "17126": plan.parse_formula("101 + 81"),
        "158": plan.parse_formula("153 - 17130"),
    }
    leaves = {
        "1340": Decimal("1000.10"),
        "7709": Decimal("0.20"),
        "101": Decimal("400.05"),
        "81": Decimal("100"),
        "153": Decimal("0.1"),
        "17130": Decimal("50"),
        "11835": Decimal("99.99"),
    }
    values = plan.evaluate(formulas, leaves)
    assert values["72"] == Decimal("1000.30")
    assert values["146"] == Decimal("500.25")
    assert values["172"] == Decimal("350.36")
    assert all(isinstance(v, Decimal) for v in values.values())


def test_cycle_is_refused():
    with pytest.raises(ValueError):
        plan.evaluation_order({"1": ((1, "2"),), "2": ((1, "1"),)})


def test_presentation_amount():
    assert plan.presentation_amount(Decimal("-1250.50"), -1) == Decimal("1250.50")
    assert plan.presentation_amount(Decimal("300"), 1) == Decimal("300")


# ----------------------------------------------------------------------------------------------
# Periods
# ----------------------------------------------------------------------------------------------


def test_prior_period():
    assert plan.prior_period(date(2025, 1, 1), date(2025, 12, 31)) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    # a month's end stays a month's end across leap years
    assert plan.prior_period(date(2024, 3, 1), date(2025, 2, 28)) == (
        date(2023, 3, 1),
        date(2024, 2, 29),
    )
    assert plan.prior_period(date(2024, 2, 29), date(2024, 6, 15))[0] == date(2023, 2, 28)


def test_period_errors():
    assert plan.period_errors(date(2025, 1, 1), date(2025, 12, 31)) == []
    assert plan.period_errors(date(2024, 7, 1), date(2025, 12, 31)) == []
    assert plan.period_errors(date(2024, 7, 1), date(2026, 1, 1)) == ["PERIOD_TOO_LONG"]
    assert plan.period_errors(date(2025, 12, 31), date(2025, 1, 1)) == ["PERIOD_REVERSED"]


def test_date_buckets_partition_overlapping_ranges():
    cur = (date(2025, 1, 1), date(2025, 12, 31))
    prior = (date(2024, 1, 1), date(2024, 12, 31))
    starts, members = plan.date_buckets(cur, prior, (None, cur[1]), (None, prior[1]))
    assert starts == [date(2024, 1, 1), date(2025, 1, 1), date(2026, 1, 1)]
    assert members == [{2}, {1}, {0, 1, 2}, {0, 1}]
    # an 18-month period overlaps its comparative
    starts, members = plan.date_buckets(
        (date(2024, 7, 1), date(2025, 12, 31)), (date(2023, 7, 1), date(2024, 12, 31))
    )
    assert starts == [date(2023, 7, 1), date(2024, 7, 1), date(2025, 1, 1), date(2026, 1, 1)]
    assert members == [{2, 3}, {1, 2}]


# ----------------------------------------------------------------------------------------------
# Mapping
# ----------------------------------------------------------------------------------------------


def _rules():
    rules = [
        {"id": i, "code_from": r["code_from"], "code_to": r["code_to"], "line": r["line_id:id"]}
        for i, r in enumerate(_read_csv(RULES_CSV), start=1)
    ]
    return sorted(rules, key=plan.rule_specificity)


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("3000", "line_res_20"),
        ("3900", "line_res_30"),
        ("4300", "line_res_80"),
        ("5000", "line_res_90"),
        ("5400", "line_res_90"),
        ("6010", "line_res_100"),
        ("6050", "line_res_110"),
        ("6300", "line_res_120"),
        ("8050", "line_res_200"),
        ("8079", "line_res_210"),
        ("8150", "line_res_280"),
        ("8300", "line_res_340"),
        ("8920", "line_res_430"),
        ("8930", "line_res_440"),
        ("8960", "line_res_480"),
        ("8990", "line_res_470"),
        ("1250", "line_bal_120"),
        ("1500", "line_bal_280"),
        ("1580", "line_bal_280"),  # narrower rule inside 1570-1779
        ("1550", "line_bal_295"),
        ("1610", "line_bal_290"),
        ("1920", "line_bal_400"),
        ("192001", "line_bal_400"),  # longer codes match by prefix
        ("2000", "line_bal_450"),
        ("2050", "line_bal_520"),
        ("2080", "line_bal_524"),
        ("2099", "line_bal_520"),
        ("2220", "line_bal_630"),
        ("2400", "line_bal_700"),
        ("2500", "line_bal_710"),
        ("2600", "line_bal_720"),
        ("2700", "line_bal_720"),
        ("2800", "line_bal_730"),
        ("2920", "line_bal_735"),
        ("2930", "line_bal_740"),
    ],
)
def test_default_rules_map_the_norwegian_chart(code, line):
    assert plan.resolve_line(code, _rules())["line"] == line


def test_unmapped_codes():
    rules = _rules()
    for code in ("8200", "8400", "999999", "ABC", "", "9"):
        assert plan.resolve_line(code, rules) is None


def test_default_rules_do_not_overlap_at_equal_width():
    rules = _rules()
    for a in rules:
        for b in rules:
            if a is not b and plan.rule_specificity(a)[:3] == plan.rule_specificity(b)[:3]:
                assert a["code_to"] < b["code_from"] or b["code_to"] < a["code_from"]


def test_company_rule_beats_general_rule():
    rules = sorted(
        [
            {"id": 1, "code_from": "3000", "code_to": "3099", "line": "general"},
            {"id": 2, "code_from": "3000", "code_to": "3999", "line": "own", "company_id": 7},
        ],
        key=plan.rule_specificity,
    )
    assert plan.resolve_line("3050", rules)["line"] == "own"


# ----------------------------------------------------------------------------------------------
# Soft checks
# ----------------------------------------------------------------------------------------------


def test_soft_checks():
    full_year = (date(2025, 1, 1), date(2025, 12, 31))
    ok = {"219": Decimal("100"), "251": Decimal("101.50"), "172": Decimal("10"), "7071": ZERO}
    assert plan.soft_checks(ok, *full_year) == []
    bad = dict(ok, **{"251": Decimal("103"), "7071": Decimal("7")})
    assert [c for c, _p in plan.soft_checks(bad, *full_year, currency="EUR")] == [
        "MYK_VAL_251",
        "MYK_VAL_7071",
        "MYK_VAL_34984",
    ]
    assert [c for c, _p in plan.soft_checks(ok, date(2025, 1, 1), date(2025, 6, 30))] == [
        "MYK_VAL_17104"
    ]
    assert [c for c, _p in plan.soft_checks(ok, date(2024, 7, 1), date(2025, 12, 31))] == [
        "MYK_VAL_17103"
    ]


ZERO = Decimal("0.00")
