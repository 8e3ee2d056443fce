"""The allocation law on snapshots built by hand; every expected figure is worked out in the
comments next to it."""

from decimal import Decimal as D

import pytest

from tools import allocation_entry as entry
from tools import allocation_law as law
from tools.allocation_inputs import (
    AllocationInputError,
    check_entry,
    parse_inputs,
    parse_lines,
    to_json,
)


def line(code, amount, prior="0", accounts=(), section="BAL"):
    return {
        "key": f"{section}-{code}",
        "section": section,
        "code": code,
        "kind": "line",
        "amount": amount,
        "prior_amount": prior,
        "accounts": [
            {"account_id": i + 1, "code": c, "name": c, "amount": a, "prior_amount": "0"}
            for i, (c, a) in enumerate(accounts)
        ],
    }


def snapshot(*extra, findings=()):
    """The demo company: share capital 100 000 (own shares nominal 10 000), share premium
    50 000, funds 30 000, other equity 250 000 from earlier years + this year's unallocated
    result 150 000. Sum equity = 100 - 10 + 50 + 30 + 400 = 570 000."""
    lines = {
        item["code"]: item
        for item in (
            line("20488", "100000.00", "100000.00", [("2000", "100000.00")]),
            line("7131", "-10000.00", "-10000.00", [("2010", "-10000.00")]),
            line("2585", "50000.00", "50000.00", [("2020", "50000.00")]),
            line("27579", "30000.00", "30000.00", [("2040", "20000.00"), ("2045", "10000.00")]),
            line("3274", "400000.00", "250000.00", [("2050", "250000.00"), ("", "150000.00")]),
            line("249", "0.00", "0.00"),
            line("250", "570000.00", "420000.00"),
            line("167", "192300.00", section="RES"),
            line("172", "150000.00", section="RES"),
            *extra,
        )
    }
    return {
        "version": 1,
        "currency": "NOK",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "lines": list(lines.values()),
        "findings": list(findings),
    }


def inputs(**values):
    """Amounts given as numbers are sent as the API's strings; ids and booleans as they are."""
    ids = ("recipient_business_partner_id", "board_confirmation")
    return parse_inputs({key: value if key in ids else str(value) for key, value in values.items()})


LEDGER = {"source": "ledger"}


def component(result, key):
    return next(c for c in result["components"] if c["key"] == key)


# ---------------------------------------------------------------------------------------------
# Maximum dividend
# ---------------------------------------------------------------------------------------------


def test_max_dividend_demo_company():
    result = law.max_dividend(snapshot(), inputs(), LEDGER)
    # 570 000 equity - 100 000 share capital - 30 000 funds; share premium stays free and the
    # own shares are already inside equity.
    assert result["total"] == D("440000.00")
    assert result["free_equity"] == D("440000.00")
    assert result["year_result"] == D("150000.00")
    assert result["basis"] == {
        "source": "ledger",
        "reference": None,
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
    }
    own = component(result, "own_shares")
    assert (own["amount"], own["effect"], own["included_in_equity"]) == (D("-10000"), 0, True)
    assert [a["code"] for a in own["accounts"]] == ["2010"]
    funds = component(result, "bound_funds")
    assert funds["effect"] == D("-30000")
    assert [(a["code"], a["amount"]) for a in funds["accounts"]] == [
        ("2040", D("20000")),
        ("2045", D("10000")),
    ]
    equity = component(result, "equity")
    assert equity["effect"] == D("570000")
    assert "" in [a["code"] for a in equity["accounts"]]  # the unallocated result is a source
    assert component(result, "share_capital")["effect"] == D("-100000")
    assert sum(c["effect"] for c in result["components"]) == result["total"]


def test_max_dividend_deducts_what_happened_after_the_balance_date():
    data = inputs(
        dividends_after_balance_date=40000,
        group_contributions_after_balance_date=10000,
        credit_after_balance_date=5000,
    )
    result = law.max_dividend(snapshot(), data, LEDGER)
    assert result["total"] == D("385000.00")  # 440 000 - 40 000 - 10 000 - 5 000
    assert component(result, "credit_after_balance_date")["source"] == "input"


