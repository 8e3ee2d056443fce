"""BRG's validations on the filing data: each implemented rule is tripped once."""

from collections import Counter
from datetime import date

import pytest
from conftest import MODULE_ROOT, SHARED
from test_brg_xml import FIXTURES, load_filing

from tools import brg_validation

TODAY = date(2026, 6, 1)


def issues_of(filing):
    return brg_validation.check(filing, today=TODAY)


def line(filing, code):
    return next(li for li in filing["statement"]["lines"] if li["code"] == code)


def drop_line(filing, code):
    filing["statement"]["lines"].remove(line(filing, code))


def set_amount(filing, code, amount):
    line(filing, code)["amount"] = amount


# The holding company opted out of audit as a parent: aksjeloven § 7-6 (1) wants the group's
# figures below the thresholds, which the filing cannot show (a warning to read).
EXPECTED_WARNINGS = {"holding_as": ["LAW_ASL_7_6_GROUP"]}


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_filings_pass(name):
    found = issues_of(load_filing(name))
    assert [i.rule_id for i in found] == EXPECTED_WARNINGS.get(name, [])
    assert {i.severity for i in found} <= {"warning"}


def _set(path, value):
    """A mutation that sets filing[a][b] (or filing[a]) to value."""

    def mutate(filing):
        *parents, key = path.split(".")
        target = filing
        for parent in parents:
            target = target[parent]
        target[key] = value

    return mutate


def _all(*mutations):
    def mutate(filing):
        for mutation in mutations:
            mutation(filing)

    return mutate


# (rule id, severity, mutation of the operating AS fixture)
CASES = [
    ("ORGNR", "error", _set("company.orgnr", "914778272")),
    ("ORGNR", "error", _set("company.orgnr", "91477827")),
    ("VAL_756", "error", _set("company.org_form", "LLC")),
    ("VAL_19022", "error", _set("contact_email", "post.fjordlys.no")),
    ("_MYK_VAL_35172", "warning", _set("country_by_country_report", True)),
    ("VAL_17102", "error", _set("period.year", None)),
    ("VAL_17102", "error", _set("period.year", 1979)),
    ("VAL_17103", "error", _set("period.start", None)),
    (
        "VAL_17103",
        "error",
        _set("period", {"year": 1979, "start": "1979-06-01", "end": "1980-05-31"}),
    ),
    ("VAL_17104", "error", _set("period.end", None)),
    (
        "VAL_17104",
        "error",
        _set("period", {"year": 1979, "start": "1979-01-01", "end": "1979-12-31"}),
    ),
    ("VAL_17104", "error", _set("period.end", "2026-06-30")),
    ("VAL_17104", "error", _set("period.end", "2024-12-31")),
    ("VAL_17104", "error", _set("period.start", "2024-06-29")),  # 550 days
    (
        "MYK_VAL_17104",
        "warning",
        _set("period", {"year": 2025, "start": "2024-12-01", "end": "2025-11-30"}),
    ),
    ("_MYK_VAL_17103", "warning", _set("period.start", "2025-02-01")),
    ("VAL_4168", "error", _set("group.parent_company", None)),
    (
        "VAL_4168",
        "error",
        _all(_set("company.org_form", "ENK"), _set("group.parent_company", True)),
    ),
    ("VAL_25943", "error", _set("group.parent_company", True)),
    ("VAL_25943", "error", _set("group.group_accounts", True)),
    ("VAL_36640", "error", _set("group.foreign_group", True)),
    ("VAL_8079", "error", _set("rules.small_enterprise", None)),
    ("_MYK_VAL_8079", "warning", _set("rules.small_enterprise", False)),
    ("VAL_25021", "error", _set("rules.ifrs", None)),
    ("_MYK_VAL_25021", "warning", _set("rules.ifrs", True)),
    ("VAL_36639", "error", _all(_set("rules.ifrs", True), _set("rules.simplified_ifrs", True))),
    ("_MYK_VAL_36639", "warning", _set("rules.simplified_ifrs", True)),
    (
        "VAL_RegnskapsoppsettKonsernIFRS",
        "error",
        _all(_set("group.parent_company", True), _set("group.group_accounts", True)),
    ),
    (
        "_MYK_VAL_25945",
        "warning",
        _all(
            _set("group.parent_company", True),
            _set("group.group_accounts", True),
            _set("rules.group_ifrs", True),
        ),
    ),
    (
        "VAL_36641",
        "error",
        _all(_set("rules.group_ifrs", True), _set("rules.group_simplified_ifrs", True)),
    ),
    ("_MYK_VAL_36641", "warning", _set("rules.group_simplified_ifrs", True)),
    ("VAL_17105", "error", _set("approval.date", None)),
    ("VAL_17105", "error", _set("approval.date", "2026-06-02")),
    ("VAL_17105", "error", _set("approval.date", "2025-12-31")),
    ("VAL_19023", "error", _set("approval.confirmed_by", "")),
    ("VAL_34669", "error", _set("audit.not_audited", None)),
    ("VAL_34669", "error", _set("company.org_form", "ANS")),
    ("VAL_34670", "error", _set("company.org_form", "DA")),
    ("VAL_34671", "error", _set("company.org_form", "ENK")),
    ("VAL_FileAttachments", "error", _set("audit.not_audited", False)),
    ("VAL_FileAttachments", "error", _set("company.org_form", "ASA")),
    ("VAL_FileAttachments", "error", _set("rules.small_enterprise", False)),
    ("VAL_34984", "error", _all(_set("currency", None), _set("statement.currency", None))),
    ("MYK_VAL_34984", "warning", _set("currency", "EUR")),
    ("VAL_172", "error", lambda f: drop_line(f, "172")),
    ("VAL_172", "error", lambda f: set_amount(f, "172", None)),
    ("VAL_219", "error", lambda f: drop_line(f, "219")),
    ("VAL_251", "error", lambda f: drop_line(f, "251")),
    # the filed sums are computed from the filed lines: a leaf has to move (3 kroner off)
    ("MYK_VAL_251", "warning", lambda f: set_amount(f, "236", "75003.00")),
    ("MYK_VAL_7071", "warning", lambda f: set_amount(f, "7065", "196397.00")),
    (
        "MYK_VAL_9686",
        "warning",
        _all(_set("group.parent_company", True), _set("group.group_accounts", True)),
    ),
    ("MYK_VAL_20488", "warning", lambda f: drop_line(f, "20488")),
    ("MYK_VAL_20488", "warning", lambda f: set_amount(f, "20488", "29999.00")),
    ("MYK_VAL_20488", "warning", _set("company.org_form", "ASA")),
    ("SUM_72", "error", lambda f: set_amount(f, "72", "4212500.00")),
    ("SUM_7071", "error", lambda f: set_amount(f, "6112", "100001.00")),
    ("VAL_37444", "error", _set("note_values.going_concern_uncertain", True)),
    ("VAL_37467", "error", _set("note_values.full_time_equivalents", None)),
    ("VAL_37467", "error", _set("note_values.full_time_equivalents", "-1")),
]


