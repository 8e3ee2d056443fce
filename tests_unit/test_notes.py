"""The notes of a small enterprise (regnskapsloven §§ 7-35 to 7-46) generated from ledgers,
with the expectations worked out by hand beside them; nothing the user has not answered is
stated."""

from datetime import date
from decimal import Decimal as D

from ledger_snapshot import snapshot as ledger_snapshot

from tools import note_proposals, notes

START = date(2024, 1, 2)
CAPITAL = [(START, [("1920", 30000), ("2000", -30000)])]


def snapshot_of(*entries, year=2025, **period):
    return ledger_snapshot(CAPITAL + list(entries), year, **period)


def by_key(generated):
    return {note["key"]: note for note in generated}


def payroll(day=date(2025, 6, 30), **accounts):
    """One payroll entry paid from the bank: ``{account code: amount}``."""
    items = [(code, amount) for code, amount in accounts.items()]
    return (day, [*items, ("1920", -sum(D(str(a)) for a in accounts.values()))])


# ----------------------------------------------------------------------------------------------
# Unanswered stays unanswered (the salary note, § 7-43)
# ----------------------------------------------------------------------------------------------


def test_no_full_time_equivalents_invented_beside_salaries():
    shot = snapshot_of(payroll(**{"5000": 1344000, "5400": 189504, "5950": 26880}))
    salary = by_key(notes.generate_notes(shot, {}))["lonnskostnader"]
    assert salary["footer_text"] is None  # neither "0 årsverk" nor "no employees"
    values = notes.note_values(shot, {}, notes.generate_notes(shot, {}))
    assert "full_time_equivalents" not in values  # BRG's VAL_37467 fires on the filing
    # The proposal: 1 344 000 of salaries over 672 000 a full-time year = 2.0, and why.
    proposal = note_proposals.propose_full_time_equivalents(shot)
    assert proposal["value"] == D("2.0")
    assert proposal["paragraph"] == "regnskapsloven § 7-43"
    assert "1 344 000" in proposal["reasons"][0] and "26 880" in proposal["reasons"][1]
    assert note_proposals.propose_pension_scheme(shot)["value"] is True


def test_answered_full_time_equivalents_are_stated():
    shot = snapshot_of(payroll(**{"5000": 500000}))
    answered = {"full_time_equivalents": "1.5", "pension_scheme": True}
    salary = by_key(notes.generate_notes(shot, answered))["lonnskostnader"]
    assert salary["footer_text"].startswith("Selskapet har hatt 1.5 årsverk i regnskapsåret.")
    assert "tjenestepensjon" in salary["footer_text"]
    zero = by_key(notes.generate_notes(shot, {"full_time_equivalents": "0"}))["lonnskostnader"]
    assert zero["footer_text"] == "Selskapet har hatt 0 årsverk i regnskapsåret."
    empty = snapshot_of()
    none = by_key(notes.generate_notes(empty, {"full_time_equivalents": "0"}))["lonnskostnader"]
    assert none["footer_text"] == "Selskapet har ikke hatt ansatte i regnskapsåret (0 årsverk)."
    assert note_proposals.propose_full_time_equivalents(empty)["value"] == 0


def test_pension_accounts_in_the_pension_bucket_and_parts_add_up_to_the_filed_line():
    # NS 4102: 5420 reportable pension, 5943 insured pension and 5950 OTP are pension, not
    # employer's tax or other benefits; 5820 refunds employer's tax; 5800 refunds salaries.
    shot = snapshot_of(
        payroll(
            **{
                "5000": "100000.40",
                "5800": "-10000.00",
                "5400": "14000.40",
                "5820": "-1000.00",
                "5420": "2000.00",
                "5943": "1000.00",
                "5950": "2000.40",
                "5990": "500.00",
            }
        )
    )
    split = notes.salary_split(shot)
    assert {k: v[0] for k, v in split.items()} == {
        "salaries": D("90000.40"),
        "employer_tax": D("13000.40"),
        "pension": D("5000.40"),
        "other": D("500.00"),
    }
    # Filed payroll line: 108 501.20 -> 108 501. Parts rounded 90 000 + 13 000 + 5 000 + 500 =
    # 108 500; the missing krone goes to the first of the parts rounded down most (0.40 each).
    salary = by_key(notes.generate_notes(shot, {}))["lonnskostnader"]
    assert [row[1] for row in salary["body"]["rows"]] == [
        "90001.00",
        "13000.00",
        "5000.00",
        "500.00",
        "108501.00",
    ]
    values = notes.note_values(shot, {}, [salary])
    assert (values["salaries"], values["pension_costs"], values["salary_total"]) == (
        "90001",
        "5000",
        "108501",
    )


