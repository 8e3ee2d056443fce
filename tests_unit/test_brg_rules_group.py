"""The group accounts form (regnskapstype K): BRG's rules between the forms (the unnamed rows
31 and 32 of the RR-0002-U sheet), the Underskjema's own rules on the group's form, and the
form built from a consolidation valid against BRG's XSD."""

import copy
from datetime import date

import pytest
from ledger_snapshot import snapshot
from test_brg_xml import load_filing
from test_consolidation import LEDGERS, MOR, worksheet

from tools import brg_validation, brg_xml, group_figures

TODAY = date(2026, 6, 1)


@pytest.fixture
def parent():
    filing = load_filing("holding_as")
    filing["group"] = {"parent_company": True, "group_accounts": True, "foreign_group": None}
    filing["rules"]["group_ifrs"] = False
    return filing


@pytest.fixture(scope="module")
def consolidated():
    template = snapshot(LEDGERS[MOR], 2025)
    _plan, sheet = worksheet(template)
    return group_figures.statement_from(template, sheet["consolidated"])


def group_of(filing, statement):
    return {
        **copy.deepcopy(filing),
        "accounts_type": "K",
        "statement": statement,
        "notes": [],
        "note_values": {},
    }


def rule_ids(filing, group=None):
    return [i.rule_id for i in brg_validation.check(filing, today=TODAY, group=group)]


def test_group_accounts_announced_without_their_form(parent):
    assert "VAL_Konsernregnskap" in rule_ids(parent)


def test_the_group_form_with_a_parent_that_announces_it(parent, consolidated):
    group = group_of(parent, consolidated)
    alone = rule_ids(parent)
    assert rule_ids(parent, group) == [r for r in alone if r != "VAL_Konsernregnskap"]


@pytest.mark.parametrize(
    "answers",
    [
        {"parent_company": False, "group_accounts": None},
        {"parent_company": True, "group_accounts": False},
    ],
)
def test_a_group_form_without_a_parent_announcing_it(parent, consolidated, answers):
    parent["group"].update(answers)
    found = rule_ids(parent, group_of(parent, consolidated))
    assert "VAL_Konsernregnskap_ikke_mor" in found
    assert "VAL_Konsernregnskap" not in found


def test_the_group_form_must_be_of_type_k(parent, consolidated):
    group = {**group_of(parent, consolidated), "accounts_type": "S"}
    assert "GROUP_ACCOUNTS_TYPE" in rule_ids(parent, group)


def test_the_underskjema_rules_run_on_the_group_form(parent, consolidated):
    statement = copy.deepcopy(consolidated)
    next(li for li in statement["lines"] if li["code"] == "219")["amount"] = "1.00"
    statement["currency"] = "EUR"
    group = {**group_of(parent, statement), "currency": "EUR"}
    found = [
        i
        for i in brg_validation.check(parent, today=TODAY, group=group)
        if i.message.startswith("Konsernregnskap: ")
    ]
    assert {(i.rule_id, i.severity) for i in found} == {
        ("SUM_219", "error"),
        ("MYK_VAL_34984", "warning"),
    }
    # the company's own form has neither
    assert {"SUM_219", "MYK_VAL_34984"}.isdisjoint(rule_ids(parent))


def test_no_full_time_equivalents_asked_of_the_group_form(parent, consolidated):
    """VAL_37467 is for regnskapstype S only; MYK_VAL_7071 does not run with minorities."""
    found = brg_validation.check(parent, today=TODAY, group=group_of(parent, consolidated))
    assert not [i for i in found if i.message.startswith("Konsernregnskap: ")]


def test_the_group_form_is_valid_against_the_xsd(parent, consolidated):
    xml = brg_xml.build_underskjema(group_of(parent, consolidated))
    assert brg_validation.validate_xsd("underskjema", xml) == []
    assert b'<regnskapstype orid="25942">K</regnskapstype>' in xml
    assert b'<aarets orid="7717">10000</aarets>' in xml  # minority interests in the result
    assert b'<aarets orid="33415">370000</aarets>' in xml
    assert b'<aarets orid="29045">32000</aarets>' in xml