@pytest.mark.parametrize(("rule_id", "severity", "mutate"), CASES)
def test_rule_trips(rule_id, severity, mutate):
    filing = load_filing("operating_as")
    mutate(filing)
    found = [i for i in issues_of(filing) if i.rule_id == rule_id]
    assert found, f"{rule_id} not raised"
    assert {i.severity for i in found} == {severity}
    assert all(i.message and i.field for i in found)


def test_every_implemented_rule_has_a_case():
    documented = brg_validation.__doc__.split("Implemented:")[1].split("Not implemented:")[0]
    tested = {rule_id for rule_id, _, _ in CASES} | {"VAL_9686"}  # VAL_9686: test below
    for word in documented.replace(",", " ").split():
        if "VAL_" in word:
            assert word in tested, word


def test_val_9686_subsidiary_without_parent_company():
    filing = load_filing("holding_as")
    filing["group"] = {"parent_company": False, "group_accounts": None}
    assert [i.rule_id for i in issues_of(filing)] == ["VAL_9686"]


def test_soft_rules_warn_only():
    filing = load_filing("operating_as")
    filing["currency"] = "EUR"
    set_amount(filing, "236", "75002.00")  # 251 within BRG's 2 kroner: no MYK_VAL_251
    set_amount(filing, "7065", "196398.00")  # 7071 within 2 kroner of 172: no MYK_VAL_7071
    set_amount(filing, "20488", "20000.00")  # below the minimum, but figures in EUR
    set_amount(filing, "3274", "976400.00")  # the balance sheet still balances
    found = issues_of(filing)
    assert {i.rule_id for i in found if i.rule_id.startswith(("MYK", "_MYK"))} == {"MYK_VAL_34984"}
    assert all(i.severity == "warning" for i in found if "MYK_VAL" in i.rule_id)


def test_rules_that_do_not_apply():
    filing = load_filing("operating_as")
    filing["rules"]["small_enterprise"] = False
    filing["attachments"] = ["arsregnskap.pdf"]
    filing["note_values"]["full_time_equivalents"] = None  # only required for small enterprises
    filing["period"] = {"year": 2025, "start": "2024-12-01", "end": "2025-11-30"}
    filing["liquidation_accounts"] = True  # a liquidation may end on any day
    assert [i.rule_id for i in issues_of(filing)] == ["_MYK_VAL_8079"]


def test_period_of_exactly_549_days_is_allowed():
    filing = load_filing("operating_as")
    filing["period"]["start"] = "2024-07-01"  # 548 days to 2025-12-31
    assert "VAL_17104" not in {i.rule_id for i in issues_of(filing)}


def test_brg_message_wording():
    filing = load_filing("loss_as")
    filing["note_values"]["going_concern_text"] = ""
    (found,) = issues_of(filing)
    assert found.message == "Du må beskrive hvorfor det er usikkerhet om fortsatt drift."
    assert found.field == "37444"


def test_every_row_of_both_sheets_is_in_the_rules_table():
    sheets = {
        "RR-0002 Hovedskjema": "20251120_Designmal_RR-0002__Datavalideringer.tsv",
        "RR-0002-U Underskjema": "20250902_Designmal_-_RR-0002-U__Datavalideringer.tsv",
    }
    doc = (MODULE_ROOT / "docs" / "brg-validation-rules.md").read_text(encoding="utf-8")
    for title, name in sheets.items():
        path = SHARED / "specs" / "brreg" / "designmaler" / name
        rows = path.read_text(encoding="utf-8").splitlines()[1:]
        expected = Counter(row.split("\t")[0].strip() or "(unnamed)" for row in rows if row.strip())
        section = doc.split(f"## {title}")[1].split("\n## ")[0]
        listed = Counter(
            line.split("|")[1].strip()
            for line in section.splitlines()
            if line.startswith("| ") and not line.startswith(("| id ", "| ---"))
        )
        assert listed == expected, title
