from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import AnnualAccountsCommon, create_accountant


@tagged("post_install", "-at_install")
class TestPreCloseChecks(AnnualAccountsCommon):
    """Each check on a real 2025 ledger: a clean close passes them all; each way of failing
    one makes it warn, with the failing records (and only those) behind it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = create_accountant(cls.env, "avstemmer", cls.company)

    def entry(self, date, lines, post=True, company=None):
        """``[(code, balance[, partner])]``: ``make_entry`` with partners on the lines."""
        move = self.make_entry(date, [line[:2] for line in lines], company=company, post=False)
        for move_line, line in zip(move.line_ids, lines, strict=True):
            if len(line) > 2:
                move_line.partner_id = line[2]
        if post:
            move.action_post()
        return move

    def post_clean_year(self, vat_closing=True, depreciation=True, tax=True):
        """2025: equity paid in, a fixed asset bought and depreciated, a sale with VAT and its
        term's closing, the customer paid, the tax cost booked."""
        customer = self.partner_a
        self.entry("2025-01-05", [("1920", 100000), ("2000", -100000)])
        self.entry("2025-02-01", [("1250", 50000), ("1920", -50000)])
        sale = self.entry(
            "2025-02-10", [("1500", 125000, customer), ("3000", -100000), ("2700", -25000)]
        )
        self.entry("2025-03-01", [("1920", 125000), ("1500", -125000, customer)])
        if vat_closing:
            self.entry("2025-02-28", [("2700", 25000), ("2740", -25000)])
        if depreciation:
            self.entry("2025-12-31", [("6017", 10000), ("1250", -10000)])
        if tax:
            self.entry("2025-12-31", [("8300", 19800), ("2500", -19800)])
        return sale

    def draft(self):
        return self.env["annual.account"]._create_draft(self.company, 2025)

    def check(self, account, code):
        self.env.invalidate_all()
        return account.check_ids.filtered(lambda c: c.code == code)

    def failing(self, account, code):
        """The records the check's button opens."""
        action = self.check(account, code).action_open_records()
        return self.env[action["res_model"]].search(action["domain"])

    def assertWarns(self, account, code):
        check = self.check(account, code)
        self.assertEqual(check.result, "warning", check.detail)
        self.assertTrue(check.detail)
        return check

    def assertPasses(self, account, code):
        check = self.check(account, code)
        self.assertEqual(check.result, "ok", check.detail)
        self.assertEqual(check.failing_count, 0)
        return check

    # ------------------------------------------------------------------------------------------

    def test_a_clean_close_passes_every_check(self):
        self.post_clean_year()
        account = self.draft()
        self.env.invalidate_all()
        self.assertEqual(
            sorted(account.check_ids.mapped("code")),
            sorted(
                [
                    "draft_entries",
                    "unreconciled_bank",
                    "partner_ledgers",
                    "vat_terms",
                    "depreciation",
                    "tax_cost",
                ]
            ),
        )
        self.assertEqual(account.check_ids.mapped("result"), ["ok"] * 6)
        self.assertEqual(account.check_warning_count, 0)

    def test_unposted_entries_of_the_year(self):
        self.post_clean_year()
        draft = self.entry("2025-11-30", [("6300", 1000), ("1920", -1000)], post=False)
        self.entry("2026-01-15", [("6300", 500), ("1920", -500)], post=False)  # next year
        account = self.draft()
        check = self.assertWarns(account, "draft_entries")
        self.assertEqual(check.failing_count, 1)
        self.assertEqual(self.failing(account, "draft_entries"), draft)
        self.assertEqual(account.check_warning_count, 1)
        draft.action_post()
        self.assertPasses(account, "draft_entries")

    def test_bank_statement_lines_not_reconciled_at_year_end(self):
        self.post_clean_year()
        journal = self.company_data["default_journal_bank"]
        Line = self.env["account.bank.statement.line"]
        open_line = Line.create(
            {"date": "2025-12-20", "journal_id": journal.id, "payment_ref": "Ukjent", "amount": 500}
        )
        Line.create(
            {"date": "2026-01-05", "journal_id": journal.id, "payment_ref": "Neste år", "amount": 7}
        )
        account = self.draft()
        self.assertWarns(account, "unreconciled_bank")
        self.assertEqual(self.failing(account, "unreconciled_bank"), open_line)

    def test_bank_lines_after_the_year_end_pass(self):
        self.post_clean_year()
        self.env["account.bank.statement.line"].create(
            {
                "date": "2026-01-05",
                "journal_id": self.company_data["default_journal_bank"].id,
                "payment_ref": "Neste år",
                "amount": 7,
            }
        )
        self.assertPasses(self.draft(), "unreconciled_bank")

    def test_receivables_without_a_partner_differ_from_the_control_account(self):
        self.post_clean_year()
        orphan = self.entry("2025-06-01", [("1500", 4000), ("3000", -4000)])
        # booked and reversed without a partner: the ledgers still agree on this one
        self.entry("2025-06-02", [("2400", -300), ("6300", 300)])
        self.entry("2025-06-03", [("2400", 300), ("6300", -300)])
        account = self.draft()
        check = self.assertWarns(account, "partner_ledgers")
        self.assertIn("1500", check.detail)
        self.assertNotIn("2400", check.detail)
        self.assertEqual(
            self.failing(account, "partner_ledgers"),
            orphan.line_ids.filtered(lambda line: line.account_id.code == "1500"),
        )

    def test_partner_ledgers_agree_when_every_item_names_a_partner(self):
        self.post_clean_year()
        self.entry("2025-06-02", [("2400", -300), ("6300", 300)])
        self.entry("2025-06-03", [("2400", 300), ("6300", -300)])
        self.assertPasses(self.draft(), "partner_ledgers")

    def test_a_term_without_a_vat_closing(self):
        sale = self.post_clean_year(vat_closing=False)
        # the May-June term was closed; January-February was not
        later = self.entry("2025-05-10", [("1920", 12500), ("3000", -10000), ("2700", -2500)])
        self.entry("2025-06-30", [("2700", 2500), ("2740", -2500)])
        account = self.draft()
        check = self.assertWarns(account, "vat_terms")
        self.assertIn(format_date(self.env, date(2025, 1, 1)), check.detail)
        self.assertNotIn(format_date(self.env, date(2025, 5, 1)), check.detail)
        vat_lines = self.failing(account, "vat_terms")
        self.assertEqual(
            vat_lines, sale.line_ids.filtered(lambda line: line.account_id.code == "2700")
        )
        self.assertNotIn(later.line_ids[2], vat_lines)

    def test_an_annual_vat_term_is_settled_once_a_year(self):
        self.post_clean_year(vat_closing=False)
        self.entry("2025-12-31", [("2700", 25000), ("2740", -25000)])
        account = self.draft()
        self.assertWarns(account, "vat_terms")  # bi-monthly: January-February is open
        self.company.l10n_no_aa_vat_term = "annual"
        self.assertPasses(account, "vat_terms")

    def test_fixed_assets_without_depreciation(self):
        self.post_clean_year(depreciation=False)
        account = self.draft()
        check = self.assertWarns(account, "depreciation")
        self.assertIn("1250", check.detail)
        self.assertEqual(self.failing(account, "depreciation").account_id.mapped("code"), ["1250"])

    def test_no_depreciation_needed_without_fixed_assets(self):
        self.entry("2025-01-05", [("1920", 100000), ("2000", -100000)])
        self.assertPasses(self.draft(), "depreciation")

    def test_a_profit_without_a_tax_cost(self):
        self.post_clean_year(tax=False)
        account = self.draft()
        check = self.assertWarns(account, "tax_cost")
        self.assertIn("90", check.detail)  # 100 000 sales - 10 000 depreciation
        codes = set(self.failing(account, "tax_cost").account_id.mapped("code"))
        self.assertEqual(codes, {"3000", "6017"})

    def test_a_loss_needs_no_tax_cost(self):
        self.entry("2025-03-01", [("6300", 20000), ("1920", -20000)])
        self.assertPasses(self.draft(), "tax_cost")

    # ------------------------------------------------------------------------------------------
    # Dismissal
    # ------------------------------------------------------------------------------------------

    def test_dismissal_records_who_when_and_why(self):
        self.post_clean_year(tax=False)
        account = self.draft().with_user(self.accountant)
        check = self.check(account, "tax_cost").with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "why"):
            check._dismiss("  ")
        with self.assertRaisesRegex(UserError, "Dismiss button"):
            check.write({"dismissed": True, "dismiss_reason": "skjult"})
        wizard = (
            self.env["annual.account.check.dismiss"]
            .with_user(self.accountant)
            .create({"check_id": check.id, "reason": "Fremførbart underskudd dekker skatten."})
        )
        wizard.action_confirm()
        check = self.check(account, "tax_cost")
        self.assertRecordValues(
            check,
            [
                {
                    "result": "dismissed",
                    "dismissed": True,
                    "dismissed_by_id": self.accountant.id,
                    "dismiss_reason": "Fremførbart underskudd dekker skatten.",
                }
            ],
        )
        self.assertTrue(check.dismissed_at)
        self.assertEqual(account.check_warning_count, 0)
        self.assertIn("Fremførbart underskudd", account.message_ids[0].body)
        check.with_user(self.accountant).action_restore()
        self.assertEqual(self.check(account, "tax_cost").result, "warning")

    def test_a_filed_filing_keeps_its_dismissals(self):
        self.post_clean_year(tax=False)
        account = self.draft()
        with account._lifecycle():
            account.state = "cancelled"
        with self.assertRaisesRegex(UserError, "draft"):
            self.check(account, "tax_cost")._dismiss("for sent")

    def test_checks_of_another_company_stay_hidden(self):
        self.post_clean_year()
        account = self.draft()
        account.check_ids.filtered(lambda c: c.code == "tax_cost").sudo().unlink()
        outsider = create_accountant(self.env, "utenfor", self.other_company)
        with self.assertRaises(AccessError):
            account.check_ids.with_user(outsider).read(["result"])
        with self.assertRaises(AccessError):
            self.env["annual.account.check"].with_user(outsider).create(
                {"account_id": account.id, "code": "tax_cost"}
            )

    def test_new_filings_get_their_rows_and_upgrades_fill_missing_ones(self):
        account = self.draft()
        self.env.cr.execute("DELETE FROM annual_account_check WHERE account_id = %s", [account.id])
        self.env["annual.account.check"].init()
        self.env.invalidate_all()
        self.assertEqual(len(account.check_ids), 6)
        self.assertEqual(account.check_ids.company_id, self.company)
