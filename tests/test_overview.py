from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .annual_account_common import AnnualAccountCommon
from .common import create_accountant


@tagged("post_install", "-at_install")
class TestOverview(AnnualAccountCommon):
    """The overview is a view evaluated against the database's CURRENT_DATE; the tests pin
    "today" by moving the companies' year ends and filings relative to the real today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = create_accountant(cls.env, "ansvarlig", cls.company + cls.other_company)
        cls.company.l10n_no_aa_responsible_user_id = cls.accountant
        cls.other_company.l10n_no_aa_responsible_user_id = cls.accountant
        cls.today = fields.Date.context_today(cls.env["annual.account.overview"])
        cls.env.cr.execute("SELECT CURRENT_DATE")
        cls.db_today = cls.env.cr.fetchone()[0]

    def rows(self, company, **domain):
        Overview = self.env["annual.account.overview"].with_context(
            allowed_company_ids=(self.company + self.other_company).ids
        )
        return Overview.search(
            [("company_id", "=", company.id)] + [(k, "=", v) for k, v in domain.items()]
        )

    def test_every_company_and_closed_year_with_deadline_and_days_left(self):
        last_year = self.db_today.year - 1
        row = self.rows(self.company, reporting_year=last_year)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.state, "none")
        self.assertEqual(row.date_to, date(last_year, 12, 31))
        self.assertEqual(row.deadline, date(last_year + 1, 7, 31))
        self.assertEqual(row.days_left, (date(last_year + 1, 7, 31) - self.db_today).days)
        # a year ending 30 June files by 31 January
        self.other_company.write({"fiscalyear_last_month": "6", "fiscalyear_last_day": 30})
        self.env.flush_all()
        june = date(self.db_today.year, 6, 30)
        june = june if june < self.db_today else date(last_year, 6, 30)
        row = self.rows(self.other_company, reporting_year=june.year)
        self.assertEqual((row.date_to, row.deadline), (june, date(june.year + 1, 1, 31)))
        # only the last year that ended, not the one before
        self.assertFalse(self.rows(self.other_company, reporting_year=june.year - 1))

    def test_every_company_the_user_may_access_whatever_is_selected(self):
        Overview = self.env["annual.account.overview"].with_user(self.accountant)
        only_one = Overview.with_context(allowed_company_ids=[self.company.id])
        companies = only_one.search([]).company_id
        self.assertEqual(companies, self.company + self.other_company)
        outsider = create_accountant(self.env, "utenfor", self.other_company)
        self.assertEqual(
            self.env["annual.account.overview"].with_user(outsider).search([]).company_id,
            self.other_company,
        )
        rows = only_one.search([])
        self.assertEqual(set(rows.mapped("deadline")), {date(self.db_today.year, 7, 31)})

    def test_filing_status_and_filters(self):
        account = self.create_draft()  # 2025
        self.move_to(account, state="submitted")
        self.env["annual.altinn.attempt"].sudo().create(
            {"annual_account_id": account.id, "state": "awaiting_signature", "instance_id": "1/x"}
        )
        self.env.flush_all()
        row = self.rows(self.company, reporting_year=2025)
        self.assertRecordValues(
            row,
            [
                {
                    "annual_account_id": account.id,
                    "state": "submitted",
                    "is_filed": True,
                    "altinn_state": "awaiting_signature",
                    "deadline": date(2026, 7, 31),
                }
            ],
        )
        Overview = self.env["annual.account.overview"]
        action = self.env.ref("l10n_no_annual_accounts.action_annual_account_overview")
        self.assertEqual(action.res_model, Overview._name)
        self.assertIn(row, Overview.search([("altinn_state", "=", "awaiting_signature")]))
        account._record_decision(False, "Feil")
        self.env.flush_all()
        self.assertIn(row.id, Overview.search([("state", "=", "rejected")]).ids)
        overdue = Overview.search([("days_left", "<", 0), ("is_filed", "=", False)])
        self.assertTrue(all(r.deadline < self.db_today for r in overdue))

    def test_open_from_the_overview_creates_the_draft(self):
        row = self.rows(self.company, reporting_year=2025)
        action = row.action_open_filing()
        account = self.env["annual.account"].browse(action["res_id"])
        self.assertEqual((account.company_id, account.reporting_year), (self.company, 2025))
        self.assertIn(self.company.id, action["context"]["allowed_company_ids"])
        self.assertEqual(row.action_open_filing()["res_id"], account.id)  # no second draft

    def test_cron_schedules_one_activity_thirty_days_before(self):
        # Pretend the deadline of 2025 is 20 days away: move the year end of the company.
        year_end = date(self.db_today.year - 1, 12, 31)
        deadline = date(year_end.year + 1, 7, 31)
        self.company.write({"fiscalyear_last_month": "12", "fiscalyear_last_day": 31})
        Overview = self.env["annual.account.overview"]
        rows = Overview.search(
            [("company_id", "=", self.company.id), ("reporting_year", "=", year_end.year)]
        )
        with patch.object(type(Overview), "search", lambda self, domain, **kw: rows):
            Overview._cron_deadline_activities()
            Overview._cron_deadline_activities()  # no duplicates
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.company.partner_id.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.accountant)
        self.assertEqual(activities.date_deadline, deadline)
        self.assertIn(str(year_end.year), activities.summary)
        activities.action_feedback("Levert")  # done: still never scheduled again
        with patch.object(type(Overview), "search", lambda self, domain, **kw: rows):
            Overview._cron_deadline_activities()
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.company.partner_id.id)]
            )
        )

    def test_cron_selects_only_unfiled_rows_due_within_thirty_days(self):
        Overview = self.env["annual.account.overview"]
        captured = {}
        real_search = type(Overview).search

        def spy(self, domain, **kw):
            captured["domain"] = domain
            return real_search(self, domain, **kw)

        with patch.object(type(Overview), "search", spy):
            Overview._cron_deadline_activities()
        self.assertIn(("days_left", "<=", 30), captured["domain"])
        self.assertIn(("days_left", ">=", 0), captured["domain"])
        self.assertIn(("is_filed", "=", False), captured["domain"])
