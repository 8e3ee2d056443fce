import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from .annual_account import STATES

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

    @property
    def _table_query(self):
        return SQL(
            """
            WITH years AS (
                SELECT c.id AS company_id, y.year,
                       make_date(y.year, COALESCE(c.fiscalyear_last_month, '12')::int,
                                 LEAST(c.fiscalyear_last_day, extract(day from
                                       (make_date(y.year, COALESCE(c.fiscalyear_last_month,
                                        '12')::int, 1) + interval '1 month - 1 day'))::int)
                       ) AS year_end
                  FROM res_company c
                 CROSS JOIN LATERAL generate_series(
                       extract(year from CURRENT_DATE)::int - 2,
                       extract(year from CURRENT_DATE)::int) AS y(year)
                 WHERE c.active
            ), filings AS (
                SELECT DISTINCT ON (a.company_id, a.reporting_year)
                       a.id, a.company_id, a.reporting_year, a.state, a.date_to,
                       a.responsible_user_id
                  FROM annual_account a
              ORDER BY a.company_id, a.reporting_year,
                       a.state IN ('draft', 'submitted', 'approved') DESC, a.id DESC
            ), keys AS (
                SELECT company_id, year FROM years
                 WHERE year_end < CURRENT_DATE AND year_end >= CURRENT_DATE - 365
                 UNION
                SELECT company_id, reporting_year FROM filings
            ), rows AS (
                SELECT k.company_id, k.year, f.id AS annual_account_id,
                       COALESCE(f.state, 'none') AS state,
                       COALESCE(f.date_to, y.year_end) AS date_to,
                       COALESCE(f.responsible_user_id, c.l10n_no_aa_responsible_user_id)
                           AS responsible_user_id
                  FROM keys k
                  JOIN res_company c ON c.id = k.company_id
                  LEFT JOIN years y ON y.company_id = k.company_id AND y.year = k.year
                  LEFT JOIN filings f
                    ON f.company_id = k.company_id AND f.reporting_year = k.year
            )
            SELECT company_id * 10000 + year AS id,
                   company_id, year AS reporting_year, annual_account_id, state, date_to,
                   responsible_user_id,
                   state IN ('submitted', 'approved') AS is_filed,
                   d.deadline, (d.deadline - CURRENT_DATE) AS days_left
              FROM rows
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN extract(month from date_to) <= 6
                               THEN make_date(extract(year from date_to)::int + 1, 1, 31)
                               ELSE make_date(extract(year from date_to)::int + 1, 7, 31)
                          END AS deadline) d
             WHERE date_to IS NOT NULL
            """
        )

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
        return account._get_form_action()

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