def test_max_dividend_adds_back_distributions_already_booked():
    # The allocation is posted: 100 000 dividend went to 2800 and 20 000 group contribution
    # to 2920, so equity shows 450 000; the ceiling is still the one before allocation.
    data = snapshot(
        line("250", "450000.00"),
        line("6112", "100000.00", accounts=[("8920", "100000.00")], section="RES"),
        line("36636", "20000.00", accounts=[("8935", "20000.00")], section="RES"),
    )
    result = law.max_dividend(data, inputs(), {"source": "filed_snapshot", "reference": "AR-7"})
    assert component(result, "distributions_booked")["effect"] == D("120000.00")
    assert result["total"] == D("440000.00")
    assert result["basis"]["source"] == "filed_snapshot"


def test_every_component_names_its_paragraph():
    result = law.max_dividend(snapshot(), inputs(), LEDGER)
    assert all(c["paragraph"].startswith("aksjeloven §") for c in result["components"])
    assert component(result, "share_capital")["paragraph"] == "aksjeloven § 8-1 (1)"
    assert component(result, "gifts_after_balance_date")["paragraph"] == (
        "aksjeloven § 8-1 (3), jf. § 8-6"
    )


def test_credit_to_shareholders_on_the_balance_sheet_is_deducted():
    # § 8-1 (2) with §§ 8-7 to 8-10: a loan to a shareholder (1370, 30 000) and to the general
    # manager (1576, 5 000) stand at the balance date; 1579 (2 000, another debtor) does not
    # count, nor does a current account in the shareholder's favour (1575, credit).
    data = snapshot(
        line("203", "30000.00", accounts=[("1370", "30000.00")]),
        line(
            "282",
            "6000.00",
            accounts=[("1576", "5000.00"), ("1579", "2000.00"), ("1575", "-1000.00")],
        ),
    )
    result = law.max_dividend(data, inputs(), LEDGER)
    credit = component(result, "credit_before_balance_date")
    assert credit["effect"] == D("-35000.00")
    assert sorted(a["code"] for a in credit["accounts"]) == ["1370", "1576"]
    assert result["total"] == D("405000.00")  # 440 000 - 35 000
    # 10 000 repaid before the decision, 7 000 security given for a shareholder's bank loan:
    # 35 000 + 7 000 - 10 000 = 32 000 deducted.
    data_inputs = inputs(credit_repaid_before_decision=10000, security_before_balance_date=7000)
    assert law.max_dividend(data, data_inputs, LEDGER)["total"] == D("408000.00")


def test_additional_dividends_paid_in_the_year_are_not_added_back():
    # § 8-2 (2) / § 8-2 a: 25 000 additional dividend (8921) and 5 000 extraordinary dividend
    # (8922) were paid during the year, so equity is 540 000. They are gone: the ceiling is
    # 540 000 - 100 000 - 30 000 = 410 000, not the 440 000 of adding them back.
    data = snapshot(
        line("250", "540000.00"),
        line("38808", "25000.00", accounts=[("8921", "25000.00")], section="RES"),
        line("38811", "5000.00", accounts=[("8922", "5000.00")], section="RES"),
    )
    result = law.max_dividend(data, inputs(), LEDGER)
    paid = component(result, "dividends_paid_in_year")
    assert (paid["amount"], paid["effect"], paid["included_in_equity"]) == (D("30000"), 0, True)
    assert paid["paragraph"] == "aksjeloven §§ 8-2 (2) og 8-2 a"
    assert result["total"] == D("410000.00")


def test_what_happened_after_the_balance_date_under_8_1_third_paragraph():
    data = inputs(
        own_shares_after_balance_date=3000,  # § 9-3
        gifts_after_balance_date=2000,  # § 8-6
        capital_reduction_payouts_after_balance_date=5000,  # § 12-1 (1) nr. 2
    )
    result = law.max_dividend(snapshot(), data, LEDGER)
    assert result["total"] == D("430000.00")  # 440 000 - 3 000 - 2 000 - 5 000


