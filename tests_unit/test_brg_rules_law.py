"""The checks the law requires before filing (tools/brg_rules_law.py), each tripped on the
operating AS of the fixtures with its figures changed by hand; the paragraph is in each test."""

from datetime import date

import pytest
from test_brg_xml import load_filing

from tools import brg_rules_law, brg_validation

TODAY = date(2026, 6, 1)


def rule_ids(filing):
    return {i.rule_id: i.severity for i in brg_validation.check(filing, today=TODAY)}


def set_line(filing, code, amount=None, prior=None):
    line = next(li for li in filing["statement"]["lines"] if li["code"] == code)
    if amount is not None:
        line["amount"] = amount
    if prior is not None:
        line["prior_amount"] = prior


# ----------------------------------------------------------------------------------------------
# val_756 against the registered organisation form; val_18 against the Altinn party
# ----------------------------------------------------------------------------------------------


def test_org_form_against_the_registered_one():
    entry = {
        "organisasjonsnummer": "914778271",
        "organisasjonsform": {"kode": "AS", "beskrivelse": "Aksjeselskap"},
    }
    assert brg_rules_law.propose_org_form(entry)["value"] == "AS"
    assert brg_rules_law.propose_org_form({})["value"] is None
    assert brg_rules_law.check_org_form("AS", "AS") is False
    assert brg_rules_law.check_org_form("AS", None) is False  # nothing registered to compare
    assert brg_rules_law.check_org_form("AS", "ENK") is True
    filing = load_filing("operating_as")
    filing["company"]["registered_org_form"] = "ENK"
    [found] = [i for i in brg_validation.check(filing, today=TODAY) if i.rule_id == "VAL_756"]
    assert found.message.startswith("Organisasjonsformen som er lagt inn avviker")
    filing["company"].update(registered_org_form="AS", instance_owner_orgnr="987654325")
    assert rule_ids(filing).get("val_18") == "error" and "VAL_756" not in rule_ids(filing)


# ----------------------------------------------------------------------------------------------
# Audit opt-out: aksjeloven § 7-6 on last year's accounts
# ----------------------------------------------------------------------------------------------


def test_audit_opt_out_within_the_thresholds():
    filing = load_filing("operating_as")  # last year: revenue 3 900 000, balance 1 931 400
    found = brg_rules_law.audit_opt_out(filing)
    assert (found["allowed"], found["next_year_audited"]) == (True, False)
    assert "LAW_ASL_7_6" not in rule_ids(filing)


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        # driftsinntekter 6 987 500 + 12 500 = 7 000 000: not below the threshold
        (lambda f: set_line(f, "1340", prior="6987500.00"), False),
        (lambda f: set_line(f, "1340", prior="6987499.00"), True),  # 6 999 999
        (lambda f: set_line(f, "786", prior="25785000.00"), False),  # balance sum 27 000 000
        (lambda f: f.update(prior_full_time_equivalents="10.5"), False),  # more than ten
        (lambda f: f.update(prior_full_time_equivalents="10"), True),
    ],
)
def test_audit_opt_out_refused_above_the_thresholds(change, allowed):
    filing = load_filing("operating_as")
    set_line(filing, "7709", prior="12500.00")  # last year's other operating income
    change(filing)
    assert brg_rules_law.audit_opt_out(filing)["allowed"] is allowed
    assert ("LAW_ASL_7_6" in rule_ids(filing)) is not allowed


def test_audit_opt_out_thresholds_before_2023_and_next_year():
    filing = load_filing("operating_as")
    filing["period"] = {"year": 2022, "start": "2022-01-01", "end": "2022-12-31"}
    filing["approval"]["date"] = "2023-05-20"
    set_line(filing, "1340", prior="6500000.00")  # above 2022's 6 000 000, below today's 7 M
    assert rule_ids(filing).get("LAW_ASL_7_6") == "error"
    filing = load_filing("operating_as")
    set_line(filing, "1340", amount="7200000.40")  # this year above: § 7-6 (3), audit next year
    assert rule_ids(filing).get("LAW_ASL_7_6_3") == "warning"


