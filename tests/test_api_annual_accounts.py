import re
import subprocess
import tempfile

from .api_common import ApiCommon

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ATTRIBUTES = {
    "id",
    "client_account_id",
    "reporting_year",
    "from_date",
    "to_date",
    "status",
    "altinn_instance_id",
    "main_form_id",
    "sub_form_id",
    "submitted_at",
    "error_message",
    "created_at",
    "created_by_id",
    "updated_at",
}


class TestApiAnnualAccounts(ApiCommon):
    """Drafts, notes, cancel, PDF and the refusals of rules 2-5 and 7, over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.l10n_no_aa_org_form = "AS"
        cls.make_entry("2024-01-05", [("1920", 100000), ("2000", -100000)])
        cls.make_entry("2025-04-10", [("1920", 250000), ("3000", -250000)])
        cls.make_entry("2025-06-30", [("5000", 60000), ("1920", -60000)])

    def scope(self, company=None, year=2025):
        return {"client_account_id": (company or self.company).id, "reporting_year": year}

    def draft(self, **kwargs):
        return self.assertOk(self.call("POST", "/drafts", json=self.scope(**kwargs)), 201)

    def filings(self):
        self.env.invalidate_all()
        return self.env["annual.account"].search_count([])

    # ------------------------------------------------------------------------------------------
    # The workflow
    # ------------------------------------------------------------------------------------------

    def test_draft_notes_cancel(self):
        draft = self.draft()
        self.assertEqual(set(draft), ATTRIBUTES)
        self.assertEqual(draft["status"], "DRAFT")
        self.assertEqual(draft["client_account_id"], self.company.id)
        self.assertEqual(draft["created_by_id"], self.user.id)
        self.assertEqual((draft["from_date"], draft["to_date"]), ("2025-01-01", "2025-12-31"))
        self.assertRegex(draft["created_at"], DATETIME)
        self.assertRegex(draft["updated_at"], DATETIME)
        self.assertIsNone(draft["submitted_at"])
        path = f"/submissions/{draft['id']}"
        self.assertEqual(self.assertOk(self.call("GET", path)), draft)

        notes = self.assertOk(self.call("GET", f"{path}/notes"))
        self.assertTrue(notes)
        self.assertIn("regnskapsprinsipper", [note["key"] for note in notes])
        notes[0]["body"] = "Årsregnskapet er satt opp i samsvar med regnskapsloven (endret)."
        notes.append(
            {
                "note_number": len(notes) + 1,
                "key": "ytterligere_opplysninger",
                "title": "Ytterligere opplysninger",
                "body_type": "table",
                "body": {"columns": ["", "2025"], "rows": [["Leie", "12000.00"]]},
                "footer_text": "Ingen.",
            }
        )
        saved = self.assertOk(self.call("PUT", f"{path}/notes", json=notes))
        self.assertEqual(saved[0]["body"], notes[0]["body"])
        self.assertEqual(saved[-1]["body"], notes[-1]["body"])
        self.assertEqual(self.assertOk(self.call("GET", f"{path}/notes")), saved)

        cancelled = self.assertOk(self.call("POST", f"{path}/cancel"))
        self.assertEqual(cancelled["status"], "CANCELLED")
        # Rules 3, 4 and 5: only a DRAFT's notes, only DRAFT/SUBMITTED cancel, only DRAFT submit.
        response = self.call("PUT", f"{path}/notes", json=saved)
        body = self.assertError(response, 400)
        self.assertEqual(body["error"], "Notes can only be edited on DRAFT annual accounts")
        body = self.assertError(self.call("POST", f"{path}/submit"), 400)
        self.assertEqual(body["error"], "Only DRAFT annual accounts can be submitted")
        self.assertError(self.call("POST", f"{path}/cancel"), 400, "cancel")
        self.assertEqual(self.assertOk(self.call("GET", f"{path}/notes")), saved)

    def test_draft_refusals_change_nothing(self):
        before = self.filings()
        cases = [
            ({"reporting_year": 2025}, 400, "client_account_id: required"),
            ({**self.scope(), "extra": 1}, 400, "extra: unknown field"),
            ({**self.scope(), "reporting_year": "2025"}, 400, "reporting_year: an integer"),
            ({**self.scope(), "reporting_year": 1800}, 400, "reporting_year: must be between"),
            ({**self.scope(), "client_account_id": True}, 400, "client_account_id"),
            ([], 400, "body: a JSON object is required"),
        ]
        for payload, status, text in cases:
            with self.subTest(payload=payload):
                self.assertError(self.call("POST", "/drafts", json=payload), status, text)
        response = self.call(
            "POST", "/drafts", key=self.limited_key, json=self.scope(self.other_company)
        )
        self.assertError(response, 403, "client_account_id")
        self.assertError(self.call("POST", "/drafts", key=False, json=self.scope()), 401)
        self.assertError(self.call("POST", "/drafts", data=b"\xff{"), 400, "body")
        self.assertEqual(self.filings(), before)
        # One active filing per company and year (rule 1): the second draft is refused.
        self.draft()
        self.assertError(self.call("POST", "/drafts", json=self.scope()), 400, "already")
        self.assertEqual(self.filings(), before + 1)

    def test_submit_directly_refusal_rolls_back(self):
        """Without a working Altinn connection the direct submission fails: no draft stays."""
        before = self.filings()
        response = self.call("POST", "/submissions", json=self.scope())
        self.assertError(response, 400)
        self.assertEqual(self.filings(), before)
        response = self.call(
            "POST", "/submissions", key=self.limited_key, json=self.scope(self.other_company)
        )
        self.assertError(response, 403)

    def test_notes_refusals(self):
        path = f"/submissions/{self.draft()['id']}/notes"
        notes = self.assertOk(self.call("GET", path))
        cases = [
            ({"title": "x"}, "body: a JSON array is required"),
            ([1], "body[0]: a note object is required"),
            ([{**notes[0], "colour": "red"}], "body[0].colour: unknown field"),
            ([{**notes[0], "note_number": "1"}], "body[0].note_number"),
            ([{**notes[0], "body_type": "chart"}], "chart"),
            ([{"key": "a", "title": "A", "body_type": "table", "body": "x"}], "table"),
        ]
        for payload, text in cases:
            with self.subTest(payload=payload):
                self.assertError(self.call("PUT", path, json=payload), 400, text)
        self.assertEqual(self.assertOk(self.call("GET", path)), notes)

    # ------------------------------------------------------------------------------------------
    # Ids and access
    # ------------------------------------------------------------------------------------------

    def test_ids_and_access(self):
        other = self.draft(company=self.other_company)
        mine = self.draft()
        for suffix, method in (
            ("", "GET"),
            ("/notes", "GET"),
            ("/notes", "PUT"),
            ("/pdf", "GET"),
            ("/submit", "POST"),
            ("/cancel", "POST"),
        ):
            with self.subTest(suffix=suffix):
                json = [] if method == "PUT" else None
                path = f"/submissions/{other['id']}{suffix}"
                self.assertError(self.call(method, path, key=self.limited_key, json=json), 403)
                self.assertError(self.call(method, f"/submissions/999999{suffix}", json=json), 404)
                self.assertError(self.call(method, f"/submissions/{2**40}{suffix}", json=json), 404)
                path = f"/submissions/{mine['id']}{suffix}"
                self.assertError(self.call(method, path, key=False, json=json), 401)
        self.assertError(self.call("GET", "/submissions/abc"), 404)
        self.assertError(self.call("DELETE", f"/submissions/{mine['id']}"), 405)
        self.assertError(self.call("GET", f"/submissions/{mine['id']}", params={"x": 1}), 400)
        self.assertEqual(self.filings(), 2)

    # ------------------------------------------------------------------------------------------
    # PDF (rule 7)
    # ------------------------------------------------------------------------------------------

    def test_pdf_from_the_stored_filing(self):
        draft = self.draft()
        path = f"/submissions/{draft['id']}/pdf"
        response = self.call("GET", path)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertEqual(
            response.headers["Content-Disposition"],
            'attachment; filename="Arsregnskap_2025.pdf"; '
            "filename*=UTF-8''%C3%85rsregnskap_2025.pdf",
        )
        self.assertTrue(response.content.startswith(b"%PDF"))
        before = self.pdf_text(response.content)
        self.assertIn("2025", before)
        # A later posting does not change the filed figures: the PDF reads the snapshot.
        self.make_entry("2025-12-31", [("1920", 777777), ("3000", -777777)])
        after = self.pdf_text(self.call("GET", path).content)
        self.assertEqual(after, before)
        self.assertNotIn("777", after.replace(" ", ""))

    @staticmethod
    def pdf_text(content):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True, text=True
            ).stdout