# ----------------------------------------------------------------------------------------------
# Going concern on the test of aksjeloven § 3-5
# ----------------------------------------------------------------------------------------------


def test_going_concern_only_when_answered_and_on_the_3_5_test():
    # Share capital 30 000 and a loss of 45 000: equity -15 000, lost.
    loss = snapshot_of((date(2025, 5, 1), [("6300", 45000), ("1920", -45000)]))
    proposal = note_proposals.propose_going_concern(loss)
    assert proposal["value"] is True and "Egenkapitalen er tapt." in proposal["reasons"]
    assert "aksjeloven § 3-5" in proposal["paragraph"]
    unanswered = {"going_concern_uncertain": None}
    assert "fortsatt_drift" not in by_key(notes.generate_notes(loss, unanswered))
    assert "going_concern_uncertain" not in notes.note_values(loss, unanswered, [])
    answered = {"going_concern_uncertain": True}
    note = by_key(notes.generate_notes(loss, answered))["fortsatt_drift"]
    assert "lavere enn forsvarlig" in note["body"] and "§ 3-5" in note["body"]
    assert "-15 000 kr" in note["body"] and "halvparten" not in note["body"]
    values = notes.note_values(loss, answered, [note])
    assert values["going_concern_uncertain"] is True
    assert values["going_concern_text"] == note["body"]
    # Equity 12 000 of 30 000 share capital, but a profit this year (lost 30 000 last year,
    # earned 12 000 now): below half the capital, which is no test any longer; nothing proposed.
    recovering = snapshot_of(
        (date(2024, 5, 1), [("6300", 30000), ("1920", -30000)]),
        (date(2025, 5, 1), [("1920", 12000), ("3000", -12000)]),
    )
    assert note_proposals.propose_going_concern(recovering)["value"] is None


# ----------------------------------------------------------------------------------------------
# Loans and security to managers and shareholders (§ 7-45) from the ledger's own accounts
# ----------------------------------------------------------------------------------------------


def test_manager_loans_from_the_ledger_accounts():
    shot = snapshot_of(
        (date(2025, 3, 1), [("1375", 20000), ("1576", 15000), ("1574", 40000), ("1920", -75000)])
    )
    note = by_key(notes.generate_notes(shot, {}))["lan_ledende"]
    assert note["body"]["rows"] == [["Lån", "20000.00", "15000.00"]]  # board, general manager
    assert note["footer_text"] == "Lån til aksjonærer utgjør 40 000 kr per 31.12.2025."
    values = notes.note_values(shot, {}, [note])
    assert (values["manager_loans_board"], values["manager_loans_others"]) == ("20000", "15000")
    assert "40 000" in values["manager_loans_text"]
    assert "manager_security_board" not in values  # security: not answered, not said


def test_no_loans_in_the_ledger_says_only_that():
    note = by_key(notes.generate_notes(snapshot_of(), {}))["lan_ledende"]
    assert note["body"] == (
        "Det er ikke bokført lån til daglig leder, styremedlemmer eller aksjonærer per 31.12.2025."
    )
    answered = {"manager_security_board": "0", "manager_security_others": "0"}
    note = by_key(notes.generate_notes(snapshot_of(), answered))["lan_ledende"]
    assert note["body"].startswith("Selskapet har ikke gitt lån eller stilt sikkerhet")


