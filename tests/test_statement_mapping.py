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
