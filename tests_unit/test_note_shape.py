"""The shape check of a note: what the API and the model refuse, named by field."""

import pytest

from tools.amounts import MAX_AMOUNT
from tools.limits import MAX_INTEGER
from tools.note_shape import note_problems


def table(*rows, columns=("", "2025")):
    body = {"columns": list(columns), "rows": list(rows)}
    return {"title": "T", "body_type": "table", "body": body}


def test_a_valid_note_has_no_problems():
    assert note_problems({"title": "A", "body_type": "text", "body": "Linje 1\n\tLinje 2"}) == []
    assert note_problems(table(["Lønn", "-500000.00"], ["Sum", f"{MAX_AMOUNT:f}"])) == []
    assert note_problems({"title": "A", "body_type": "text", "note_number": MAX_INTEGER}) == []


@pytest.mark.parametrize("number", [0, -1, MAX_INTEGER + 1, 2**63, True, 1.0, "1"])
def test_note_number_fits_the_column(number):
    note = {"title": "A", "body_type": "text", "body": "", "note_number": number}
    assert note_problems(note) == [("note_number", {"max": MAX_INTEGER})]


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "a\x0bb", "\x1b[0m", "\uffff"])
@pytest.mark.parametrize("field", ["title", "key", "body", "footer_text"])
def test_texts_hold_only_characters_xml_allows(field, text):
    note = {"title": "A", "key": "k", "body_type": "text", "body": "b", field: text}
    assert ("forbidden_characters", {"field": field}) in note_problems(note)


def test_table_cells_are_strings_and_bounded_amounts():
    assert note_problems(table(["Lønn", float("nan")])) == [
        ("cell_not_string", {"field": "body.rows[0][1]"})
    ]
    assert note_problems(table(["Lønn", "1.00"], columns=("", 2025))) == [
        ("cell_not_string", {"field": "body.columns[1]"})
    ]
    too_large = f"{MAX_AMOUNT + 1:f}"
    assert note_problems(table(["Lønn", too_large])) == [
        ("amount_too_large", {"field": "body.rows[0][1]", "limit": f"{MAX_AMOUNT:f}"})
    ]
    assert note_problems(table(["Lønn\x00", "1.00"])) == [
        ("forbidden_characters", {"field": "body.rows[0][0]"})
    ]
    assert note_problems(table(["Lønn"])) == [("row_width", {"row": 1, "width": 2})]
    note = table()
    note["body"]["rows"] = "x"
    assert note_problems(note) == [("table_body_shape", {})]


def test_a_table_body_holds_nothing_but_columns_and_rows():
    # the API answers the body it stored: an extra key would come back beside the seed's shape
    body = {"columns": ["", "2025"], "rows": [["Lønn", "1.00"]], "company_id": 7}
    note = {"title": "Lønn", "body_type": "table", "body": body}
    assert ("table_body_shape", {}) in note_problems(note)
