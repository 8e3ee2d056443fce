"""Every note reaches BRG: in RR-0002-U's structured note fields where the note template has
them, otherwise in the note attachment. The notes are read as the user sees them."""

import csv
from datetime import date

from conftest import SHARED
from ledger_snapshot import snapshot as ledger_snapshot
from lxml import etree
from test_brg_xml import load_filing

from tools import brg_notes, brg_schema, brg_validation, brg_xml, notes
from tools.brg_underskjema import NOTE_FIELDS

NOTEMAL = SHARED / "specs/brreg/designmaler/20250821-notemal-med-orid__Notemal_lovlige_felter.tsv"
PERIOD = ("2025-01-01", "2025-12-31")


def salary_note(rows=None, **changes):
    note = {
        "note_number": 2,
        "key": "lonnskostnader",
        "title": "Lønnskostnader og antall årsverk",
        "body_type": "table",
        "body": {
            "columns": ["", "2025", "2024"],
            "rows": rows
            or [
                ["Lønninger", "500000.00", "450000.00"],
                ["Arbeidsgiveravgift", "70500.00", "63450.00"],
                ["Pensjonskostnader", "10000.00", "9000.00"],
                ["Andre ytelser", "0.00", "0.00"],
                ["Sum", "580500.00", "522450.00"],
            ],
        },
        "footer_text": "Selskapet har hatt 1 årsverk i regnskapsåret.",
    }
    return {**note, **changes}


def test_the_whole_note_template_is_mapped():
    with open(NOTEMAL, encoding="utf-8", newline="") as handle:
        template = {row["feltkode"] for row in csv.DictReader(handle, delimiter="\t")}
    template.discard("[NULL]")
    assert len(template) == 148
    mapped = {orid for orid, _kind in NOTE_FIELDS.values()}
    # 37539 ("has the company given loans or security to members?") is not in the XSD.
    assert template - mapped == {"37539"} and mapped <= template
    assert "37539" not in brg_schema.load("underskjema").by_orid


def test_an_edited_table_is_filed_as_edited_and_its_extra_rows_as_text():
    rows = [
        ["Lønninger", "510000.00", "450000.00"],  # edited by the user
        ["Arbeidsgiveravgift", "70500.00", "63450.00"],
        ["Pensjonskostnader", "10000.00", "9000.00"],
        ["Andre ytelser", "0.00", "0.00"],
        ["Bonus (inngår i lønn)", "25000.00", ""],  # a row the template has no field for
        ["Sum", "580500.00", "522450.00"],
    ]
    routed = brg_notes.route_notes([salary_note(rows)], PERIOD)
    values = routed["values"]
    assert values["salaries"] == "510000"
    # the total is the sum of the filed parts: 510 000 + 70 500 + 10 000 + 0
    assert values["salary_total"] == "590500" and values["salary_total_prior"] == "522450"
    assert values["salary_text"] == (
        "Bonus (inngår i lønn): 2025 25 000\nSelskapet har hatt 1 årsverk i regnskapsåret."
    )
    assert values["note_number_employees"] == values["note_number_salary_specification"] == "2"
    [placement] = routed["placement"]
    assert placement["home"] == "employees_and_salaries" and not routed["attachment_required"]
    assert {"salaries", "salary_text", "note_number_employees"} <= set(placement["fields"])


def test_notes_without_a_block_go_to_the_field_beyond_the_minimum():
    equity = {
        "note_number": 7,
        "key": "egenkapital",
        "title": "Egenkapital",
        "body_type": "table",
        "body": {
            "columns": ["", "Aksjekapital", "Sum"],
            "rows": [["Egenkapital 01.01.2025", "30000.00", "30000.00"]],
        },
    }
    own = {
        "note_number": 9,
        "key": "note_9",
        "title": "Hendelser etter balansedagen",
        "body_type": "text",
        "body": "Selskapet har kjøpt en ny bil.",
    }
    routed = brg_notes.route_notes([equity, own], PERIOD)
    assert routed["values"]["further_information"] == (
        "Note 7 Egenkapital\nEgenkapital 01.01.2025: Aksjekapital 30 000, Sum 30 000"
        "\n\nNote 9 Hendelser etter balansedagen\nSelskapet har kjøpt en ny bil."
    )
    assert routed["values"]["note_number_further_information"] == "7, 9"
    assert {p["home"] for p in routed["placement"]} == {"further_information"}


