import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools import deadlines
from .annual_account import REVIEW_STAGES, STATES

_logger = logging.getLogger(__name__)
REMINDER_DAYS = 30
ACTIVITY_TYPE = "l10n_no_annual_accounts.mail_activity_type_filing_deadline"


class AnnualAccountOverview(models.Model):
    """The bureau's overview: every company × reporting year, with its filing and deadline.

    A database view, evaluated at query time, so "days left" is always today's. The years of a
    company are the last financial year that ended (the one being closed) plus every year that
    has a filing. Record rules limit it to the user's companies.
    """

    _name = "annual.account.overview"
    _description = "Annual accounts overview"
    _auto = False
    _order = "deadline, company_id"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", readonly=True)
    reporting_year = fields.Integer(readonly=True)
    annual_account_id = fields.Many2one("annual.account", string="Filing", readonly=True)
    state = fields.Selection([("none", "Not started"), *STATES], string="Status", readonly=True)
    altinn_state = fields.Selection(
        related="annual_account_id.altinn_state", string="Altinn Status"
    )
    date_to = fields.Date(string="Year End", readonly=True)
    deadline = fields.Date(readonly=True)
    days_left = fields.Integer(readonly=True)
    is_filed = fields.Boolean(readonly=True)
    responsible_user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    # Review before filing (issue 18 point 11): draft, prepared, reviewed, then the status.
    review_stage = fields.Selection(
        [("none", "Not started"), *REVIEW_STAGES], string="Stage", readonly=True
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH years(company_id, year, year_end, deadline) AS (
                %(years)s
            ), filings AS (
                SELECT DISTINCT ON (a.company_id, a.reporting_year)
                       a.id, a.company_id, a.reporting_year, a.state, a.date_to, a.deadline,
                       a.responsible_user_id, a.review_stage
                  FROM annual_account a
              ORDER BY a.company_id, a.reporting_year,
                       a.state IN ('draft', 'submitted', 'approved') DESC, a.id DESC
            ), keys AS (
                SELECT company_id, year FROM years
                 WHERE year_end < CURRENT_DATE AND year_end >= CURRENT_DATE - 365
                 UNION
                SELECT company_id, reporting_year FROM filings
            )
            SELECT k.company_id * 10000 + k.year AS id,
                   k.company_id, k.year AS reporting_year, f.id AS annual_account_id,
                   COALESCE(f.state, 'none') AS state,
                   COALESCE(f.review_stage, f.state, 'none') AS review_stage,
                   COALESCE(f.date_to, y.year_end) AS date_to,
                   COALESCE(f.responsible_user_id, c.l10n_no_aa_responsible_user_id)
                       AS responsible_user_id,
                   COALESCE(f.state IN ('submitted', 'approved'), FALSE) AS is_filed,
                   COALESCE(f.deadline, y.deadline) AS deadline,
                   COALESCE(f.deadline, y.deadline) - CURRENT_DATE AS days_left
              FROM keys k
              JOIN res_company c ON c.id = k.company_id
              LEFT JOIN years y ON y.company_id = k.company_id AND y.year = k.year
              LEFT JOIN filings f ON f.company_id = k.company_id AND f.reporting_year = k.year
             WHERE COALESCE(f.date_to, y.year_end) IS NOT NULL
            """,
            years=self._years_sql(),
        )

    def _years_sql(self):
        """``VALUES (company, year, year end, deadline)`` of the financial years around today
        of every active company: the periods and deadlines of the filings' own rules
        (``res.company._l10n_no_aa_financial_year``, ``tools/deadlines``), not a copy in SQL."""
        this_year = fields.Date.context_today(self).year
        rows = [
            SQL(
                "(%s, %s, %s::date, %s::date)",
                company.id,
                year,
                year_end,
                deadlines.filing_deadline(year_end),
            )
            for company in self.env["res.company"].sudo().search([])
            for year in range(this_year - 2, this_year + 2)
            for year_end in [company._l10n_no_aa_financial_year(year)[1]]
        ]
        return SQL("VALUES %s", SQL(", ").join(rows))  # there is always a company

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def action_open_filing(self):
        self.ensure_one()
        # Read again: the row may be older than a draft created since it was loaded.
        account = (
            self.env["annual.account"]
            .with_company(self.company_id)
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("reporting_year", "=", self.reporting_year),
                ],
                order="id desc",
                limit=1,
            )
        )
        account = account or self.env["annual.account"]._create_draft(
            self.company_id, self.reporting_year
        )
        return account._form_action()

    # ------------------------------------------------------------------------------------------
    # Cron: an activity for the responsible accountant 30 days before the deadline
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_deadline_activities(self):
        rows = self.sudo().search(
            [
                ("is_filed", "=", False),
                ("state", "not in", ("cancelled",)),
                ("days_left", ">=", 0),
                ("days_left", "<=", REMINDER_DAYS),
            ]
        )
        for row in rows:
            try:
                row._schedule_deadline_activity()
            except Exception:
                _logger.exception("Deadline activity for %s failed", row.company_id.name)

    def _schedule_deadline_activity(self):
        """One activity per company and year: on the filing if there is one, otherwise on the
        company's partner; never twice, even after the first one was marked done."""
        self.ensure_one()
        activity_type = self.env.ref(ACTIVITY_TYPE)
        user = self.responsible_user_id or self.company_id.l10n_no_aa_responsible_user_id
        if not user:
            return False
        summary = _(
            "Annual accounts %(year)s of %(company)s due %(deadline)s",
            year=self.reporting_year,
            company=self.company_id.name,
            deadline=self.deadline.strftime("%d.%m.%Y"),
        )
        targets = [("res.partner", self.company_id.partner_id.id)]
        accounts = self.env["annual.account"].search(
            [("company_id", "=", self.company_id.id), ("reporting_year", "=", self.reporting_year)]
        )
        targets += [("annual.account", account_id) for account_id in accounts.ids]
        since = fields.Datetime.to_datetime(self.deadline) - timedelta(days=REMINDER_DAYS + 1)
        for model, res_id in targets:
            domain = [
                ("res_model", "=", model),
                ("res_id", "=", res_id),
                ("activity_type_id", "=", activity_type.id),
            ]
            done = [
                ("model", "=", model),
                ("res_id", "=", res_id),
                ("mail_activity_type_id", "=", activity_type.id),
                ("create_date", ">=", since),
            ]
            if self.env["mail.activity"].search_count(
                domain + [("summary", "=", summary)]
            ) or self.env["mail.message"].search_count(done):
                return False
        record = self.annual_account_id or self.company_id.partner_id
        return record.activity_schedule(
            act_type_xmlid=ACTIVITY_TYPE,
            date_deadline=self.deadline,
            summary=summary,
            user_id=user.id,
        )