def test_share_capital_is_the_registered_capital_at_the_decision_date():
    # A capital increase of 50 000 paid in (2030) but not registered: equity 620 000. It is not
    # free equity: 620 000 - 100 000 - 50 000 - 30 000 = 440 000, as before the increase.
    data = snapshot(
        line("39221", "50000.00", accounts=[("2030", "50000.00")]), line("250", "620000.00")
    )
    result = law.max_dividend(data, inputs(), LEDGER)
    assert component(result, "unregistered_capital_increase")["effect"] == D("-50000.00")
    assert result["total"] == D("440000.00")
    # Registered before the decision: the registered capital is 150 000, nothing unregistered.
    registered = law.max_dividend(data, inputs(registered_share_capital=150000), LEDGER)
    assert component(registered, "share_capital")["source"] == "input"
    assert component(registered, "unregistered_capital_increase")["effect"] == 0
    assert registered["total"] == D("440000.00")
    # Still 100 000 registered when deciding: the increase stays bound.
    pending = law.max_dividend(data, inputs(registered_share_capital=100000), LEDGER)
    assert pending["total"] == D("440000.00")


def test_max_dividend_never_negative_and_dividend_reserve_deducted():
    data = snapshot(
        line("250", "120000.00"), line("23857", "15000.00", accounts=[("2055", "15000")])
    )
    result = law.max_dividend(data, inputs(), LEDGER)
    assert result["free_equity"] == D("-25000.00")  # 120 000 - 100 000 - 30 000 - 15 000
    assert result["total"] == D("0.00")


def test_max_dividend_reports_errors_of_the_basis():
    data = snapshot(findings=[{"severity": "error", "code": "BALANCE_MISMATCH"}])
    findings = law.max_dividend(data, inputs(), LEDGER)["findings"]
    assert findings == [
        {"severity": "warning", "code": "BASIS_HAS_ERRORS", "detail": "BALANCE_MISMATCH"}
    ]


# ---------------------------------------------------------------------------------------------
# Group contribution
# ---------------------------------------------------------------------------------------------


def party(pid, parent=None, shares=None, votes=None, org_form="AS", country="NO"):
    return {
        "id": pid,
        "name": f"Company {pid}",
        "country_code": country,
        "org_form": org_form,
        "parent_id": parent,
        "shares_pct": shares,
        "votes_pct": votes,
    }


def gc_checks(parties, amount="100000", recipient=2, giver=1, **extra):
    data = inputs(group_contribution=amount, recipient_business_partner_id=recipient, **extra)
    ceiling = law.max_dividend(snapshot(), data, LEDGER)
    result = law.group_contribution_checks(snapshot(), data, ceiling, parties, giver)
    return result, {c["key"]: c for c in result["checks"]}


def test_group_contribution_to_wholly_owned_subsidiary_passes():
    result, checks = gc_checks({1: party(1), 2: party(2, parent=1, shares="100", votes="100")})
    assert result["passed"]
    assert checks["group_ownership"]["figures"]["relation"] == "parent_to_subsidiary"
    assert checks["dividend_capacity"]["figures"]["remaining"] == D("340000.00")
    # No taxable income entered: result before tax 192 300 covers the 100 000.
    assert checks["tax_cap"]["passed"]
    assert result["tax_cap"]["source"] == "result_before_tax"


@pytest.mark.parametrize(
    "shares, votes",
    [("85", "85"), ("95", "85"), ("90", "100")],  # exactly 90 % is not *more than* 90 %
)
def test_group_contribution_without_more_than_90_percent_fails(shares, votes):
    result, checks = gc_checks({1: party(1), 2: party(2, parent=1, shares=shares, votes=votes)})
    assert not result["passed"]
    assert not checks["group_ownership"]["passed"]
    assert checks["group_ownership"]["figures"]["links"][0]["qualifies"] is False


def test_group_contribution_between_sisters_and_to_the_parent():
    parties = {
        9: party(9),
        1: party(1, parent=9, shares="100", votes="100"),
        2: party(2, parent=9, shares="95", votes="95"),
    }
    result, checks = gc_checks(parties)
    assert result["passed"]
    assert checks["group_ownership"]["figures"]["common_parent_id"] == 9
    result, checks = gc_checks(parties, recipient=9)
    assert checks["group_ownership"]["figures"]["relation"] == "subsidiary_to_parent"


