import calendar
from datetime import date, timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import deadlines

# Lifecycle (DOMAIN.md §3). Every state change goes through TRANSITIONS, whatever calls it:
#
#   draft ──submit──▶ submitted ──record_decision──▶ approved | rejected
#     │                   │
#     └──cancel──┐  ┌─────┘ cancel (administrators; deletes the unsigned Altinn instance)
#                ▼  ▼
#              cancelled
#
# After rejected or cancelled, a correction is a new filing of the same year.
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
ACTIVE_STATES = ("draft", "submitted", "approved")
TRANSITIONS = frozenset(
    {
        ("draft", "submitted"),
        ("draft", "cancelled"),
        ("submitted", "approved"),
        ("submitted", "rejected"),
        ("submitted", "cancelled"),
    }
)
ACTIONS = {
    "draft": {"recompute", "edit_notes", "submit", "cancel"},
    "submitted": {"cancel", "record_decision", "refresh_status"},
}
MANAGER_GROUP = "l10n_no_annual_accounts.group_annual_accounts_manager"
# What the filing says about the figures: frozen once it leaves DRAFT.
DRAFT_ONLY_FIELDS = frozenset({"company_id", "reporting_year", "date_from", "date_to", "snapshot"})


class AnnualAccount(models.Model):
    """One filing of the annual accounts (årsregnskap) of a company for a reporting year.

    The figures are a snapshot of the statements engine taken when the draft is created (and
    on "Recompute"), so a later posting never changes a draft silently. Companions:
    ``annual_account_brg.py`` (filing data, BRG validations and XML), ``annual_account_api.py``
    (JSON shapes of the API, notes in and out, the PDF).
    """

    _name = "annual.account"
    _description = "Annual accounts filing"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _check_company_auto = True
    _order = "reporting_year desc, company_id, id desc"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    reporting_year = fields.Integer(required=True, readonly=True, tracking=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    # draft ─submit─▶ submitted ─record_decision─▶ approved | rejected;
    # draft | submitted ─cancel─▶ cancelled (TRANSITIONS, answered by _get_allowed_actions)
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    altinn_instance_id = fields.Char(string="Altinn Instance", readonly=True, copy=False)
    altinn_state = fields.Selection(
        [
            ("none", "Not sent"),
            ("filling", "Filling in"),
            ("awaiting_signature", "Awaiting signature"),
            ("signed", "Signed"),
        ],
        string="Altinn Status",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    main_form_id = fields.Char(string="Main Form", default="RR-0002", readonly=True)
    sub_form_id = fields.Char(string="Sub-form", default="RR-0002-U", readonly=True)
    submitted_at = fields.Datetime(readonly=True, copy=False)
    error_message = fields.Text(readonly=True, copy=False)
    snapshot = fields.Json(readonly=True, copy=False, help="The statements engine's output.")
    snapshot_date = fields.Datetime(string="Figures Taken", readonly=True, copy=False)
    note_ids = fields.One2many("annual.account.note", "annual_account_id", string="Notes")
    currency_id = fields.Many2one(related="company_id.currency_id")
    deadline = fields.Date(compute="_compute_deadline", store=True)
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible Accountant",
        default=lambda self: self.env.company.l10n_no_aa_responsible_user_id,
        tracking=True,
    )
    can_recompute = fields.Boolean(compute="_compute_allowed_actions")
    can_submit = fields.Boolean(compute="_compute_allowed_actions")
    can_cancel = fields.Boolean(compute="_compute_allowed_actions")
    can_edit_notes = fields.Boolean(compute="_compute_allowed_actions")
    can_refresh_status = fields.Boolean(compute="_compute_allowed_actions")
    can_record_decision = fields.Boolean(compute="_compute_allowed_actions")

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends("company_id", "reporting_year")
    def _compute_display_name(self):
        for account in self:
            account.display_name = _(
                "Annual accounts %(year)s – %(company)s",
                year=account.reporting_year,
                company=account.company_id.name,
            )

    @api.depends("date_to")
    def _compute_deadline(self):
        for account in self:
            account.deadline = account.date_to and deadlines.filing_deadline(account.date_to)

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_allowed_actions(self):
        for account in self:
            allowed = account._get_allowed_actions()
            account.can_recompute = "recompute" in allowed
            account.can_submit = "submit" in allowed
            account.can_cancel = "cancel" in allowed
            account.can_edit_notes = "edit_notes" in allowed
            account.can_refresh_status = "refresh_status" in allowed
            account.can_record_decision = "record_decision" in allowed

    # ------------------------------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------------------------------

    def init(self):
        # The one-active-filing rule, also between two transactions creating at the same time.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS annual_account_one_active
                ON annual_account (company_id, reporting_year)
             WHERE state IN ('draft', 'submitted', 'approved')
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        # A clear message before the unique index answers with a database error.
        for vals in vals_list:
            if vals.get("state", "draft") in ACTIVE_STATES:
                probe = self.new({"company_id": self.env.company.id, **vals})
                probe._check_one_active()
        return super().create(vals_list)

    @api.constrains("company_id", "reporting_year", "state")
    def _check_one_active(self):
        for account in self.filtered(lambda a: a.state in ACTIVE_STATES):
            if self.sudo().search_count(
                [
                    ("company_id", "=", account.company_id.id),
                    ("reporting_year", "=", account.reporting_year),
                    ("state", "in", ACTIVE_STATES),
                    ("id", "!=", account._origin.id or 0),
                ],
                limit=1,
            ):
                raise ValidationError(account._one_active_message())

    @api.constrains("reporting_year", "date_from", "date_to")
    def _check_period(self):
        for account in self:
            if not 1900 < account.reporting_year < 2200:
                raise ValidationError(
                    _("%(year)s is not a valid reporting year.", year=account.reporting_year)
                )
            if account.date_from > account.date_to:
                raise ValidationError(_("The period of an annual account ends before it starts."))

    def _one_active_message(self):
        return _(
            "%(company)s already has annual accounts for %(year)s that are draft, submitted or "
            "approved. Cancel them before starting new ones.",
            company=self.company_id.name,
            year=self.reporting_year,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(account.state in ("submitted", "approved", "rejected") for account in self):
            raise UserError(_("Annual accounts that were sent to Altinn cannot be deleted."))

    def write(self, vals):
        if "state" in vals:
            for account in self:
                if (account.state, vals["state"]) not in TRANSITIONS | {(vals["state"],) * 2}:
                    raise UserError(
                        _(
                            "Annual accounts cannot go from %(old)s to %(new)s.",
                            old=account.state.upper(),
                            new=vals["state"].upper(),
                        )
                    )
        if DRAFT_ONLY_FIELDS & set(vals) and any(a.state != "draft" for a in self):
            raise UserError(_("The figures can only change on DRAFT annual accounts."))
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # What is allowed now (buttons, API and crons all ask here)
    # ------------------------------------------------------------------------------------------

    def _get_allowed_actions(self):
        self.ensure_one()
        allowed = set(ACTIONS.get(self.state, ()))
        if self.state == "submitted" and not self.env.user.has_group(MANAGER_GROUP):
            allowed.discard("cancel")
        return allowed

    def _check_action(self, action):
        """Raise the seed's error unless ``action`` is allowed on every record now."""
        for account in self:
            if action in account._get_allowed_actions():
                continue
            if action == "cancel" and account.state == "submitted":
                raise AccessError(_("Only administrators can cancel submitted annual accounts."))
            messages = {
                "submit": _("Only DRAFT annual accounts can be submitted"),
                "edit_notes": _("Notes can only be edited on DRAFT annual accounts"),
                "cancel": _("Only DRAFT and SUBMITTED annual accounts can be cancelled"),
                "recompute": _("Only DRAFT annual accounts can be recomputed"),
            }
            raise UserError(
                messages.get(action)
                or _(
                    "This cannot be done on %(state)s annual accounts.",
                    state=account.state.upper(),
                )
            )

    # ------------------------------------------------------------------------------------------
    # Creating a draft
    # ------------------------------------------------------------------------------------------

    @api.model
    def _create_draft(self, company, year, date_from=None, date_to=None):
        """A new DRAFT for ``company`` (record or id) and ``year``, with the engine's figures and
        the generated notes. Raises AccessError without access to the company, UserError when
        the company already has an active filing for the year."""
        company = self.env["res.company"].browse(getattr(company, "id", company)).exists()
        if not company or (not self.env.su and company.id not in self.env.user._get_company_ids()):
            raise AccessError(_("You do not have access to this client account."))
        try:
            year = int(year)
        except (TypeError, ValueError) as error:
            raise UserError(_("The reporting year must be a number.")) from error
        if not 1900 < year < 2200:
            raise UserError(_("%(year)s is not a valid reporting year.", year=year))
        default_from, default_to = self._default_period(company, year)
        date_from = fields.Date.to_date(date_from) or default_from
        date_to = fields.Date.to_date(date_to) or default_to
        Account = self.with_company(company)
        Account.check_access("create")
        existing = Account.sudo().search(
            [
                ("company_id", "=", company.id),
                ("reporting_year", "=", year),
                ("state", "in", ACTIVE_STATES),
            ],
            limit=1,
        )
        if existing:
            raise UserError(existing._one_active_message())
        snapshot = Account.env["annual.statement.engine"].compute(company, date_from, date_to)
        vals = {
            "company_id": company.id,
            "reporting_year": year,
            "date_from": date_from,
            "date_to": date_to,
            "snapshot": snapshot,
            "snapshot_date": fields.Datetime.now(),
            **Account._filing_defaults(company),
        }
        try:
            with Account.env.cr.savepoint():
                account = Account.create(vals)
        except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure) as error:
            # Another transaction created it meanwhile: the partial unique index decided.
            raise UserError(Account.new(vals)._one_active_message()) from error
        account._generate_notes()
        return account

    @api.model
    def _default_period(self, company, year):
        """The financial year ending in ``year`` at the company's fiscal year end."""
        month = int(company.fiscalyear_last_month or 12)
        day = min(company.fiscalyear_last_day or 31, calendar.monthrange(year, month)[1])
        date_to = date(year, month, day)
        if (month, day) == (12, 31):
            return date(year, 1, 1), date_to
        return date_to - relativedelta(years=1) + timedelta(days=1), date_to

    @api.model
    def action_open_create_draft(self):
        """The "Create draft" button of the list: the year being closed, current company."""
        company = self.env.company
        year = fields.Date.context_today(self).year - 1
        return self._create_draft(company, year)._get_form_action()

    def _get_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
            # From the overview the filing's company may not be selected in the switcher yet.
            "context": {"allowed_company_ids": (self.env.companies | self.company_id).ids},
        }

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def _check_can_submit(self):
        """Raise unless every record may be sent now: DRAFT, no error finding, BRG's hard
        validations and the XSDs pass, soft warnings accepted."""
        self._check_action("submit")
        for account in self:
            errors = [
                f["message"]
                for f in account.snapshot.get("findings", [])
                if f["severity"] == "error"
            ]
            if errors:
                raise UserError(
                    _(
                        "%(name)s cannot be submitted while the figures have errors:\n%(errors)s",
                        name=account.display_name,
                        errors="\n".join(errors),
                    )
                )
            account._brg_check_submittable()

    def action_submit(self):
        self._check_can_submit()
        self._lock_for_altinn()
        for account in self:
            account._altinn_submit()
        return True

    def action_cancel(self):
        self._check_action("cancel")
        self._lock_for_altinn()
        for account in self:
            if account.state == "submitted":
                account._altinn_cancel()
            account.state = "cancelled"
        return True

    def _record_decision(self, approved, reason=None):
        """BRG's decision, recorded by the user or a machine signal."""
        self._check_action("record_decision")
        self.write(
            {"state": "approved" if approved else "rejected", "error_message": reason or False}
        )
        return True

    def _lock_for_altinn(self):
        """Row lock so two users or a cron never send or cancel the same filing twice."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM annual_account WHERE id IN %s FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                _("Someone else is sending these annual accounts right now. Try again shortly.")
            ) from error

    # ------------------------------------------------------------------------------------------
    # Hooks of the Altinn integration (models/annual_account_altinn.py overrides them)
    # ------------------------------------------------------------------------------------------

    def _altinn_submit(self):
        raise UserError(_("Altinn submission is not configured in this build"))

    def _altinn_cancel(self):
        return None
