from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AnnualAccountsCommon


@tagged("post_install", "-at_install")
class TestStatementMapping(AnnualAccountsCommon):
    def test_default_rules_are_loaded_and_survive_an_upgrade(self):
        Rule = self.env["annual.account.mapping.rule"]
        rule = self.env.ref("l10n_no_annual_accounts.rule_3300_3999")
        self.assertEqual(rule.line_id, self.env.ref("l10n_no_annual_accounts.line_res_30"))
        count = Rule.search_count([])
        rule.line_id = self.env.ref("l10n_no_annual_accounts.line_res_20")
        Rule._load_default_rules()  # what an upgrade of the module does
        self.assertEqual(rule.line_id, self.env.ref("l10n_no_annual_accounts.line_res_20"))
        self.assertEqual(Rule.search_count([]), count)

    def test_rules_are_checked(self):
        Rule = self.env["annual.account.mapping.rule"]
        line = self.env.ref("l10n_no_annual_accounts.line_res_20")
        for code_from, code_to in (("3100", "30"), ("3999", "3000"), ("30A0", "3099")):
            with self.assertRaises(ValidationError):
                Rule.create({"code_from": code_from, "code_to": code_to, "line_id": line.id})
        with self.assertRaises(ValidationError):  # a sum is computed, never fed
            Rule.create(
                {
                    "code_from": "3000",
                    "code_to": "3099",
                    "line_id": self.env.ref("l10n_no_annual_accounts.line_res_40").id,
                }
            )
        with self.assertRaises(ValidationError):  # the same range twice
            Rule.create({"code_from": "3300", "code_to": "3999", "line_id": line.id})

    def test_rule_shows_its_accounts(self):
        rule = self.env.ref("l10n_no_annual_accounts.rule_5000_5999").with_company(self.company)
        codes = rule.account_ids.mapped("code")
        self.assertIn("5000", codes)
        self.assertTrue(all(code.startswith("5") for code in codes))

    def test_shared_account_is_mapped_by_each_companys_code(self):
        """Odoo 18 shares accounts between companies, with a code per company."""
        both = self.company | self.other_company
        shared = (
            self.env["account.account"]
            .with_company(self.company)
            .create(
                {
                    "code": "3955",
                    "name": "Shared income",
                    "account_type": "income",
                    "company_ids": [(6, 0, self.company.ids)],
                }
            )
        )
        shared.with_company(self.other_company).code = "8085"
        shared.company_ids = both
        self.make_entry("2025-05-01", [("3955", -300), ("1920", 300)])
        self.make_entry("2025-05-01", [("8085", -200), ("1920", 200)], company=self.other_company)
        mine = self.amounts(self.engine.compute(self.company, reporting_year=2025))
        theirs = self.amounts(self.engine.compute(self.other_company, reporting_year=2025))
        self.assertEqual((mine["7709"], mine["24998"]), (300, 0))  # other operating income
        self.assertEqual((theirs["7709"], theirs["24998"]), (0, 200))  # value increase
        line = next(
            line
            for line in self.engine.compute(self.other_company, reporting_year=2025)["lines"]
            if line["code"] == "24998"
        )
        self.assertEqual([a["code"] for a in line["accounts"]], ["8085"])