# ----------------------------------------------------------------------------------------------
# Group companies (§ 7-36), extraordinary items (§ 7-41), further information (§ 7-46)
# ----------------------------------------------------------------------------------------------


def test_group_companies_from_the_ledger():
    shot = snapshot_of(
        (date(2024, 2, 1), [("1300", 20000), ("1920", -20000)]),
        (date(2025, 4, 1), [("1560", 8000), ("1345", 3000), ("1920", -11000)]),
        (date(2025, 9, 1), [("1920", 5000), ("2920", -5000)]),
    )
    answers = {
        "consolidated_by_parent": True,
        "consolidating_parent_name": "Holmen Invest Holding AS",
        "consolidating_parent_address": "Ålesund",
    }
    note = by_key(notes.generate_notes(shot, answers))["konsernselskaper"]
    assert note["body"]["rows"] == [
        ["Fordringer på foretak i samme konsern", "8000.00", "0.00"],
        ["Fordringer på felles kontrollert virksomhet", "3000.00", "0.00"],
        ["Kortsiktig gjeld til foretak i samme konsern", "5000.00", "0.00"],
    ]
    assert "Investering i datterselskap: 20 000 kr." in note["footer_text"]
    values = notes.note_values(shot, answers, [note])
    assert values["group_receivables"] == "8000" and values["joint_venture_receivables"] == "3000"
    assert values["group_short_term_debt"] == "5000" and values["group_receivables_prior"] == "0"
    assert values["consolidated_by_parent"] is True
    assert values["consolidating_parent_name"] == "Holmen Invest Holding AS"


def test_extraordinary_items_and_further_information():
    answers = {
        "extraordinary_items": [
            {"kind": "income", "description": "Forsikringsoppgjør brann", "amount": "250000.40"},
            {"kind": "income", "description": "Erstatning", "amount": "10000"},
            {"kind": "cost", "description": "Brannskade lager", "amount": "180000"},
        ],
        "further_information": "Selskapet flyttet til nye lokaler i mars.",
    }
    generated = notes.generate_notes(snapshot_of(), answers)
    extraordinary = by_key(generated)["ekstraordinaere_poster"]
    assert extraordinary["body"]["rows"][-2:] == [
        ["Sum ekstraordinære inntekter", "260000.00"],  # 250 000 + 10 000, whole kroner
        ["Sum ekstraordinære kostnader", "180000.00"],
    ]
    assert generated[-1]["key"] == "ytterligere_opplysninger"  # the further information last
    values = notes.note_values(snapshot_of(), answers, generated)
    assert values["extraordinary_income_description"] == ["Forsikringsoppgjør brann", "Erstatning"]
    assert values["extraordinary_income_amount"] == ["250000", "10000"]
    assert values["extraordinary_income_total"] == "260000"
    assert values["extraordinary_cost_total"] == "180000"
    assert "Selskapet flyttet til nye lokaler i mars." in values["further_information"]


# ----------------------------------------------------------------------------------------------
# Fixed assets (§ 7-39) and accounting principles (§ 7-35)
# ----------------------------------------------------------------------------------------------

ASSETS = [
    (date(2024, 1, 3), [("1250", 240000), ("1920", -240000)]),
    (date(2024, 12, 31), [("6017", 48000), ("1250", -48000)]),
    (date(2025, 3, 1), [("1280", 60000), ("1920", -60000)]),
    (date(2025, 12, 31), [("6017", 60000), ("1250", -48000), ("1280", -12000)]),
]


