"""Inputs that once answered 500 or were stored wrong: each is a clear 400 naming the field,
and changes nothing (issue 14, points 7 to 9)."""

import json

from odoo.exceptions import ValidationError

from ..tools import brg_xml
from ..tools.amounts import MAX_AMOUNT
from .api_common import ApiCommon

ALLOCATIONS = "/annual-allocations"
LIMIT = f"{MAX_AMOUNT:f}"
FORBIDDEN = "must not contain NUL, a control character or an unpaired surrogate"


class TestApiBadInput(ApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.l10n_no_aa_org_form = "AS"
        cls.make_entry("2025-04-10", [("1920", 250000), ("3000", -250000)])
        cls.filing = cls.env["annual.account"]._create_draft(cls.company, 2025)
        cls.notes_path = f"/submissions/{cls.filing.id}/notes"

    def setUp(self):
        super().setUp()
        self.notes = self.assertOk(self.call("GET", self.notes_path))
        self.before = self.db_fingerprint()

    def scope(self):
        return {"client_account_id": self.company.id, "reporting_year": 2025}

    def raw(self, method, path, text):
        """``text`` sent as the JSON body as it is: NaN, lone surrogates, numbers that a float
        cannot hold."""
        headers = {"Content-Type": "application/json"}
        return self.call(method, path, data=text.encode(), headers=headers)

    def assertRefused(self, response, text, status=400):
        """A JSON error naming ``text``, and the database as before the test."""
        self.assertError(response, status, text)
        self.assertEqual(self.db_fingerprint(), self.before)

    # ------------------------------------------------------------------------------------------
    # Point 7: what answered 500
    # ------------------------------------------------------------------------------------------

    def test_note_number_beyond_32_bit(self):
        for number in (2**31, 2**40, 2**63):
            payload = [{**self.notes[0], "note_number": number}]
            response = self.call("PUT", self.notes_path, json=payload)
            self.assertRefused(response, "note_number must be an integer from 1 to 2147483647")

    def test_amounts_from_10_to_the_26(self):
        for amount in ("1" + "0" * 26, "99999999999999999999999999.99", "1e26"):
            body = {**self.scope(), "is_draft": True, "structured_data": {"dividend": amount}}
            response = self.call("POST", ALLOCATIONS, json=body)
            self.assertRefused(response, f"structured_data.dividend: larger than the limit {LIMIT}")
            line = {"account_code": "8920", "debit": amount}
            response = self.call("POST", ALLOCATIONS, json={**self.scope(), "lines": [line]})
            self.assertRefused(response, f"lines[0].debit: larger than the limit {LIMIT}")
        body = json.dumps({**self.scope(), "is_draft": True, "structured_data": {"dividend": 0}})
        for number in ("1e26", "-1e400", "1e9999999999999999999"):
            response = self.raw("POST", ALLOCATIONS, body.replace(": 0}", f": {number}}}"))
            self.assertRefused(response, "body" if len(number) > 10 else "dividend")
        # The amount that used to be accepted no longer breaks the GET of the allocation.
        self.assertOk(self.call("GET", ALLOCATIONS, params=self.scope()))

    def test_nul_and_lone_surrogates_in_texts(self):
        note = self.notes[0]
        for field in ("title", "body", "footer_text"):
            for text in ("a\\u0000b", "a\\ud800b", "\\udfff"):
                payload = json.dumps([{**note, field: "X"}]).replace('"X"', f'"{text}"')
                response = self.raw("PUT", self.notes_path, payload)
                self.assertRefused(response, f"body[0].{field}: {FORBIDDEN}")
        line = {"account_code": "X", "debit": "1.00", "description": "Y"}
        body = json.dumps({**self.scope(), "is_draft": True, "lines": [line]})
        for text in ("19\\u000020", "\\ud800"):
            response = self.raw("POST", ALLOCATIONS, body.replace('"X"', f'"{text}"'))
            self.assertRefused(response, f"lines[0].account_code: {FORBIDDEN}")
            response = self.raw("POST", ALLOCATIONS, body.replace('"Y"', f'"{text}"'))
            self.assertRefused(response, f"lines[0].description: {FORBIDDEN}")
        response = self.call("POST", ALLOCATIONS, json={**self.scope(), "description": "\x00"})
        self.assertRefused(response, f"description: {FORBIDDEN}")
        response = self.raw("POST", ALLOCATIONS, json.dumps(self.scope())[:-1] + ', "\\u0000": 1}')
        self.assertRefused(response, f"body: a field name: {FORBIDDEN}")
        response = self.call("GET", ALLOCATIONS, params={**self.scope(), "reporting_year": "\x00"})
        self.assertRefused(response, f"reporting_year: {FORBIDDEN}")
        response = self.call("POST", "/drafts", data=b'{"a": "\xff"}')
        self.assertRefused(response, "body: invalid JSON")

    def test_nan_and_infinity_in_a_table_cell(self):
        table = '[{"title": "T", "body_type": "table", "body": {"columns": ["a"], "rows": [[%s]]}}]'
        for constant in ("NaN", "Infinity", "-Infinity"):
            response = self.raw("PUT", self.notes_path, table % constant)
            self.assertRefused(response, f"body: {constant} is not a JSON number")
        for cell in ("1.5", "1", "null", "[]"):
            response = self.raw("PUT", self.notes_path, table % cell)
            self.assertRefused(response, "body.rows[0][0]: a table cell must be a string")
        response = self.raw("PUT", self.notes_path, table % f'"{MAX_AMOUNT + 1:f}"')
        self.assertRefused(response, f"larger than the limit {LIMIT}")

    def test_control_character_in_a_note_never_reaches_the_xml(self):
        """Refused over the API and in the form; a text stored before is left out of the
        XML instead of failing its build."""
        principles = next(n for n in self.notes if n["key"] == "regnskapsprinsipper")
        for text in ("Linje\x0bto", "\x1b[31m", "\x7f\x08"):
            response = self.call("PUT", self.notes_path, json=[{**principles, "body": text}])
            self.assertRefused(response, f"body[0].body: {FORBIDDEN}")
        note = self.filing.note_ids.filtered(lambda n: n.key == "regnskapsprinsipper")
        with self.assertRaisesRegex(ValidationError, f"body: {FORBIDDEN}"), self.env.cr.savepoint():
            note.body_text = "Limt inn fra Word:\x0bny linje"
        self.env.cr.execute(
            "UPDATE annual_account_note SET body = %s WHERE id = %s",
            [json.dumps("Limt inn\x0b fra Word"), note.id],
        )
        self.env.invalidate_all()
        xml = brg_xml.build_underskjema(self.filing._brg_filing_data())
        self.assertIn(b"Limt inn fra Word", xml)

    # ------------------------------------------------------------------------------------------
    # Point 8: amounts stay exact
    # ------------------------------------------------------------------------------------------

    def test_an_amount_a_float_cannot_hold_is_refused(self):
        """Once stored as 12345678901234588.00: now refused, as text and as a JSON number."""
        text = json.dumps({**self.scope(), "is_draft": True, "structured_data": {"dividend": 0}})
        for amount in ('"12345678901234567.89"', "12345678901234567.89"):
            response = self.raw("POST", ALLOCATIONS, text.replace("0}", amount + "}"))
            self.assertRefused(response, f"structured_data.dividend: larger than the limit {LIMIT}")

    def test_every_accepted_amount_reads_back_exactly(self):
        # Up to MAX_AMOUNT, 12 digits of kroner: a monetary field's float_round adds
        # value * 2**-50 before rounding, which would move 13-digit amounts by an øre.
        for amount in ("0.01", "12345678901.23", f"{MAX_AMOUNT:f}"):
            with self.subTest(amount=amount):
                text = json.dumps(
                    {
                        **self.scope(),
                        "is_draft": True,
                        "structured_data": {"dividend": "X"},
                        "lines": [{"account_code": "8920", "debit": "X"}],
                    }
                )
                for sent in (f'"{amount}"', amount):  # a string and a JSON number
                    self.assertOk(self.raw("POST", ALLOCATIONS, text.replace('"X"', sent)))
                    body = self.assertOk(self.call("GET", ALLOCATIONS, params=self.scope()))
                    document = body["document"]
                    self.assertEqual(document["structured_data"]["dividend"], amount)
                    self.assertEqual(document["lines"][0]["debit"], amount)

    # ------------------------------------------------------------------------------------------
    # Point 9: any method, any path under /api/v2 answers JSON
    # ------------------------------------------------------------------------------------------

    def test_wrong_methods_and_paths_answer_json(self):
        submission = f"/submissions/{self.filing.id}"
        for method, path, allow in (
            ("TRACE", "/submissions", "GET, OPTIONS, POST"),
            ("PATCH", submission, "GET, OPTIONS"),
            ("PROPFIND", self.notes_path, "GET, OPTIONS, PUT"),
            ("DELETE", "/preview", "GET, OPTIONS"),
            ("TRACE", "/api/v2/openapi.json", "GET, OPTIONS"),
        ):
            with self.subTest(method=method, path=path):
                response = self.call(method, path)
                self.assertRefused(response, "Method not allowed", 405)
                self.assertEqual(response.headers["Allow"], allow)
        for method in ("GET", "TRACE", "PATCH"):
            for path in ("/api/v2", "/api/v2/", "/api/v2/nothing", f"{submission}/x"):
                with self.subTest(method=method, path=path):
                    self.assertRefused(self.call(method, path, key=False), "Not found", 404)