def test_group_contribution_through_a_chain_of_subsidiaries():
    parties = {
        1: party(1),
        3: party(3, parent=1, shares="95", votes="95"),
        2: party(2, parent=3, shares="91", votes="91"),
    }
    assert gc_checks(parties)[0]["passed"]
    parties[3]["shares_pct"] = "80"
    assert not gc_checks(parties)[0]["passed"]


@pytest.mark.parametrize("org_form, country", [("ENK", "NO"), ("AS", "SE")])
def test_group_contribution_needs_norwegian_limited_companies(org_form, country):
    parties = {1: party(1), 2: party(2, 1, "100", "100", org_form=org_form, country=country)}
    result, checks = gc_checks(parties)
    assert not result["passed"]
    assert not checks["norwegian_limited_companies"]["passed"]
    assert checks["group_ownership"]["passed"]


def test_group_contribution_without_recipient_or_to_itself_fails():
    result, checks = gc_checks({1: party(1)}, recipient=None)
    assert not checks["recipient"]["passed"] and not result["passed"]
    result, checks = gc_checks({1: party(1)}, recipient=1)
    assert not checks["recipient"]["passed"]


def test_group_contribution_must_fit_within_the_dividend_capacity():
    parties = {1: party(1), 2: party(2, parent=1, shares="100", votes="100")}
    # 400 000 dividend + 100 000 contribution = 500 000 > 440 000.
    result, checks = gc_checks(parties, dividend="400000")
    assert not result["passed"]
    assert checks["dividend_capacity"]["figures"]["remaining"] == D("-60000.00")


def test_group_contribution_tax_cap_is_reported_not_blocking():
    parties = {1: party(1), 2: party(2, parent=1, shares="100", votes="100")}
    result, checks = gc_checks(parties, taxable_income="60000")
    assert result["passed"]
    assert not checks["tax_cap"]["passed"] and not checks["tax_cap"]["blocking"]
    assert result["tax_cap"] == {
        "taxable_income": D("60000.00"),
        "source": "entered",
        "deductible": D("60000.00"),
        "excess": D("40000.00"),
    }


def test_no_group_contribution_no_checks():
    result, checks = gc_checks({1: party(1)}, amount="0", recipient=None)
    assert result["passed"] and checks == {}
    assert result["tax_cap"]["taxable_income"] == D("192300.00")


# ---------------------------------------------------------------------------------------------
# Allocation plan and suggested lines
# ---------------------------------------------------------------------------------------------


def debits_credits(lines):
    return {(x["account_code"], x["debit"], x["credit"]) for x in lines}


def test_profit_with_dividend_and_group_contribution():
    data = inputs(dividend=50000, group_contribution=30000, recipient_business_partner_id=2)
    plan = entry.allocation_plan(snapshot(), data)
    assert plan["other_equity_transfer"] == D("70000.00")  # 150 000 - 50 000 - 30 000
    assert plan["uncovered_loss"] == D("0.00")
    lines = entry.suggested_lines(plan, data, "NOK")
    assert debits_credits(lines) == {
        ("8920", D("50000"), 0),
        ("2800", 0, D("50000")),
        ("8935", D("30000"), 0),
        ("2920", 0, D("30000")),
        ("8960", D("70000"), 0),
        ("2050", 0, D("70000")),
    }
    assert sum(x["debit"] for x in lines) == sum(x["credit"] for x in lines)
    # The allocations on 89xx (debit - credit) add up to the year's result.
    assert sum(x["debit"] - x["credit"] for x in lines if x["account_code"] >= "89") == D("150000")
    assert {x["currency_code"] for x in lines} == {"NOK"}
    assert [x["partner_id"] for x in lines if x["account_code"] == "2920"] == [2]


def test_received_group_contribution_is_allocated_too():
    data = inputs(group_contribution_received=20000)
    lines = entry.suggested_lines(entry.allocation_plan(snapshot(), data), data, "NOK")
    assert debits_credits(lines) == {
        ("1560", D("20000"), 0),
        ("8930", 0, D("20000")),
        ("8960", D("170000"), 0),  # 150 000 + 20 000
        ("2050", 0, D("170000")),
    }


