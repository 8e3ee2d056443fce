"""The two BRG documents built from the fixture filings: XSD, golden files, round trip."""

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_snapshot import snapshot as ledger_snapshot
from lxml import etree
from test_brg_schema import tree_file_paths

from tools import brg_validation, brg_xml
from tools.brg_formulas import FORMULAS, evaluate
from tools.brg_underskjema import kroner, statement_figures

HERE = Path(__file__).resolve().parent
FIXTURES = ("operating_as", "holding_as", "loss_as", "no_employees_as")
H_NS = "http://schema.brreg.no/regnsys/aarsregnskap_vanlig"
U_NS = H_NS + "/underskjema"


def load_filing(name):
    return json.loads((HERE / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def assert_xml_tree_equal(actual, expected, path=""):
    """Compare two XML documents (bytes or elements) element by element, ignoring whitespace
    between elements and comments."""
    if isinstance(actual, bytes):
        parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
        actual, expected = etree.fromstring(actual, parser), etree.fromstring(expected, parser)
    here = f"{path}/{etree.QName(expected).localname}"
    assert actual.tag == expected.tag, f"{path}: {actual.tag} != {expected.tag}"
    assert dict(actual.attrib) == dict(expected.attrib), f"{here}: attributes differ"
    assert (actual.text or "").strip() == (expected.text or "").strip(), f"{here}: text differs"
    actual_tags = [etree.QName(c).localname for c in actual]
    expected_tags = [etree.QName(c).localname for c in expected]
    assert actual_tags == expected_tags, f"{here}: children differ"
    for actual_child, expected_child in zip(actual, expected, strict=True):
        assert_xml_tree_equal(actual_child, expected_child, here)


def by_orid(xml):
    """{orid: (element path without root, text)} of a built document."""
    root = etree.fromstring(xml)
    found = {}
    for element in root.iter():
        if "orid" in element.attrib:
            names = [etree.QName(e).localname for e in element.iterancestors()][::-1][1:]
            names.append(etree.QName(element).localname)
            found[element.get("orid")] = (tuple(names), element.text)
    return found


# ----------------------------------------------------------------- schema validity


@pytest.mark.parametrize("name", FIXTURES)
def test_both_documents_validate_against_the_xsds(name):
    filing = load_filing(name)
    assert brg_validation.validate_xsd("hovedskjema", brg_xml.build_hovedskjema(filing)) == []
    assert brg_validation.validate_xsd("underskjema", brg_xml.build_underskjema(filing)) == []


def test_xsd_validation_reports_a_broken_document():
    xml = brg_xml.build_underskjema(load_filing("operating_as"))
    broken = xml.replace(b'orid="172">296400', b'orid="172">296400.5')
    assert brg_validation.validate_xsd("underskjema", broken)
    assert brg_validation.validate_xsd("underskjema", b"<melding")


# ----------------------------------------------------------------- golden files


@pytest.mark.parametrize("kind", ["hovedskjema", "underskjema"])
def test_operating_as_matches_golden_file(kind):
    build = {"hovedskjema": brg_xml.build_hovedskjema, "underskjema": brg_xml.build_underskjema}
    actual = build[kind](load_filing("operating_as"))
    expected = (HERE / "golden" / f"operating_as_{kind}.xml").read_bytes()
    assert actual.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert_xml_tree_equal(actual, expected)


def test_assert_xml_tree_equal_can_fail():
    golden = (HERE / "golden" / "operating_as_hovedskjema.xml").read_bytes()
    with pytest.raises(AssertionError):
        assert_xml_tree_equal(golden.replace(b">nei<", b">ja<"), golden)


# ----------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", FIXTURES)
def test_every_non_zero_figure_is_at_its_orid(name):
    filing = load_filing(name)
    found = by_orid(brg_xml.build_underskjema(filing))
    tree_paths = tree_file_paths()
    expected = {}
    for line in filing["statement"]["lines"]:
        for code, amount in (
            (line["code"], line["amount"]),
            (line["prior_code"], line["prior_amount"]),
        ):
            if code and abs(Decimal(amount)) >= Decimal("0.5"):
                expected[code] = str(kroner(amount))
    for code, text in expected.items():
        assert found[code] == (tree_paths[code], text), code


def test_rounding_to_whole_kroner_half_up():
    found = by_orid(brg_xml.build_underskjema(load_filing("operating_as")))
    assert found["1340"][1] == "4200000"  # 4 200 000.40
    assert found["7709"][1] == "12501"  # 12 500.50
    assert found["82"][1] == "452501"  # 452 500.90
    assert found["17126"][1] == "3812501"  # 3 812 500.90
    assert [kroner(v) for v in ("0.49", "0.50", "-0.50", "-1.49", Decimal("2.5"))] == [
        0,
        1,
        -1,
        -1,
        3,
    ]


def test_filed_sums_are_the_sums_of_the_filed_lines():
    # Sales 100.40 (3000) and other income 100.40 (3600), paid to the bank (1920) and still
    # owed by a customer (1500). Each line rounds to 100, so the filed total income is 200 (not
    # the 201 of rounding 200.80), total assets 200, and the unallocated result in other equity
    # (200.80 -> 201) takes the krone of rounding difference so the balance sheet balances.
    shot = ledger_snapshot(
        [
            (
                date(2025, 3, 1),
                [("1920", "100.40"), ("1500", "100.40"), ("3000", "-100.40"), ("3600", "-100.40")],
            )
        ],
        2025,
    )
    figures = statement_figures(shot)  # what the XML files and the PDF prints
    assert (figures["1340"], figures["7709"], figures["72"]) == (100, 100, 200)
    assert (figures["219"], figures["251"], figures["3274"]) == (200, 200, 200)
    found = by_orid(brg_xml.build_underskjema(dict(load_filing("operating_as"), statement=shot)))
    assert (found["72"][1], found["219"][1], found["251"][1]) == ("200", "200", "200")
    for code, formula in FORMULAS.items():
        if code in figures:
            assert figures[code] == evaluate(formula, figures), code


def test_zero_lines_are_left_out_but_required_totals_stay():
    filing = load_filing("loss_as")
    found = by_orid(brg_xml.build_underskjema(filing))
    assert "11835" not in found and "11836" not in found  # tax 0 both years
    assert "3274" not in found and found["7140"][1] == "50000"  # other equity 0 this year only
    assert "7966" not in by_orid(brg_xml.build_underskjema(load_filing("operating_as")))
    emptied = copy.deepcopy(filing)
    for line in emptied["statement"]["lines"]:
        line["amount"] = line["prior_amount"] = "0.00"
    found = by_orid(brg_xml.build_underskjema(emptied))
    assert {code: text for code, (_, text) in found.items() if code in ("172", "219", "251")} == {
        "172": "0",
        "219": "0",
        "251": "0",
    }
    assert "1340" not in found


def test_header_and_allocations():
    found = by_orid(brg_xml.build_underskjema(load_filing("holding_as")))
    assert [found[o][1] for o in ("25942", "34984", "28974")] == ["S", "NOK", "H"]
    # received group contribution is filed positive; BRG's 7071 formula subtracts it
    assert found["6113"][1] == "500000"
    assert found["7071"][1] == "160360"
    loss = by_orid(brg_xml.build_underskjema(load_filing("loss_as")))
    assert loss["185"][1] == "-110000" and loss["249"][1] == "110000"


def test_note_numbers_on_lines_and_structured_notes():
    found = by_orid(brg_xml.build_underskjema(load_filing("operating_as")))
    assert found["18239"][1] == "2"  # lønnskostnad
    assert found["18562"][1] == "3" and found["18247"][1] == "3"  # driftsløsøre, avskrivning
    assert found["18581"][1] == "5" and found["18125"][1] == "5"  # share capital, other equity
    assert found["39009"][1] == "1"  # accounting principles
    assert found["39016"][1] == "2" and found["39022"][1] == "2"  # FTE and salary spec
    assert found["37467"][1] == "3.5"
    assert [found[o][1] for o in ("37525", "37527", "37529", "37531", "37533")] == [
        "1450000",
        "204450",
        "30000",
        "115550",
        "1800000",
    ]
    assert found["37443"][1] == "false"
    assert found["37551"][0][-1] == "noteYtterligereOpplysninger"


def test_a_line_documented_by_two_notes_gets_both_numbers():
    filing = load_filing("operating_as")
    filing["notes"].append({"note_number": 6, "key": "pensjon", "line_codes": ["81"]})
    found = by_orid(brg_xml.build_underskjema(filing))
    assert found["18239"][1] == "2, 6"


def test_note_number_on_a_line_with_last_year_figure_only():
    filing = load_filing("loss_as")
    filing["notes"].append({"note_number": 4, "key": "egenkapital", "line_codes": ["3274"]})
    found = by_orid(brg_xml.build_underskjema(filing))
    assert "3274" not in found and found["18125"][1] == "4"
    filing["notes"][-1]["line_codes"] = ["11835"]  # zero both years: no element, no note
    assert "18259" not in by_orid(brg_xml.build_underskjema(filing))


def test_going_concern_and_no_employees():
    loss = by_orid(brg_xml.build_underskjema(load_filing("loss_as")))
    assert loss["37443"][1] == "true"
    assert loss["37444"][1].startswith("Egenkapitalen er tapt")
    assert loss["39010"][1] == "2"
    empty = by_orid(brg_xml.build_underskjema(load_filing("no_employees_as")))
    assert empty["37467"][1] == "0"
    assert "37525" not in empty


def test_non_ascii_survives_both_documents():
    filing = load_filing("operating_as")
    hoved = by_orid(brg_xml.build_hovedskjema(filing))
    assert hoved["1"][1] == "Fjordlys Rørlegger Ærlig & Sønn AS"
    assert hoved["19023"][1] == "Åse Kjølås Ødegård"
    assert hoved["19022"][1] == "okonomi@fjordlys-rør.no"
    assert "Særlige" in by_orid(brg_xml.build_underskjema(filing))["37551"][1]
    assert "Ørsta Øko Kafé AS".encode() in brg_xml.build_hovedskjema(load_filing("loss_as"))


def test_characters_xml_forbids_are_left_out_not_fatal():
    """A control character in a stored text (a pasted note, a company name) does not break the
    build: lxml refuses such text, the builders drop it."""
    filing = load_filing("operating_as")
    filing["company"]["name"] = "Fjordlys\x0b AS\x00"
    filing["note_values"]["further_information"] = "Særlige\x1f forhold\ufffe\tok"
    hoved, under = brg_xml.build_hovedskjema(filing), brg_xml.build_underskjema(filing)
    assert by_orid(hoved)["1"][1] == "Fjordlys AS"
    assert by_orid(under)["37551"][1] == "Særlige forhold\tok"
    assert brg_validation.validate_xsd("hovedskjema", hoved) == []
    assert brg_validation.validate_xsd("underskjema", under) == []


def test_hovedskjema_answers():
    found = by_orid(brg_xml.build_hovedskjema(load_filing("holding_as")))
    assert found["4168"][1] == "ja" and found["25943"][1] == "nei"
    assert "36640" not in found
    filing = load_filing("operating_as")
    filing["system"] = {"name": "Odoo årsregnskap for norske selskaper", "version": "18.0.1.2.3"}
    filing["liquidation_accounts"] = True
    found = by_orid(brg_xml.build_hovedskjema(filing))
    # 37 characters of name + ", versjon " (10) leaves 3 of the version
    assert found["39007"][1] == "Odoo årsregnskap for norske selskaper, versjon 18."
    assert len(found["39007"][1]) == 50
    assert found["40314"][1] == "true"


def test_unanswered_required_question_fails_the_xsd_instead_of_defaulting():
    filing = load_filing("operating_as")
    filing["group"]["parent_company"] = None
    xml = brg_xml.build_hovedskjema(filing)
    assert "4168" not in by_orid(xml)
    assert brg_validation.validate_xsd("hovedskjema", xml)
