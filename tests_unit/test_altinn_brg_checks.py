"""The simulator's own BRG checks, on field values and hand-written documents."""

import pytest
from test_altinn_support import CLIENT_ORGNR, hovedskjema, underskjema

from tools.altinn_simulator import brg_checks

BASE = {
    "18": CLIENT_ORGNR,
    "756": "AS",
    "8079": "ja",
    "34669": "ja",
    "17102": "2025",
    "17103": "2025-01-01",
    "17104": "2025-12-31",
    "172": "100",
    "7071": "100",
    "219": "500",
    "251": "500",
}


def codes(fields, attachments=0):
    return {
        i["code"]: i["severity"] for i in brg_checks.check_rules(fields, CLIENT_ORGNR, attachments)
    }


def test_a_clean_small_company_passes():
    assert codes(BASE) == {}


@pytest.mark.parametrize("orid", ["172", "219", "251"])
def test_required_amounts(orid):
    fields = {k: v for k, v in BASE.items() if k != orid}
    assert codes(fields)[f"VAL_{orid}"] == 1


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"251": "502"}, {}),
        ({"251": "503"}, {"MYK_VAL_251": 2}),
        ({"7071": "97"}, {"MYK_VAL_7071": 2}),
        ({"7071": "97", "33415": "90"}, {}),
    ],
)
def test_balance_and_allocation_within_two_kroner_are_soft(change, expected):
    assert codes({**BASE, **change}) == expected


@pytest.mark.parametrize(
    "change",
    [
        {"17103": "2024-01-01", "17104": "2025-12-31"},  # 24 months
        {"17103": "2026-01-01"},  # starts after it ends
        {"17103": "not a date"},
        {"17102": "2024"},
    ],
)
def test_inconsistent_periods(change):
    found = codes({**BASE, **change})
    assert len(found) == 1 and next(iter(found)).startswith("VAL_1710")


@pytest.mark.parametrize(
    "change, needs",
    [
        ({}, False),
        ({"8079": "nei"}, True),
        ({"756": "ASA"}, True),
        ({"34669": "nei"}, True),  # audited AS
        ({"756": "ENK", "34669": "nei"}, False),
        ({"36640": "ja"}, True),
    ],
)
def test_attachment_rules(change, needs):
    fields = {**BASE, **change}
    assert ("VAL_FileAttachments" in codes(fields)) is needs
    assert "VAL_FileAttachments" not in codes(fields, attachments=1)


def test_documents_are_checked_against_the_xsds():
    good = {"Hovedskjema": ("h", hovedskjema()), "Underskjema": ("u", underskjema())}
    assert brg_checks.check_filing(good, CLIENT_ORGNR, 0)[0] == []

    misplaced = underskjema().replace(b"<valuta", b"<valoer2").replace(b"</valuta>", b"</valoer2>")
    bad = {**good, "Underskjema": ("u", misplaced)}
    issues, _fields = brg_checks.check_filing(bad, CLIENT_ORGNR, 0)
    assert issues and {i["code"] for i in issues} == {"XsdValidation"}
    assert {i["dataElementId"] for i in issues} == {"u"}

    empty = {**good, "Hovedskjema": ("h", b"")}
    assert [i["code"] for i in brg_checks.check_filing(empty, CLIENT_ORGNR, 0)[0]] == ["Required"]