def test_loss_covered_by_other_equity_then_uncovered():
    # A 300 000 loss; other equity at last year end 250 000 covers part of it.
    data = snapshot(line("172", "-300000.00", section="RES"))
    plan = entry.allocation_plan(data, inputs())
    assert plan["other_equity_transfer"] == D("-250000.00")
    assert plan["uncovered_loss"] == D("50000.00")
    lines = entry.suggested_lines(plan, inputs(), "NOK")
    assert debits_credits(lines) == {
        ("2050", D("250000"), 0),
        ("8960", 0, D("250000")),
        ("2080", D("50000"), 0),
        ("8990", 0, D("50000")),
    }
    assert [x["description"] for x in lines] == [
        "Overføring fra annen egenkapital",
        "Overføring fra annen egenkapital",
        "Udekket tap",
        "Udekket tap",
    ]


def test_profit_first_covers_an_earlier_uncovered_loss():
    data = snapshot(line("249", "0.00", "40000.00"))
    plan = entry.allocation_plan(data, inputs())
    assert (plan["other_equity_transfer"], plan["uncovered_loss"]) == (D("110000"), D("-40000"))
    lines = entry.suggested_lines(plan, inputs(), "NOK")
    assert ("8990", D("40000"), 0) in debits_credits(lines)
    assert ("2080", 0, D("40000")) in debits_credits(lines)


def test_entered_transfer_is_kept():
    data = inputs(other_equity_transfer="-20000", dividend=170000)
    plan = entry.allocation_plan(snapshot(), data)
    assert plan["other_equity_transfer"] == D("-20000.00")
    assert plan["uncovered_loss"] == D("0.00")  # 150 000 - 170 000 = -20 000, all from equity


# ---------------------------------------------------------------------------------------------
# Refusals of a final allocation
# ---------------------------------------------------------------------------------------------


def refusals(parties=None, lines=(), **values):
    data = law.effective_inputs(inputs(**values), parse_lines(list(lines)))
    ceiling = law.max_dividend(snapshot(), data, LEDGER)
    gc = law.group_contribution_checks(snapshot(), data, ceiling, parties or {1: party(1)}, 1)
    return [(r["code"], r["field"]) for r in law.final_refusals(data, ceiling, gc)]


def test_final_refusals():
    assert refusals(dividend=440000, board_confirmation=True) == []
    assert refusals(dividend=440001, board_confirmation=True) == [
        ("dividend_exceeds_maximum", "dividend")
    ]
    assert refusals(dividend=1000) == [("board_confirmation_missing", "board_confirmation")]
    parties = {1: party(1), 2: party(2, parent=1, shares="85", votes="85")}
    assert refusals(
        parties, group_contribution=1000, recipient_business_partner_id=2, board_confirmation=True
    ) == [("group_contribution_group_ownership", "group_contribution")]


def review(lines=(), **values):
    data = law.effective_inputs(inputs(**values), parse_lines(list(lines)))
    ceiling = law.max_dividend(snapshot(), data, LEDGER)
    gc = law.group_contribution_checks(snapshot(), data, ceiling, {1: party(1)}, 1)
    found = law.final_review(data, ceiling, gc)
    return [r["code"] for r in found["refusals"]], [w["code"] for w in found["warnings"]]


def test_missing_board_confirmation_warns_and_the_law_refuses():
    # § 8-1 (4) with § 3-4: the board's judgement is recorded, its absence is a warning.
    assert review(dividend=1000) == ([], ["board_confirmation_missing"])
    assert review(dividend=1000, board_confirmation=True) == ([], [])
    assert review(dividend=440001) == (["dividend_exceeds_maximum"], ["board_confirmation_missing"])


def test_the_seeds_example_post_passes():
    # The API contract's example: 50 000 from the result (8800) to other equity (2050), no
    # structured_data.
    lines = [
        {"account_code": "8800", "debit": "50000.00", "credit": "0"},
        {"account_code": "2050", "debit": "0", "credit": "50000.00"},
    ]
    check_entry(parse_lines(lines), final=True)
    data = law.effective_inputs(parse_inputs(None), parse_lines(lines))
    ceiling = law.max_dividend(snapshot(), data, LEDGER)
    gc = law.group_contribution_checks(snapshot(), data, ceiling, {1: party(1)}, 1)
    assert law.final_review(data, ceiling, gc)["refusals"] == []


