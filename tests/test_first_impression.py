from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import CLIENT_ID, rsa_private_pem


@tagged("post_install", "-at_install")
class TestFirstImpression(AccountTestInvoicingCommon):
    """A database whose company keeps another chart of accounts: nothing breaks, and the
    screens say what is missing instead of failing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()  # Odoo's generic chart, no country, no organisation number
        cls.company = cls.company_data["company"]
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2025-03-01",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": cls.company_data["default_account_revenue"].id,
                            "credit": 1000.0,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "account_id": cls.company_data["default_account_receivable"].id,
                            "debit": 1000.0,
                        },
                    ),
                ],
            }
        )
        move.action_post()

    def test_the_preview_explains_that_the_chart_is_not_norwegian(self):
        self.assertNotEqual(self.company.chart_template, "no")
        snapshot = self.env["annual.statement.engine"].compute(self.company, reporting_year=2025)
        codes = {f["code"]: f for f in snapshot["findings"]}
        self.assertEqual(codes["NOT_NORWEGIAN_CHART"]["severity"], "error")
        self.assertIn("Norwegian chart of accounts", codes["NOT_NORWEGIAN_CHART"]["message"])
        preview = self.env["annual.statement.preview"].create(
            {"company_id": self.company.id, "reporting_year": 2025}
        )
        preview.action_refresh()
        self.assertTrue(preview.line_ids, "the screen still shows BRG's lines")
        self.assertIn("Norwegian chart of accounts", str(preview.findings_html))

    def test_a_draft_says_what_is_missing_and_cannot_be_submitted(self):
        draft = self.env["annual.account"]._create_draft(self.company, 2025)
        self.assertTrue(draft.has_error_findings)
        self.assertIn("no organisation number", draft.altinn_setup_missing)
        self.assertIn("Altinn is not set up", draft.altinn_setup_missing)
        with self.assertRaisesRegex(UserError, "Norwegian chart of accounts"):
            draft.action_submit()
        self.assertEqual(draft.state, "draft")

    def test_the_hints_go_away_as_the_company_is_set_up(self):
        self.company.company_registry = "914778271"
        self.env["annual.altinn.credential"]._store(
            self.company, client_id=CLIENT_ID, private_key=rsa_private_pem()
        )
        draft = self.env["annual.account"]._create_draft(self.company, 2025)
        self.assertEqual(
            draft.altinn_setup_missing,
            f"{self.company.name} has not approved its system user in Altinn yet "
            "(the company form, tab Altinn).",
        )
        self.company.l10n_no_altinn_systemuser_state = "approved"
        draft.invalidate_recordset(["altinn_setup_missing"])
        self.assertFalse(draft.altinn_setup_missing)