def test_first_year_cannot_be_checked_on_last_years_accounts():
    filing = load_filing("operating_as")
    for line in filing["statement"]["lines"]:
        if line.get("prior_amount") is not None:
            line["prior_amount"] = "0.00"
    assert brg_rules_law.audit_opt_out(filing)["allowed"] is None


# ----------------------------------------------------------------------------------------------
# Small enterprise: regnskapsloven § 1-6
# ----------------------------------------------------------------------------------------------


def test_an_asa_is_never_a_small_enterprise():
    filing = load_filing("operating_as")
    filing["company"]["org_form"] = "ASA"
    filing["audit"] = {}
    filing["attachments"] = [{"name": "revisjonsberetning.pdf", "kind": "auditors_report"}]
    assert rule_ids(filing).get("LAW_RSKL_1_6") == "error"
    filing["rules"]["small_enterprise"] = False
    assert "LAW_RSKL_1_6" not in rule_ids(filing)


def test_small_enterprise_only_within_two_of_three_limits_two_years_running():
    filing = load_filing("operating_as")
    # Sales 170 000 000 and balance 85 000 000 this year and last: above 168 M and 84 M twice.
    set_line(filing, "1340", amount="170000000.00", prior="170000000.00")
    set_line(filing, "786", amount="83760000.00", prior="83070000.00")
    filing["audit"]["not_audited"] = False
    filing["attachments"] = [{"name": "revisjonsberetning.pdf", "kind": "auditors_report"}]
    found = brg_rules_law.small_enterprise(filing)
    assert found["allowed"] is False and len(found["reasons"]) == 4
    assert rule_ids(filing).get("LAW_RSKL_1_6") == "error"
    set_line(filing, "786", prior="1000000.00")  # last year only one limit exceeded
    assert brg_rules_law.small_enterprise(filing)["allowed"] is True
    filing["period"] = {"year": 2023, "start": "2023-01-01", "end": "2023-12-31"}
    set_line(filing, "1340", amount="71000000.00", prior="71000000.00")
    set_line(filing, "786", amount="35000000.00", prior="35000000.00")
    assert brg_rules_law.small_enterprise(filing)["allowed"] is False  # 2023: 70 M and 35 M


# ----------------------------------------------------------------------------------------------
# The auditor's report, answers, and full-time equivalents beside salaries
# ----------------------------------------------------------------------------------------------


def test_audited_accounts_need_the_auditors_report():
    filing = load_filing("operating_as")
    filing["audit"]["not_audited"] = False
    filing["attachments"] = [{"name": "Årsregnskap_2025.pdf", "kind": "annual_accounts"}]
    assert rule_ids(filing).get("LAW_RSKL_8_2") == "error"  # the product's PDF is not one
    filing["attachments"] = ["revisjonsberetning.pdf"]  # a bare name says nothing of its kind
    assert "LAW_RSKL_8_2" in rule_ids(filing) and "VAL_FileAttachments" not in rule_ids(filing)
    filing["attachments"] = [{"name": "revisjonsberetning.pdf", "kind": "auditors_report"}]
    assert "LAW_RSKL_8_2" not in rule_ids(filing)
    assert brg_rules_law.required_attachments(filing) == [
        {"kind": "auditors_report", "rule_id": "LAW_RSKL_8_2", "reason": "audited"}
    ]


def test_unanswered_questions_are_errors_not_nei():
    filing = load_filing("operating_as")
    filing["audit"]["prepared_by_authorised_accountant"] = None
    del filing["note_values"]["going_concern_uncertain"]
    found = rule_ids(filing)
    assert found["ANSWER_34670"] == "error" and found["ANSWER_37443"] == "error"
    filing["company"]["org_form"] = "ENK"  # only an AS answers 34670
    filing["audit"] = {}
    assert "ANSWER_34670" not in rule_ids(filing)


def test_zero_full_time_equivalents_beside_salaries_is_questioned():
    filing = load_filing("operating_as")  # salaries 1 800 000
    filing["note_values"]["full_time_equivalents"] = "0"
    assert rule_ids(filing)["LAW_RSKL_7_43"] == "warning"
    assert "LAW_RSKL_7_43" not in rule_ids(load_filing("no_employees_as"))
