"""The simulator's own BRG checks, on field values and hand-written documents."""

import pytest
from test_altinn_support import CLIENT_ORGNR, brg_environment, hovedskjema, underskjema

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


def forms(hoved=None, *unders):
    """``check_filing``'s forms: the Hovedskjema, then each Underskjema in order."""
    hoved = hovedskjema() if hoved is None else hoved
    unders = unders or (underskjema(),)
    return [("Hovedskjema", "h", hoved)] + [
        ("Underskjema", f"u{number}", content) for number, content in enumerate(unders)
    ]


def test_brgs_own_tt02_documents_pass():
    """BRG's Postman environment: the Hovedskjema, company and group accounts it files in
    TT02 (with altinnRowId attributes and elements the published XSD lacks) pass, once the
    company is a parent: as written (morselskap nei, konsernregnskap ja) BRG's own
    VAL_25943 and RR-0002-U row 32 refuse the group accounts."""
    env = brg_environment()
    hoved = env["hovedskjema_innhold"].encode()
    company, group = (
        env["selskapsregnskap_innhold"].encode(),
        env["konsernregnskap_innhold"].encode(),
    )
    as_written = brg_checks.check_filing(forms(hoved, company, group), "312999358", 2)[0]
    assert [i["code"] for i in as_written] == ["VAL_Konsernregnskap_ikke_mor"]
    parent = hoved.replace(b'orid="4168">nei', b'orid="4168">ja')
    issues, fields = brg_checks.check_filing(forms(parent, company, group), "312999358", 2)
    assert [i for i in issues if i["severity"] == 1] == []
    assert fields["18"] == "312999358" and fields["25942"] == "S"


def test_a_form_never_uploaded_gives_brgs_required_field_errors():
    no_hovedskjema = {i["code"] for i in brg_checks.check_filing(forms(b""), CLIENT_ORGNR, 0)[0]}
    assert {"VAL_17103", "VAL_FileAttachments"} == no_hovedskjema  # no small-enterprise ja
    nothing = brg_checks.check_filing(forms(b"", b""), CLIENT_ORGNR, 0)[0]
    assert {"VAL_172", "VAL_219", "VAL_251", "VAL_17103"} <= {i["code"] for i in nothing}


def test_group_accounts_go_with_konsernregnskap_ja_only():
    """BRG's RR-0002-U Datavalideringer, rows 31 and 32."""
    group = underskjema().replace(b'orid="25942">S<', b'orid="25942">K<')
    parent = hovedskjema(parent=True, group_accounts=True)

    def found(*documents):
        return {i["code"] for i in brg_checks.check_filing(forms(*documents), CLIENT_ORGNR, 0)[0]}

    assert found(parent, underskjema(), group) == set()
    assert found(parent, underskjema()) == {"VAL_Konsernregnskap"}
    assert found(hovedskjema(), underskjema(), group) == {"VAL_Konsernregnskap_ikke_mor"}
    # the group's figures do not stand in for the company's
    _issues, fields = brg_checks.check_filing(
        forms(parent, underskjema(assets=700), group.replace(b">900000<", b">1<")), CLIENT_ORGNR, 0
    )
    assert fields["219"] == "700"
