from odoo.exceptions import AccessError, UserError, ValidationError

from .altinn_common import AltinnSimulatorMixin
from .annual_account_common import AnnualAccountCommon
from .api_common import ApiCommon
from .common import create_accountant

REVIEW_REQUIRED = "requires a review by a second accountant"


class TestReview(AltinnSimulatorMixin, ApiCommon, AnnualAccountCommon):
    """Prepared → reviewed on the hand ledger's filing: the bureau (the company's Altinn
    organisation) requires a review; the filing goes to the simulator once reviewed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_simulator(cls.company)
        cls.preparer = create_accountant(cls.env, "forbereder", cls.company)
        cls.reviewer = create_accountant(cls.env, "kontrollant", cls.company, manager=True)
        cls.outsider = create_accountant(cls.env, "fremmed", cls.other_company, manager=True)
        cls.bureau.l10n_no_aa_review_policy = "required"

    def setUp(self):
        super().setUp()
        self.approve_system_user(self.company)
        self.control.config(auto_approve=False)

    def filing(self, user=None):
        return self.ready_draft().with_user(user or self.preparer)

    def comment(self, account, user, body, **vals):
        return (
            self.env["annual.account.review.comment"]
            .with_user(user)
            .create({"account_id": account.id, "body": body, **vals})
        )

    def chatter(self, account):
        return " ".join(account.sudo().message_ids.mapped("body"))

    # ------------------------------------------------------------------------------------------

    def test_the_setting_is_inherited_from_the_bureau(self):
        self.assertTrue(self.company.l10n_no_aa_review_required)
        self.assertEqual(self.company.l10n_no_aa_review_source_id, self.bureau)
        self.company.l10n_no_aa_review_policy = "optional"
        self.assertFalse(self.company.l10n_no_aa_review_required)
        self.assertEqual(self.company.l10n_no_aa_review_source_id, self.company)
        self.assertFalse(self.other_company.l10n_no_aa_review_required)
        self.assertFalse(self.other_company.l10n_no_aa_review_source_id)

    def test_prepare_comment_send_back_review_submit(self):
        account = self.filing()
        self.assertEqual(account.review_stage, "draft")
        with self.assertRaisesRegex(UserError, REVIEW_REQUIRED):
            account.action_submit()
        self.assertEqual(self.control.instances(), [])

        account.action_mark_prepared()
        self.assertRecordValues(
            account, [{"review_stage": "prepared", "prepared_by_id": self.preparer.id}]
        )
        self.assertIn("ready for review", self.chatter(account))
        with self.assertRaises(AccessError):  # an accountant is no reviewer
            account.action_review()

        # the reviewer comments on a statement line and on a note, then sends it back
        as_reviewer = account.with_user(self.reviewer)
        self.assertTrue(as_reviewer.can_review)
        line = self.env["annual.statement.line"].search([("key", "=", "RES-20")])
        note = account.note_ids[0]
        on_line = self.comment(
            account, self.reviewer, "Salgsinntekt: avstem mot MVA.", line_id=line.id
        )
        on_note = self.comment(
            account, self.reviewer, "Noten mangler antall årsverk.", note_id=note.id
        )
        self.assertIn("Salgsinntekt: avstem mot MVA.", self.chatter(account))
        with self.assertRaisesRegex(UserError, "open review comments"):
            as_reviewer.action_review()
        as_reviewer.action_send_back()
        self.assertRecordValues(
            account, [{"review_stage": "draft", "prepared_by_id": False, "reviewed_by_id": False}]
        )
        self.assertIn("Sent back", self.chatter(account))
        self.assertIn("Noten mangler antall årsverk.", self.chatter(account))

        # the preparer resolves, prepares again; the reviewer approves; the filing is sent
        with self.assertRaisesRegex(UserError, "Resolve the 2 open review comments"):
            account.action_mark_prepared()
        (on_line + on_note).with_user(self.preparer).action_resolve()
        self.assertEqual(on_line.resolved_by_id, self.preparer)
        account.action_mark_prepared()
        as_reviewer.action_review()
        self.assertRecordValues(
            account, [{"review_stage": "reviewed", "reviewed_by_id": self.reviewer.id}]
        )
        self.assertTrue(account.reviewed_at)
        self.assertFalse(account.review_outdated)
        self.env.flush_all()
        row = self.env["annual.account.overview"].search(
            [("annual_account_id", "=", account.id), ("review_stage", "=", "reviewed")]
        )
        self.assertEqual(len(row), 1)

        account.action_submit()
        self.assertEqual(account.state, "submitted")
        self.assertEqual(account.review_stage, "submitted")
        self.assertEqual(len(self.control.instances()), 1)

    def test_a_change_after_the_review_needs_a_new_review(self):
        account = self.filing()
        account.action_mark_prepared()
        account.with_user(self.reviewer).action_review()
        account.write({"full_time_equivalents": 2.0})
        self.env.invalidate_all()
        self.assertTrue(account.review_outdated)
        with self.assertRaisesRegex(UserError, "changed after kontrollant"):
            account._check_can_submit()
        account.with_user(self.reviewer).action_review()
        self.assertFalse(account.review_outdated)
        account._check_can_submit()  # no error

    def test_the_preparer_cannot_review_own_filing(self):
        account = self.filing(self.reviewer)
        account.action_mark_prepared()
        self.assertFalse(account.can_review)
        with self.assertRaisesRegex(UserError, "a second accountant reviews it"):
            account.action_review()
        with self.assertRaisesRegex(UserError, "a second accountant reviews it"):
            account.action_send_back()

    def test_another_companys_filing_cannot_be_reviewed(self):
        account = self.filing()
        account.action_mark_prepared()
        with self.assertRaises(AccessError):
            account.with_user(self.outsider).action_review()
        with self.assertRaises(AccessError):
            self.comment(account, self.outsider, "Utenfra")
        self.assertEqual(account.review_stage, "prepared")

    def test_review_fields_change_only_through_the_actions(self):
        account = self.filing()
        with self.assertRaisesRegex(UserError, "through its actions"):
            account.write({"reviewed_by_id": self.reviewer.id})
        with self.assertRaisesRegex(UserError, "through its actions"):
            account.write({"prepared_by_id": self.preparer.id})

    def test_comment_guards(self):
        account = self.filing()
        comment = self.comment(account, self.reviewer, "Sjekk avskrivningene.")
        with self.assertRaisesRegex(UserError, "Only its author"):
            comment.with_user(self.preparer).write({"body": "Ferdig"})
        with self.assertRaisesRegex(UserError, "Resolve button"):
            comment.with_user(self.reviewer).write({"resolved": True})
        other = self.create_draft(self.other_company)
        with self.assertRaises(ValidationError):
            self.comment(account, self.reviewer, "Feil note", note_id=other.note_ids[0].id)
        with self.assertRaises(ValidationError):
            self.comment(account, self.reviewer, "   ")
        with account._lifecycle():
            account.sudo().state = "cancelled"
        with self.assertRaisesRegex(UserError, "review is closed"):
            self.comment(account, self.reviewer, "For sent")

    def test_api_submit_of_an_unreviewed_filing_is_refused(self):
        account = self.filing()
        before = self.db_fingerprint()
        body = self.assertError(
            self.call("POST", f"/submissions/{account.id}/submit"), 400, REVIEW_REQUIRED
        )
        self.assertIn(self.bureau.name, body["error"])
        self.assertEqual(self.db_fingerprint(), before)
        self.assertEqual(self.control.instances(), [])

    def test_no_review_needed_when_not_required(self):
        self.company.l10n_no_aa_review_policy = "optional"
        account = self.filing()
        account._check_can_submit()  # no error
        self.assertEqual(account.review_stage, "draft")
