from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .allocation_common import AllocationCommon


@tagged("post_install", "-at_install")
class TestAllocationGroupContribution(AllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        norway = cls.env.ref("base.no")
        cls.subsidiaries = {
            pct: cls.env["res.partner"].create(
                {
                    "name": f"Datter {pct} AS",
                    "is_company": True,
                    "country_id": norway.id,
                    "l10n_no_aa_org_form": "AS",
                    "l10n_no_aa_group_parent_id": cls.company.partner_id.id,
                    "l10n_no_aa_group_shares_pct": pct,
                    "l10n_no_aa_group_votes_pct": pct,
                }
            )
            for pct in (85, 100)
        }

    def contribution(self, recipient, amount="50000.00"):
        """A final allocation giving ``amount`` to ``recipient``, the rest to other equity."""
        rest = f"{150000 - float(amount):.2f}"
        return {
            "is_draft": False,
            "structured_data": {
                "group_contribution": amount,
                "recipient_business_partner_id": recipient.id,
                "board_confirmation": True,
            },
            "lines": [
                {"account_code": "8935", "debit": amount, "credit": "0"},
                {
                    "account_code": "2920",
                    "debit": "0",
                    "credit": amount,
                    "partner_id": recipient.id,
                },
                {"account_code": "8960", "debit": rest, "credit": "0"},
                {"account_code": "2050", "debit": "0", "credit": rest},
            ],
        }

    def test_contribution_to_a_company_owned_85_percent_is_refused(self):
        error = self.assert_refused(
            self.contribution(self.subsidiaries[85]),
            UserError,
            "structured_data.group_contribution",
            "10-4",
        )
        self.assertIn(self.subsidiaries[85].name, str(error))

    def test_contribution_to_a_wholly_owned_company_is_posted(self):
        subsidiary = self.subsidiaries[100]
        result = self.post(self.contribution(subsidiary))
        self.assertEqual(result["state"], "posted")
        line = next(x for x in result["lines"] if x["account_code"] == "2920")
        self.assertEqual((line["credit"], line["partner_id"]), ("50000.00", subsidiary.id))

        data = self.get()
        group = data["group_contribution"]
        self.assertTrue(group["passed"])
        checks = {c["key"]: c for c in group["checks"]}
        self.assertEqual(
            {key: c["passed"] for key, c in checks.items()},
            {
                "recipient": True,
                "norwegian_limited_companies": True,
                "group_ownership": True,
                "dividend_capacity": True,
                "tax_cap": True,
            },
        )
        self.assertEqual(checks["group_ownership"]["figures"]["relation"], "parent_to_subsidiary")
        # Nothing entered: the cap is the year's result before tax, 192 300.
        self.assertEqual(
            group["tax_cap"],
            {
                "taxable_income": "192300.00",
                "source": "result_before_tax",
                "deductible": "50000.00",
                "excess": "0.00",
            },
        )
        # 440 000 - 0 dividend - 50 000 contribution.
        self.assertEqual(checks["dividend_capacity"]["figures"]["remaining"], "390000.00")

    def test_contribution_beyond_the_dividend_capacity_is_refused(self):
        payload = self.contribution(self.subsidiaries[100])
        payload["structured_data"]["dividend"] = "400000.00"
        self.assert_refused(payload, UserError, "8-5")

    def test_contribution_from_a_company_that_is_not_an_as_is_refused(self):
        self.company.partner_id.l10n_no_aa_org_form = "ENK"
        self.assert_refused(self.contribution(self.subsidiaries[100]), UserError, "ENK")

    def test_ownership_must_be_a_percentage_without_cycles(self):
        subsidiary = self.subsidiaries[100]
        with self.assertRaises(ValidationError):
            subsidiary.l10n_no_aa_group_votes_pct = 100.01
        with self.assertRaises(ValidationError):
            self.company.partner_id.l10n_no_aa_group_parent_id = subsidiary