def test_final_refusals_read_the_dividend_booked_on_the_lines():
    lines = [
        {"account_code": "8920", "debit": "500000", "credit": "0"},
        {"account_code": "2800", "debit": "0", "credit": "500000"},
    ]
    assert refusals(lines=lines, dividend=0, board_confirmation=True) == [
        ("dividend_exceeds_maximum", "dividend")
    ]


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def test_parse_inputs_defaults():
    data = parse_inputs(None)
    assert data["dividend"] == D("0.00") and data["board_confirmation"] is False
    assert data["other_equity_transfer"] is None and data["taxable_income"] is None
    assert parse_inputs({"dividend": 50000.5})["dividend"] == D("50000.50")


@pytest.mark.parametrize(
    "data, error",
    [
        ({"dividnd": "1"}, ("structured_data.dividnd", "unknown")),
        ({"dividend": "-1"}, ("structured_data.dividend", "negative")),
        ({"dividend": "abc"}, ("structured_data.dividend", "not_a_number")),
        ({"dividend": "NaN"}, ("structured_data.dividend", "not_a_number")),
        ({"dividend": True}, ("structured_data.dividend", "not_a_number")),
        ({"dividend": "1.001"}, ("structured_data.dividend", "too_many_decimals")),
        ({"board_confirmation": "yes"}, ("structured_data.board_confirmation", "not_a_boolean")),
        (
            {"recipient_business_partner_id": "7"},
            ("structured_data.recipient_business_partner_id", "not_an_id"),
        ),
        ([], ("structured_data", "not_an_object")),
    ],
)
def test_parse_inputs_errors(data, error):
    with pytest.raises(AllocationInputError) as caught:
        parse_inputs(data)
    assert caught.value.errors == [error]


def test_parse_inputs_signed_fields_accept_negative():
    assert parse_inputs({"other_equity_transfer": "-5"})["other_equity_transfer"] == D("-5.00")


@pytest.mark.parametrize(
    "lines, error",
    [
        ([{"account_code": "8800", "debit": "1", "credit": "1"}], ("lines[0]", "debit_and_credit")),
        ([{"account_code": "8800"}], ("lines[0]", "zero")),
        ([{"debit": "1"}], ("lines[0].account_code", "missing")),
        ([{"account_code": "8800", "debit": "1", "amount": "1"}], ("lines[0].amount", "unknown")),
        ("8800", ("lines", "not_a_list")),
    ],
)
def test_parse_lines_errors(lines, error):
    with pytest.raises(AllocationInputError) as caught:
        parse_lines(lines)
    assert caught.value.errors == [error]


def test_check_entry():
    balanced = parse_lines(
        [
            {"account_code": "8800", "debit": "50000.00", "credit": "0"},
            {"account_code": "2050", "debit": "0", "credit": "50000.00"},
        ]
    )
    check_entry(balanced, final=True)
    check_entry(balanced[:1], final=False)  # a draft may be partial
    for lines, code in ((balanced[:1], "too_few"), (balanced + balanced[:1], "unbalanced")):
        with pytest.raises(AllocationInputError) as caught:
            check_entry(lines, final=True)
        assert caught.value.errors == [("lines", code)]


def test_to_json():
    assert to_json({"a": [D("1"), D("-0.5")], "b": None, "c": True}) == {
        "a": ["1.00", "-0.50"],
        "b": None,
        "c": True,
    }


def test_ownership_cycle_does_not_loop():
    parties = {
        1: party(1, parent=2, shares="100", votes="100"),
        2: party(2, parent=1, shares="100", votes="100"),
    }
    result, checks = gc_checks(parties)  # the ORM forbids cycles; here it must only end
    assert len(checks["group_ownership"]["figures"]["links"]) == 2


def test_group_contribution_booked_on_the_lines_is_checked():
    lines = [
        {"account_code": "8935", "debit": "1000", "credit": "0"},
        {"account_code": "2920", "debit": "0", "credit": "1000"},
    ]
    # Nothing in structured_data, but the lines give 1 000: no recipient, refused.
    assert refusals(lines=lines, board_confirmation=True) == [
        ("group_contribution_recipient", "group_contribution"),
        ("group_contribution_norwegian_limited_companies", "group_contribution"),
        ("group_contribution_group_ownership", "group_contribution"),
    ]
