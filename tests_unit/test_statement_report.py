"""The statements and notes as the PDF prints them and the form shows them."""

from tools import statement_report as report


def line(key, kind, label, code=None, prior=None, amount=None, prior_amount=None, level=1):
    section, row = key.split("-")
    return {
        "key": key,
        "section": section,
        "row": int(row),
        "kind": kind,
        "label": label,
        "level": level,
        "bold": kind == "sum",
        "code": code,
        "prior_code": prior,
        "amount": amount,
        "prior_amount": prior_amount,
    }


SNAPSHOT = {
    "lines": [
        line("RES-10", "header", "Driftsinntekter", level=0),
        line("RES-20", "line", "Salgsinntekt", "1340", "7965", "200000.40", "150000.00"),
        line("RES-30", "line", "Annen driftsinntekt", "7709", "7966", "-1234567.50", "0.00"),
        line("RES-35", "header", "Finans", level=0),
        line("RES-36", "line", "Renteinntekt", "1400", "7967", "0.00", "0.00"),
        line("RES-38", "header", "Resultat", level=0),
        line("RES-40", "sum", "Årsresultat", "172", "7995", "-1034567.10", "150000.00"),
        line("BAL-10", "header", "Eiendeler", level=0),
        line("BAL-20", "sum", "Sum eiendeler", "219", "7996", "0.00", "0.00"),
        line("BAL-30", "sum", "Sum egenkapital og gjeld", "251", "7997", "0.00", "0.00"),
    ]
}


def test_two_sections_zeros_left_out_headers_only_above_a_printed_line():
    sections = report.report_sections(SNAPSHOT, {"1340": [3, 1]})
    assert [s["title"] for s in sections] == ["Resultatregnskap", "Balanse"]
    income, balance = (
        [(x["label"], x["amount"], x["prior_amount"], x["notes"]) for x in s["lines"]]
        for s in sections
    )
    assert income == [
        ("Driftsinntekter", "", "", ""),
        ("Salgsinntekt", "200 000", "150 000", "1, 3"),  # the notes on it, in number order
        ("Annen driftsinntekt", "-1 234 568", "0", ""),  # half up, away from zero
        ("Resultat", "", "", ""),  # "Finans" heads nothing printed
        # sums are computed from the rounded lines: 200 000 - 1 234 568
        ("Årsresultat", "-1 034 568", "150 000", ""),
    ]
    # total equity and debt is zero but always filed, so always printed
    assert balance == [
        ("Eiendeler", "", "", ""),
        ("Sum eiendeler", "0", "0", ""),
        ("Sum egenkapital og gjeld", "0", "0", ""),
    ]
    assert [x["bold"] for x in sections[0]["lines"]] == [False, False, False, False, True]
    assert [x["header"] for x in sections[0]["lines"]] == [True, False, False, True, False]


def test_whole_kroner_the_norwegian_way():
    assert report.format_kroner("1234567.49") == "1 234 567"
    assert report.format_kroner("-1234567.50") == "-1 234 568"  # halves away from zero
    assert report.format_cell("500000.00") == "500 000"
    assert report.format_cell("Lønninger") == "Lønninger"


def test_printed_note_rounds_table_amounts_only():
    note = {
        "body_type": "table",
        "body": {"columns": ["", "2025"], "rows": [["Lønninger", "500000.00"]]},
    }
    assert report.printed_note(note)["body"]["rows"] == [["Lønninger", "500 000"]]
    text = {"body_type": "text", "body": "500000.00"}
    assert report.printed_note(text) is text