def test_fixed_assets_with_cost_additions_and_disposals():
    shot = snapshot_of(*ASSETS)
    cost = {"tangible": {"cost_start": "240000", "additions": "60000", "disposals": "0"}}
    note = by_key(notes.generate_notes(shot, {"fixed_assets": cost}))["varige_driftsmidler"]
    # Book value 192 000 + 60 000 bought - 60 000 depreciated = 192 000; cost 300 000, so the
    # accumulated depreciation is 108 000 (48 000 last year + 60 000 now).
    assert note["body"]["rows"] == [
        ["Anskaffelseskost 01.01.2025", "240000.00"],
        ["Tilgang i året", "60000.00"],
        ["Avgang i året", "0.00"],
        ["Anskaffelseskost 31.12.2025", "300000.00"],
        ["Samlede av- og nedskrivninger 31.12.2025", "108000.00"],
        ["Balanseført verdi 31.12.2025", "192000.00"],
        ["Årets av- og nedskrivninger", "60000.00"],
    ]
    values = notes.note_values(shot, {}, [note])
    assert [values[f"tangible_{n}"] for n in ("cost_start", "cost_end", "book_value_end")] == [
        "240000",
        "300000",
        "192000",
    ]
    assert values["tangible_accumulated_depreciation"] == "108000"


def test_fixed_assets_without_cost_and_on_the_period_dates():
    # A financial year from 1 July 2024 to 30 June 2025: the note says so, not 01.01/31.12.
    shot = ledger_snapshot(
        [
            (date(2023, 7, 3), [("1250", 100000), ("1920", -100000)]),
            (date(2024, 12, 31), [("6017", 20000), ("1250", -20000)]),
        ],
        2025,
        start=date(2024, 7, 1),
        end=date(2025, 6, 30),
    )
    note = by_key(notes.generate_notes(shot, {}))["varige_driftsmidler"]
    assert note["body"]["rows"] == [
        ["Balanseført verdi 01.07.2024", "100000.00"],
        ["Balanseført verdi 30.06.2025", "80000.00"],
        ["Årets av- og nedskrivninger", "20000.00"],
    ]
    values = notes.note_values(shot, {}, [note])
    assert values["tangible_book_value_end"] == "80000"
    assert "tangible_cost_start" not in values  # not in the ledger, not invented
    assert values["fixed_assets_text"].startswith("Balanseført verdi 01.07.2024: 100 000")
    questions = [q["name"] for q in note_proposals.open_questions(shot, {})]
    assert "fixed_assets" in questions


def test_accounting_principles_follow_the_ledger():
    plain = by_key(notes.generate_notes(snapshot_of()))["regnskapsprinsipper"]["body"]
    assert "utsatt skatt" not in plain and "Varer" not in plain and "avskrives" not in plain
    shot = snapshot_of(
        (date(2025, 2, 1), [("1400", 5000), ("1920", -5000)]),
        (date(2025, 12, 31), [("8320", 2200), ("2120", -2200)]),
        *ASSETS,
    )
    body = by_key(notes.generate_notes(shot))["regnskapsprinsipper"]["body"]
    assert "endring i utsatt skatt" in body and "22 %" in body
    assert "Varer er vurdert" in body and "avskrives lineært" in body


# ----------------------------------------------------------------------------------------------
# Numbering and shape
# ----------------------------------------------------------------------------------------------


def line(key, code, amount, prior):
    return {
        "key": key,
        "code": code,
        "kind": "line",
        "label": code,
        "amount": amount,
        "prior_amount": prior,
        "accounts": [],
    }


def test_notes_numbered_unanchored_first_then_by_line():
    shot = {
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "lines": [
            line("RES-90", "81", "0.00", "0.00"),
            line("BAL-290", "282", "0.00", "0.00"),
            line("BAL-450", "20488", "30000.00", "30000.00"),
            line("BAL-460", "7131", "0.00", "0.00"),
            line("BAL-540", "250", "10000.00", "40000.00"),
        ],
    }
    generated = notes.generate_notes(shot, {"going_concern_uncertain": True})
    keys = [(n["note_number"], n["key"]) for n in generated]
    assert keys == [
        (1, "regnskapsprinsipper"),
        (2, "fortsatt_drift"),
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
