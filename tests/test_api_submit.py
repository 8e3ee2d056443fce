import re

from .altinn_common import AltinnSimulatorMixin
from .annual_account_common import ORGNR, AnnualAccountCommon
from .api_common import ApiCommon

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class TestApiSubmit(AltinnSimulatorMixin, ApiCommon, AnnualAccountCommon):
    """Submit over HTTP with an API key; the filing goes to the bundled Altinn simulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_simulator(cls.company)

    def setUp(self):
        super().setUp()
        self.approve_system_user(self.company)
        self.control.config(auto_approve=False)

    def answer(self, annual_account_id):
        """What the accountant answers in the form before filing (no API field for them)."""
        self.env["annual.account"].browse(annual_account_id).write(
            {
                "approval_date": "2026-05-20",
                "full_time_equivalents": 1.5,
                "brg_warnings_accepted": True,
            }
        )

    def test_submit_draft_then_cancel(self):
        scope = {"client_account_id": self.company.id, "reporting_year": 2025}
        draft = self.assertOk(self.call("POST", "/drafts", json=scope), 201)
        self.answer(draft["id"])
        path = f"/submissions/{draft['id']}"
        submitted = self.assertOk(self.call("POST", f"{path}/submit"))
        [instance] = self.control.instances()
        self.assertEqual(instance["orgnr"], ORGNR)
        self.assertEqual(submitted["status"], "SUBMITTED")
        self.assertEqual(submitted["altinn_instance_id"], instance["id"])
        self.assertRegex(submitted["submitted_at"], DATETIME)
        self.assertEqual(self.assertOk(self.call("GET", path)), submitted)
        listed = self.assertOk(self.call("GET", "/submissions", params=scope))["data"]
        self.assertEqual(listed, [submitted])

        # Rules 3 and 5 on a SUBMITTED filing; Altinn is not called again.
        body = self.assertError(self.call("POST", f"{path}/submit"), 400)
        self.assertEqual(body["error"], "Only DRAFT annual accounts can be submitted")
        notes = self.assertOk(self.call("GET", f"{path}/notes"))
        body = self.assertError(self.call("PUT", f"{path}/notes", json=notes), 400)
        self.assertEqual(body["error"], "Notes can only be edited on DRAFT annual accounts")
        self.assertEqual(len(self.control.instances()), 1)
        pdf = self.call("GET", f"{path}/pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")

        # Rule 4: a SUBMITTED filing can be cancelled (by an administrator: 403 otherwise).
        self.assertError(self.call("POST", f"{path}/cancel", key=self.limited_key), 403)
        cancelled = self.assertOk(self.call("POST", f"{path}/cancel"))
        self.assertEqual(cancelled["status"], "CANCELLED")

    def test_a_failed_submit_answers_400_with_altinn_reason(self):
        """Issue 14 point 13: Altinn failing answers the contract's error, not 200 and DRAFT;
        cancelling the draft then deletes the instance Altinn made for it."""
        scope = {"client_account_id": self.company.id, "reporting_year": 2025}
        draft = self.assertOk(self.call("POST", "/drafts", json=scope), 201)
        self.answer(draft["id"])
        path = f"/submissions/{draft['id']}"
        self.control.add_fault("process_next", status=500)
        body = self.assertError(self.call("POST", f"{path}/submit"), 400)
        self.assertEqual(body["status"], 400)
        self.assertIn("Altinn has a problem; try again later", body["error"])
        got = self.assertOk(self.call("GET", path))
        self.assertEqual(got["status"], "DRAFT")
        self.assertIn("try again later", got["error_message"], "the failure stays recorded")
        [instance] = self.control.instances()
        self.assertEqual(instance["task_type"], "data")

        cancelled = self.assertOk(self.call("POST", f"{path}/cancel"))
        self.assertEqual(cancelled["status"], "CANCELLED")
        [instance] = self.control.instances()
        self.assertTrue(instance["deleted"], "the draft's instance was deleted in Altinn")

    def test_submit_directly_refused_leaves_nothing(self):
        """The direct submission files a new draft at once: BRG's checks refuse it without the
        approval date, and neither a filing nor an Altinn instance is left."""
        before = self.env["annual.account"].search_count([])
        scope = {"client_account_id": self.company.id, "reporting_year": 2025}
        self.assertError(self.call("POST", "/submissions", json=scope), 400)
        self.env.invalidate_all()
        self.assertEqual(self.env["annual.account"].search_count([]), before)
        self.assertEqual(self.control.instances(), [])

    def test_submit_directly_with_the_answers(self):
        scope = {"client_account_id": self.company.id, "reporting_year": 2025}
        for bad, field in (
            ({"approval_date": "2026-13-01"}, "approval_date"),
            ({"approval_date": 20260520}, "approval_date"),
            ({"accept_warnings": "yes"}, "accept_warnings"),
            ({"signed_by": "Kari"}, "signed_by"),
        ):
            body = self.assertError(self.call("POST", "/submissions", json={**scope, **bad}), 400)
            self.assertTrue(body["error"].startswith(f"{field}: "), body)
        self.env.invalidate_all()
        self.assertFalse(self.env["annual.account"].search([("company_id", "=", self.company.id)]))
        self.assertEqual(self.control.instances(), [])
        # 0 full-time equivalents beside salaries is BRG-style warned (LAW_RSKL_7_43)
        body = {**scope, "approval_date": "2026-05-20", "accept_warnings": True}
        submitted = self.assertOk(self.call("POST", "/submissions", json=body), 201)
        self.assertEqual(submitted["status"], "SUBMITTED")
        [instance] = self.control.instances()
        self.assertEqual(submitted["altinn_instance_id"], instance["id"])

    def test_typical_workflow(self):
        """The seed's workflow as an external client runs it: preview, draft, notes, submit,
        PDF, allocations."""
        scope = {"client_account_id": self.company.id, "reporting_year": 2025}
        preview = self.assertOk(self.call("GET", "/preview", params=scope))
        sales = next(x for x in preview["income_statement"] if x["code"] == "1340")
        self.assertEqual(sales["amount"], "200000.00")

        draft = self.assertOk(self.call("POST", "/drafts", json=scope), 201)
        path = f"/submissions/{draft['id']}"
        notes = self.assertOk(self.call("GET", f"{path}/notes"))
        notes[0]["body"] = "Regnskapet følger regnskapslovens regler for små foretak."
        saved = self.assertOk(self.call("PUT", f"{path}/notes", json=notes))
        self.assertEqual(saved[0]["body"], notes[0]["body"])

        # Only through the API: the answers a submission needs travel with it.
        answers = {"approval_date": "2026-05-20", "accept_warnings": True}
        submitted = self.assertOk(self.call("POST", f"{path}/submit", json=answers))
        self.assertEqual(submitted["status"], "SUBMITTED")
        filing = self.env["annual.account"].browse(draft["id"])
        self.assertEqual(str(filing.approval_date), "2026-05-20")
        pdf = self.call("GET", f"{path}/pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

        allocation = self.assertOk(self.call("GET", "/annual-allocations", params=scope))
        lines = [
            {k: line[k] for k in ("account_code", "description", "debit", "credit")}
            for line in allocation["suggested_lines"]
        ]
        self.assertGreaterEqual(len(lines), 2)
        payload = {**scope, "lines": lines, "structured_data": {"board_confirmation": True}}
        entry = self.assertOk(self.call("POST", "/annual-allocations", json=payload))
        self.assertEqual(entry["state"], "posted")
        self.assertEqual(
            [(x["account_code"], x["debit"], x["credit"]) for x in entry["lines"]],
            [(x["account_code"], x["debit"], x["credit"]) for x in lines],
        )
