from tools import notes


def snapshot(lines):
    return {
        "date_to": "2025-12-31",
        "lines": [
            {
                "key": k,
                "code": c,
                "kind": "line",
                "label": c,
                "amount": a,
                "prior_amount": p,
                "accounts": acc or [],
            }
            for k, c, a, p, acc in lines
        ],
    }


def test_notes_numbered_unanchored_first_then_by_line():
    shot = snapshot(
        [
            ("RES-90", "81", "0.00", "0.00", None),
            ("BAL-290", "282", "0.00", "0.00", None),
            ("BAL-450", "20488", "30000.00", "30000.00", None),
            ("BAL-460", "7131", "0.00", "0.00", None),
            ("BAL-540", "250", "10000.00", "40000.00", None),
        ]
    )
    keys = [(n["note_number"], n["key"]) for n in notes.generate_notes(shot)]
    assert keys == [
        (1, "regnskapsprinsipper"),
        (2, "fortsatt_drift"),  # 10000 < 30000 / 2
        (3, "lonnskostnader"),
        (4, "lan_ledende"),
        (5, "aksjekapital"),
        (6, "egne_aksjer"),
        (7, "egenkapital"),
    ]


def test_note_problems_name_what_is_wrong():
    assert notes.note_problems({"title": "A", "body_type": "text", "body": "x"}) == []
    assert notes.note_problems({"title": "", "body_type": "text", "body": "x"}) == [
        ("title_missing", {})
    ]
    table = {"title": "T", "body_type": "table", "body": {"columns": ["a"], "rows": [["1", "2"]]}}
    assert notes.note_problems(table) == [("row_width", {"row": 1, "width": 1})]
    assert notes.note_problems({"title": "T", "body_type": "x"}) == [
        ("unknown_body_type", {"body_type": "'x'"})
    ]
    assert notes.note_problems("text") == [("not_an_object", {})]


def test_salary_split_by_account_ranges():
    accounts = [
        {"code": "5000", "amount": "100.00", "prior_amount": "90.00"},
        {"code": "5400", "amount": "14.10", "prior_amount": "0.00"},
        {"code": "5950", "amount": "2.00", "prior_amount": "1.00"},
        {"code": "5990", "amount": "3.00", "prior_amount": "0.00"},
    ]
    split = notes.salary_split(snapshot([("RES-90", "81", "119.10", "91.00", accounts)]))
    assert {k: [str(v) for v in pair] for k, pair in split.items()} == {
        "salaries": ["100.00", "90.00"],
        "employer_tax": ["14.10", "0.00"],
        "pension": ["2.00", "1.00"],
        "other": ["3.00", "0.00"],
    }
