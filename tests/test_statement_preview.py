from odoo.tests import tagged

from .common import AnnualAccountsCommon


@tagged("post_install", "-at_install")
class TestStatementPreview(AnnualAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_entry("2024-06-01", [("1920", 1000), ("3000", -1000)])
        cls.make_entry("2025-03-01", [("1500", 5000), ("3000", -4000), ("2700", -1000)])
        cls.make_entry("2025-04-01", [("1920", 5000), ("1500", -5000)])

    def open_preview(self, year=2025):
        preview = self.env["annual.statement.preview"].create(
            {"company_id": self.company.id, "reporting_year": year}
        )
        preview._onchange_reporting_year()
        preview.action_refresh()
        return preview

    def test_menu_action_opens_last_year_computed(self):
        action = self.env["annual.statement.preview"].action_open()
        preview = self.env["annual.statement.preview"].browse(action["res_id"])
        self.assertEqual(preview.company_id, self.env.company)
        self.assertEqual(len(preview.res_line_ids) + len(preview.bal_line_ids), 148)

    def test_lines_findings_and_comparatives(self):
        preview = self.open_preview()
        sales = preview.res_line_ids.filtered(lambda line: line.key == "RES-20")
        self.assertRecordValues(sales, [{"amount": 4000.0, "prior_amount": 1000.0, "code": "1340"}])
        self.assertEqual(sales.account_summary, "3000")
        self.assertEqual(preview.error_count, 0)
        self.assertEqual(preview.warning_count, 1)  # the result is not allocated
        self.assertIn("UNALLOCATED_RESULT", preview.findings_html)
        self.assertTrue(all(line.section == "BAL" for line in preview.bal_line_ids))

    def test_drill_down_to_journal_items(self):
        preview = self.open_preview()
        sales = preview.res_line_ids.filtered(lambda line: line.key == "RES-20")
        action = sales.action_open_journal_items()
        items = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(sum(items.mapped("balance")), -4000)
        prior = self.env["account.move.line"].search(
            sales.action_open_prior_journal_items()["domain"]
        )
        self.assertEqual(sum(prior.mapped("balance")), -1000)
        # a sum drills down to every account under it; the balance sheet is cumulative
        total_assets = preview.bal_line_ids.filtered(lambda line: line.key == "BAL-420")
        items = self.env["account.move.line"].search(
            total_assets.action_open_journal_items()["domain"]
        )
        self.assertEqual(sorted(set(items.account_id.mapped("code"))), ["1920"])
        self.assertEqual(sum(items.mapped("balance")), 6000)
        # other equity carries the unallocated result: its items are the P&L accounts' to date
        other_equity = preview.bal_line_ids.filtered(lambda line: line.key == "BAL-520")
        self.assertEqual(other_equity.amount, 5000)
        action = other_equity.action_open_journal_items()
        items = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(sum(items.mapped("balance")), -5000)