def test_a_note_too_long_for_its_field_goes_to_the_attachment():
    long_text = "Prinsipp. " * 1200  # 12 000 characters; regnskapsPrinsippFritekst holds 9 999
    principles = {
        "note_number": 1,
        "key": "regnskapsprinsipper",
        "title": "Regnskapsprinsipper",
        "body_type": "text",
        "body": long_text,
    }
    routed = brg_notes.route_notes([principles], PERIOD)
    assert routed["attachment_required"]
    assert routed["placement"][0]["home"] == "attachment"
    assert routed["placement"][0]["reason"] == "text_too_long"
    assert routed["values"]["accounting_principles"] == (
        "Note 1 Regnskapsprinsipper: se vedlagt årsregnskap."
    )
    # The filing then needs the Årsregnskap with the notes as a Vedlegg.
    filing = load_filing("operating_as")
    filing["notes"] = [principles]
    assert "NOTES_ATTACHMENT" in {i.rule_id for i in brg_validation.check(filing, date(2026, 6, 1))}
    filing["attachments"] = [{"name": "Årsregnskap_2025.pdf", "kind": "annual_accounts"}]
    assert "NOTES_ATTACHMENT" not in {
        i.rule_id for i in brg_validation.check(filing, date(2026, 6, 1))
    }


def test_every_generated_note_of_a_ledger_reaches_the_xml():
    ledger = [
        (date(2024, 1, 2), [("1920", 100000), ("2000", -100000)]),
        (date(2025, 3, 1), [("1920", 900000), ("3000", -900000)]),
        (date(2025, 6, 30), [("5000", 300000), ("5400", 42300), ("5950", 6000), ("1920", -348300)]),
        (date(2025, 4, 1), [("1250", 50000), ("1375", 10000), ("1920", -60000)]),
        (date(2025, 12, 31), [("6017", 10000), ("1250", -10000)]),
    ]
    shot = ledger_snapshot(ledger, 2025)
    answers = {
        "full_time_equivalents": "0.5",
        "going_concern_uncertain": False,
        "further_information": "Ingen særlige forhold.",
    }
    generated = notes.generate_notes(shot, answers)
    filed = notes.filing_notes(shot, answers, generated)
    assert not filed["attachment_required"]
    filing = load_filing("operating_as")
    filing.update(statement=shot, notes=generated, note_values=filed["values"])
    xml = brg_xml.build_underskjema(filing)
    assert brg_validation.validate_xsd("underskjema", xml) == []
    texts = {e.get("orid"): e.text for e in etree.fromstring(xml).iter() if e.get("orid")}
    for note in generated:  # each note is numbered in at least one block
        assert str(note["note_number"]) in " ".join(
            texts.get(NOTE_FIELDS[name][0], "") for name in NOTE_FIELDS if name.startswith("note_")
        ), note["key"]
    assert texts["39889"] == "10000"  # loan to a board member, from account 1375
    assert texts["37467"] == "0.5" and texts["37443"] == "false"
    assert "Ingen særlige forhold." in texts["37551"]


def test_repeating_items_are_one_element_each():
    filing = load_filing("operating_as")
    filing["note_values"].update(
        extraordinary_income_description=["Forsikringsoppgjør", "Erstatning"],
        extraordinary_income_amount=["250000.40", "10000"],
        extraordinary_income_total="260000",
    )
    xml = brg_xml.build_underskjema(filing)
    assert brg_validation.validate_xsd("underskjema", xml) == []
    ns = {"u": "http://schema.brreg.no/regnsys/aarsregnskap_vanlig/underskjema"}
    items = etree.fromstring(xml).findall(".//u:noteEkstraordnaereInntekter", ns)
    assert [[child.text for child in item] for item in items] == [
        ["Forsikringsoppgjør", "250000"],
        ["Erstatning", "10000"],
    ]
