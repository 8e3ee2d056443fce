from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .annual_account_common import AnnualAccountCommon
from .common import create_accountant

# What an RPC caller might put in the context hoping to pass a guard: it must not help.
HOPEFUL_CONTEXT = {"l10n_no_aa_lifecycle": True, "tracking_disable": True, "force_write": True}


@tagged("post_install", "-at_install")
class TestDocumentGuards(AnnualAccountCommon, HttpCase):
    """The filing's and the allocation's rules hold on every way into the ORM, one test per
    way: a plain write, a create, an import (``load``), JSON-RPC from the web client's route
    as an accountant. Company and year are fixed, the state (and the filing's snapshot)
    change only through the lifecycle methods, the answers only in draft."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = create_accountant(cls.env, "vakt", cls.company + cls.other_company)
        cls.accountant.password = "vakt-pw-1"
        cls.filing = cls.env["annual.account"]._create_draft(cls.company, 2025)
        cls.allocation = cls.env["annual.allocation"].create(
            {"company_id": cls.company.id, "reporting_year": 2025}
        )

    def snapshot_of(self, document):
        return document.read(["company_id", "state", "reporting_year", "date_to"])[0]

    def assert_unchanged(self, before):
        for document, values in before.items():
            document.invalidate_recordset()
            self.assertEqual(self.snapshot_of(document), values, document._name)

    def attempts(self):
        """``(document, vals, what the message names)`` no plain write may do."""
        return [
            (self.filing, {"state": "submitted"}, "Status"),
            (self.filing, {"state": "approved"}, "Status"),
            (self.filing, {"snapshot": {"lines": [], "findings": []}}, "Snapshot"),
            (self.filing, {"company_id": self.other_company.id}, "Company"),
            (self.filing, {"reporting_year": 2024}, "Reporting Year"),
            (self.allocation, {"state": "posted"}, "Status"),
            (self.allocation, {"company_id": self.other_company.id}, "Company"),
            (self.allocation, {"date_to": "2025-06-30"}, "To"),
        ]

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------

    def test_plain_writes_are_refused(self):
        before = {d: self.snapshot_of(d) for d in (self.filing, self.allocation)}
        for document, vals, name in self.attempts():
            for env_document in (document, document.with_user(self.accountant)):
                with self.assertRaisesRegex(UserError, name, msg=f"{document._name} {vals}"):
                    env_document.with_context(**HOPEFUL_CONTEXT).write(vals)
        self.assert_unchanged(before)
        # the same value again is no change, and passes (an import writes every column)
        self.filing.write({"company_id": self.company.id, "state": "draft"})

    def test_creates_cannot_choose_the_state_or_the_figures_or_a_foreign_company(self):
        Account = self.env["annual.account"].with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "Status"):
            Account.create(
                {"company_id": self.company.id, "reporting_year": 2023, "state": "approved"}
            )
        with self.assertRaisesRegex(UserError, "Snapshot"):
            Account.create(
                {
                    "company_id": self.company.id,
                    "reporting_year": 2023,
                    "snapshot": {"lines": [], "findings": []},
                }
            )
        Allocation = self.env["annual.allocation"].with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "Status"):
            Allocation.create(
                {"company_id": self.company.id, "reporting_year": 2024, "state": "posted"}
            )
        outsider = create_accountant(self.env, "utenfor", self.other_company)
        for Model in (self.env["annual.account"], self.env["annual.allocation"]):
            with self.assertRaises(AccessError):
                Model.with_user(outsider).create(
                    {"company_id": self.company.id, "reporting_year": 2023}
                )
        # what a plain create makes is a proper draft: the engine's figures for the period
        created = Account.create({"company_id": self.company.id, "reporting_year": 2023})
        self.assertRecordValues(
            created, [{"state": "draft", "date_to": self.filing.date_to.replace(year=2023)}]
        )
        self.assertTrue(created.snapshot["lines"])

    def test_notes_stay_with_their_filing(self):
        other = self.create_draft(year=2024)
        note = self.filing.note_ids[0]
        with self.assertRaisesRegex(UserError, "stays with"):
            note.with_user(self.accountant).write({"annual_account_id": other.id})
        self.assertEqual(note.annual_account_id, self.filing)

    # ------------------------------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------------------------------

    def test_imports_are_refused_and_change_nothing(self):
        before = {d: self.snapshot_of(d) for d in (self.filing, self.allocation)}
        for document, vals, _name in self.attempts():
            [(field, value)] = vals.items()
            if isinstance(value, dict):
                continue  # a JSON column is not importable as such
            column = f"{field}/.id" if document._fields[field].type == "many2one" else field
            result = (
                document.with_user(self.accountant)
                .with_context(**HOPEFUL_CONTEXT)
                .load([".id", column], [[str(document.id), str(value)]])
            )
            self.assertFalse(result["ids"], f"{document._name} {vals}")
            self.assertIn(
                "only change through its actions" if field == "state" else "cannot change once",
                " ".join(m["message"] for m in result["messages"]),
                f"{document._name} {vals}",
            )
        self.assert_unchanged(before)

    # ------------------------------------------------------------------------------------------
    # RPC through the web client's route
    # ------------------------------------------------------------------------------------------

    def test_rpc_as_an_accountant_is_refused(self):
        self.authenticate("vakt", "vakt-pw-1")
        before = {d: self.snapshot_of(d) for d in (self.filing, self.allocation)}
        for document, vals, _name in self.attempts():
            params = {
                "model": document._name,
                "method": "write",
                "args": [document.ids, vals],
                "kwargs": {"context": HOPEFUL_CONTEXT},
            }
            with self.assertRaises(JsonRpcException, msg=f"{document._name} {vals}") as caught:
                self.make_jsonrpc_request(f"/web/dataset/call_kw/{document._name}/write", params)
            self.assertEqual(caught.exception.args[0], "odoo.exceptions.UserError")
        # nor can the lifecycle's own private methods be reached
        params = {
            "model": "annual.account",
            "method": "_record_decision",
            "args": [self.filing.ids, True],
            "kwargs": {},
        }
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/annual.account/_record_decision", params
            )
        self.assert_unchanged(before)
