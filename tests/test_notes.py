from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .annual_account_common import AnnualAccountCommon

EXPECTED_ORDER = [
    (1, "regnskapsprinsipper"),
    (2, "lonnskostnader"),
    (3, "varige_driftsmidler"),
    (4, "lan_ledende"),
    (5, "aksjekapital"),
    (6, "egne_aksjer"),
    (7, "egenkapital"),
    (8, "fordringer_gjeld"),
]


@tagged("post_install", "-at_install")
class TestNotes(AnnualAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Note = cls.env["annual.account.note"]

    def notes(self, account):
        return {note["key"]: note for note in self.Note._notes_of(account)}

    # ------------------------------------------------------------------------------------------
    # Generated from the ledger
    # ------------------------------------------------------------------------------------------

    def test_generated_notes_in_the_order_of_their_lines(self):
        account = self.create_draft()
        self.assertEqual([(n.note_number, n.key) for n in account.note_ids], EXPECTED_ORDER)
        self.assertFalse(any(account.note_ids.mapped("is_edited")))
        self.assertNotIn("fortsatt_drift", self.notes(account))  # equity above half the capital

    def test_salary_specification_with_last_year_and_no_employees_stated(self):
        account = self.create_draft()
        salary = self.notes(account)["lonnskostnader"]
        self.assertEqual(
            salary["body"],
            {
                "columns": ["", "2025", "2024"],
                "rows": [
                    ["Lønninger", "60000.00", "30000.00"],
                    ["Arbeidsgiveravgift", "8460.00", "0.00"],
                    ["Pensjonskostnader", "0.00", "0.00"],
                    ["Andre ytelser", "0.00", "0.00"],
                    ["Sum", "68460.00", "30000.00"],
                ],
            },
        )
        self.assertIn("0 årsverk", salary["footer_text"])
        account.full_time_equivalents = 1.5
        salary = self.notes(account)["lonnskostnader"]
        self.assertIn("1.5 årsverk", salary["footer_text"])
        self.assertIn("tjenestepensjon", salary["footer_text"])

    def test_equity_fixed_assets_debt_and_statutory_texts(self):
        account = self.create_draft(secured_debt=200000, pledged_assets_book_value=40000)
        notes = self.notes(account)
        self.assertEqual(
            notes["egenkapital"]["body"]["rows"],
            [
                ["Egenkapital 01.01.2025", "100000.00", "0.00", "13400.00", "113400.00"],
                ["Årets resultat", "0.00", "0.00", "87391.00", "87391.00"],  # whole kroner
                ["Egenkapital 31.12.2025", "100000.00", "0.00", "100791.00", "200791.00"],
            ],
        )
        fixed = notes["varige_driftsmidler"]["body"]["rows"]
        self.assertEqual(
            fixed[-2:],
            [
                ["Balanseført verdi 31.12.2025", "40000.00"],
                ["Årets av- og nedskrivninger", "10000.00"],
            ],
        )
        debt = dict(map(tuple, notes["fordringer_gjeld"]["body"]["rows"]))
        self.assertEqual(debt["Langsiktig gjeld"], "200000.00")
        self.assertEqual(debt["Gjeld sikret ved pant"], "200000.00")
        self.assertEqual(debt["Bokført verdi av pantsatte eiendeler"], "40000.00")
        self.assertEqual(notes["egne_aksjer"]["body"], "Selskapet eier ingen egne aksjer.")
        self.assertIn("ikke gitt lån", notes["lan_ledende"]["body"])
        self.assertIn("100 000 kr", notes["aksjekapital"]["body"])

    def test_going_concern_note_when_equity_below_half_the_share_capital(self):
        self.make_entry("2025-12-31", [("6300", 180000), ("1920", -180000)])
        account = self.create_draft()
        self.assertEqual(
            account.note_ids[:2].mapped("key"), ["regnskapsprinsipper", "fortsatt_drift"]
        )
        going = self.notes(account)["fortsatt_drift"]
        self.assertIn("usikkerhet", going["body"])
        self.assertIn("20 791 kr", going["body"])  # 200791.20 - 180000, in whole kroner

    # ------------------------------------------------------------------------------------------
    # Edit, reset, regenerate
    # ------------------------------------------------------------------------------------------

    def test_edit_overrides_and_reset_restores(self):
        account = self.create_draft()
        note = account.note_ids.filtered(lambda n: n.key == "regnskapsprinsipper")
        generated = note.body
        note.body_text = "Egne prinsipper."
        self.assertTrue(note.is_edited)
        self.assertEqual(self.notes(account)["regnskapsprinsipper"]["body"], "Egne prinsipper.")
        self.assertEqual(note.generated["body"], generated)
        account.action_recompute()  # the user's version survives a recompute
        self.assertEqual(note.body, "Egne prinsipper.")
        note.action_reset_to_generated()
        self.assertFalse(note.is_edited)
        self.assertEqual(note.body, generated)

    def test_table_edited_as_text(self):
        account = self.create_draft()
        note = account.note_ids.filtered(lambda n: n.key == "lonnskostnader")
        self.assertTrue(note.body_table.startswith(" | 2025 | 2024\nLønninger | 60000.00"))
        note.body_table = "Post | 2025\nLønn | 1.00"
        self.assertEqual(note.body, {"columns": ["Post", "2025"], "rows": [["Lønn", "1.00"]]})
        with self.assertRaisesRegex(ValidationError, "Lønnskostnader.*row 1"):
            note.body_table = "Post | 2025\nLønn | 1.00 | 2.00"

    def test_replace_notes_replaces_and_returns_the_seed_shape(self):
        account = self.create_draft()
        payload = [
            {
                "note_number": 1,
                "key": "regnskapsprinsipper",
                "title": "Regnskapsprinsipper",
                "body_type": "text",
                "body": "Årsregnskapet er satt opp i samsvar med regnskapsloven...",
            },
            {
                "note_number": 2,
                "key": "lonnskostnader",
                "title": "Lønnskostnader",
                "body_type": "table",
                "body": {
                    "columns": ["", "2025", "2024"],
                    "rows": [["Lønninger", "500000.00", "450000.00"]],
                },
                "footer_text": "Selskapet er pliktig til å ha tjenestepensjonsordning...",
            },
        ]
        self.Note._replace_notes(account, payload)
        self.assertEqual(self.Note._notes_of(account), payload)
        self.assertEqual(len(account.note_ids), 2)
        self.assertTrue(all(account.note_ids.mapped("is_edited")))

    def test_replace_notes_checks_everything_first(self):
        account = self.create_draft()
        before = self.Note._notes_of(account)
        bad = [
            dict(before[0], body="Ny tekst"),
            {
                "note_number": 9,
                "key": "x",
                "title": "Tabell",
                "body_type": "table",
                "body": {"columns": ["a", "b"], "rows": [["1"]]},
            },
            {"note_number": 10, "key": "y", "title": "Rar", "body_type": "html", "body": ""},
            {"note_number": 11, "key": "z", "title": "", "body_type": "text", "body": "x"},
        ]
        with self.assertRaises(UserError) as caught:
            self.Note._replace_notes(account, bad)
        message = str(caught.exception)
        self.assertIn("Note 9 (Tabell): row 1 does not have 2 cells", message)
        self.assertIn("Note 10 (Rar): unknown body_type 'html'", message)
        self.assertIn("Note 11 (z): the title is missing", message)
        self.assertEqual(self.Note._notes_of(account), before)  # nothing written

    def test_notes_of_a_filing_fall_back_to_the_generated_defaults(self):
        account = self.create_draft()
        generated = self.Note._notes_of(account)
        self.Note._replace_notes(account, [])
        self.assertFalse(account.note_ids)
        self.assertEqual(self.Note._notes_of(account), generated)
        self.assertEqual(
            set(generated[1]), {"note_number", "key", "title", "body_type", "body", "footer_text"}
        )
        self.assertNotIn("footer_text", generated[0])  # only when there is one

    def test_notes_refused_outside_draft_from_the_orm(self):
        account = self.create_draft()
        note = account.note_ids[0]
        self.move_to(account, state="submitted")
        seed = "^Notes can only be edited on DRAFT annual accounts$"
        with self.assertRaisesRegex(UserError, seed):
            note.write({"body": "Endret"})
        with self.assertRaisesRegex(UserError, seed):
            note.body_text = "Endret"
        with self.assertRaisesRegex(UserError, seed):
            self.env["annual.account.note"].create(
                {"annual_account_id": account.id, "key": "ny", "title": "Ny", "body": "x"}
            )
        with self.assertRaisesRegex(UserError, seed):
            note.unlink()
        with self.assertRaisesRegex(UserError, seed):
            note.action_reset_to_generated() if note.generated else note.write({"title": "x"})
        with self.assertRaisesRegex(UserError, seed):
            self.Note._replace_notes(account, [])
        self.assertEqual(len(account.note_ids), 8)
