import base64
import contextlib
import contextvars
import hashlib
import json

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import brg_validation, brg_xml, deadlines, statement_report
from ..tools import notes as notes_tools
from ..tools.altinn_attachments import check_attachment
from ..tools.altinn_client import AltinnError
from ..tools.brg_rules_hovedskjema import ALLOWED_ORG_FORMS
from .altinn_messages import altinn_error_message
from .annual_altinn_attempt import InstanceGone

# Lifecycle (DOMAIN.md §3). Only these methods change the state, along TRANSITIONS:
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
REPORT = "l10n_no_annual_accounts.action_report_annual_account"
SYSTEM_NAME = "Odoo l10n_no_annual_accounts"
ORG_FORMS = [(form, form) for form in sorted(ALLOWED_ORG_FORMS)]
# What the ledger cannot know and the notes need; changing one regenerates the notes.
NOTE_INPUT_FIELDS = (
    "full_time_equivalents",
    "pension_scheme",
    "receivables_due_after_one_year",
    "debt_due_after_five_years",
    "secured_debt",
    "pledged_assets_book_value",
    "guarantees_total",
    "manager_loans",
    "manager_security",
    "manager_loans_text",
    "own_shares_count",
    "share_count",
    "shareholders_text",
)
# The Hovedskjema's answers: with the figures and the notes, what was filed stays as filed.
FILING_ANSWER_FIELDS = (
    "org_form",
    "small_enterprise",
    "ifrs",
    "parent_company",
    "group_accounts",
    "approval_date",
    "approval_confirmed_by",
    "general_manager_id",
    "board_member_ids",
    "not_audited",
    "prepared_by_authorised_accountant",
    "external_accountant_assistance",
    "contact_email",
    "brg_warnings_accepted",
)
# The group accounts' answers (section "Group accounts" below).
GROUP_ANSWER_FIELDS = ("group_accounting_rules",)
# The review's fields (section "Prepared → reviewed" below) and the stages the overview shows.
REVIEW_FIELDS = (
    "prepared_by_id",
    "prepared_at",
    "reviewed_by_id",
    "reviewed_at",
    "reviewed_fingerprint",
)
REVIEW_STAGES = [
    ("draft", "Draft"),
    ("prepared", "Prepared"),
    ("reviewed", "Reviewed"),
    *STATES[1:],
]
# Filing answers that default from the company (res.company l10n_no_aa_<name>).
COMPANY_DEFAULTS = (
    "org_form",
    "small_enterprise",
    "parent_company",
    "not_audited",
    "prepared_by_authorised_accountant",
    "external_accountant_assistance",
    "contact_email",
    "general_manager_id",
    "board_member_ids",
    "responsible_user_id",
)
# Filing data, XML and BRG's issues of the filings an action works on, built once per action
# (see _brg_once); None outside such an action.
_BRG_BUILDS = contextvars.ContextVar("l10n_no_aa_brg_builds", default=None)
# The schema of each document _brg_build makes: the group accounts are an Underskjema.
XSD_KINDS = {"konsernregnskap": "underskjema"}


class AnnualAccount(models.Model):
    """One filing of the annual accounts (årsregnskap) of a company for a reporting year.

    The figures are a snapshot of the statements engine taken when the filing is created (and
    on "Recompute"), so a later posting never changes a draft silently. The filing adds BRG's
    answers and the inputs of the notes; from these it builds the filing data, BRG's XML and
    validations and the PDF. Each attempt to file it through Altinn is an
    ``annual.altinn.attempt`` (section "Altinn" below).
    """

    _name = "annual.account"
    _description = "Annual accounts filing"
    _inherit = ["annual.document.mixin", "mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _check_company_auto = True
    _order = "reporting_year desc, company_id, id desc"

    _managed_fields = ("state", "snapshot", "snapshot_date")
    _draft_fields = FILING_ANSWER_FIELDS + NOTE_INPUT_FIELDS + GROUP_ANSWER_FIELDS
    _transitions = TRANSITIONS

    company_id = fields.Many2one(readonly=True)
    reporting_year = fields.Integer(readonly=True, tracking=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
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
    main_form_id = fields.Char(string="Main Form", default="RR-0002", readonly=True)
    sub_form_id = fields.Char(string="Sub-form", default="RR-0002-U", readonly=True)
    submitted_at = fields.Datetime(readonly=True, copy=False)
    error_message = fields.Text(readonly=True, copy=False)
    snapshot = fields.Json(readonly=True, copy=False, help="The statements engine's output.")
    snapshot_date = fields.Datetime(string="Figures Taken", readonly=True, copy=False)
    note_ids = fields.One2many("annual.account.note", "annual_account_id", string="Notes")
    deadline = fields.Date(compute="_compute_deadline", store=True)
    responsible_user_id = fields.Many2one(
        "res.users", string="Responsible Accountant", tracking=True
    )
    can_recompute = fields.Boolean(compute="_compute_allowed_actions")
    can_submit = fields.Boolean(compute="_compute_allowed_actions")
    can_cancel = fields.Boolean(compute="_compute_allowed_actions")
    can_edit_notes = fields.Boolean(compute="_compute_allowed_actions")
    can_refresh_status = fields.Boolean(compute="_compute_allowed_actions")
    can_record_decision = fields.Boolean(compute="_compute_allowed_actions")

    # What the form shows of the figures and of BRG's checks.
    statement_html = fields.Html(
        string="Statements", compute="_compute_statement_html", sanitize=False
    )
    findings_html = fields.Html(compute="_compute_findings", sanitize=False)
    has_error_findings = fields.Boolean(compute="_compute_findings")
    brg_issues_html = fields.Html(string="BRG Validation", compute="_compute_brg", sanitize=False)
    brg_error_count = fields.Integer(compute="_compute_brg")
    brg_warning_count = fields.Integer(compute="_compute_brg")
    hovedskjema_file = fields.Binary(compute="_compute_brg", attachment=False)
    underskjema_file = fields.Binary(compute="_compute_brg", attachment=False)

    # Answers of the Hovedskjema (defaults from the company).
    org_form = fields.Selection(ORG_FORMS, string="Organisation Form", default="AS")
    small_enterprise = fields.Boolean(string="Small Enterprise Rules", default=True)
    ifrs = fields.Boolean(string="IFRS")
    parent_company = fields.Boolean(help="The company is the parent of a group.")
    group_accounts = fields.Boolean(help="Group accounts are prepared (parent companies only).")
    approval_date = fields.Date(
        string="Date of Approval", tracking=True, help="When the accounts were approved."
    )
    approval_confirmed_by = fields.Char(help="Defaults to the general manager.")
    general_manager_id = fields.Many2one("res.partner", string="General Manager")
    board_member_ids = fields.Many2many(
        "res.partner", "annual_account_board_member_rel", string="Board Members"
    )
    not_audited = fields.Boolean(
        help="The general meeting decided that the accounts are not audited (AS only).",
    )
    prepared_by_authorised_accountant = fields.Boolean(string="Prepared by Authorised Accountant")
    external_accountant_assistance = fields.Boolean()
    contact_email = fields.Char(string="Contact E-mail")
    brg_warnings_accepted = fields.Boolean(
        string="Warnings Accepted",
        tracking=True,
        copy=False,
        help="I have read BRG's warnings and want to submit anyway.",
    )

    # Inputs of the notes.
    full_time_equivalents = fields.Float(string="Full-time Equivalents", digits=(6, 2))
    pension_scheme = fields.Boolean(string="Mandatory Pension Scheme", default=True)
    receivables_due_after_one_year = fields.Monetary()
    debt_due_after_five_years = fields.Monetary()
    secured_debt = fields.Monetary()
    pledged_assets_book_value = fields.Monetary(string="Book Value of Pledged Assets")
    guarantees_total = fields.Monetary(string="Guarantees")
    manager_loans = fields.Monetary(string="Loans to Managers and Shareholders")
    manager_security = fields.Monetary(string="Security for Managers and Shareholders")
    manager_loans_text = fields.Text(string="Loan Terms")
    own_shares_count = fields.Integer(string="Own Shares")
    share_count = fields.Integer(string="Number of Shares")
    shareholders_text = fields.Text(
        string="Shareholders", help="One shareholder a line: name; number of shares"
    )

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

    @api.depends("snapshot", "note_ids.line_codes", "note_ids.note_number")
    def _compute_statement_html(self):
        for account in self:
            account.statement_html = account.snapshot and self.env["ir.qweb"]._render(
                "l10n_no_annual_accounts.report_annual_account_statements", {"o": account}
            )

    @api.depends("snapshot")
    def _compute_findings(self):
        for account in self:
            findings = (account.snapshot or {}).get("findings") or []
            account.has_error_findings = any(f["severity"] == "error" for f in findings)
            account.findings_html = (
                self._issues_html([(f["severity"], "", f["message"]) for f in findings])
                if findings
                else False
            )

    @api.depends(
        "snapshot",
        "state",
        "note_ids.title",
        "note_ids.body",
        "note_ids.line_codes",
        *FILING_ANSWER_FIELDS,
        *NOTE_INPUT_FIELDS,
        *GROUP_ANSWER_FIELDS,
        "group_accounts_ids.base_figures",
        "group_adjustment_ids.amount",
        "group_adjustment_ids.prior_amount",
        "group_adjustment_ids.line_id",
    )
    def _compute_brg(self):
        for account in self:
            build = account.snapshot and account._brg_build()
            issues = build["issues"] if build else []
            account.brg_error_count = sum(i["severity"] == "error" for i in issues)
            account.brg_warning_count = len(issues) - account.brg_error_count
            account.brg_issues_html = (
                self._issues_html([(i["severity"], i["rule_id"], i["message"]) for i in issues])
                if issues
                else False
            )
            documents = build["documents"] if build else {}
            for kind in ("hovedskjema", "underskjema", "konsernregnskap"):
                content = documents.get(kind)
                account[f"{kind}_file"] = content and base64.b64encode(content)

    @api.model
    def _issues_html(self, issues):
        """``[(severity, code, message)]`` as the form's list of findings or BRG's issues."""
        items = Markup("").join(
            Markup('<li class="text-%s"><b>%s</b> %s</li>')
            % ("danger" if severity == "error" else "warning", code, message)
            for severity, code, message in issues
        )
        return Markup("<ul>%s</ul>") % items

    # ------------------------------------------------------------------------------------------
    # Creation and constraints
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
        try:
            with self.env.cr.savepoint():
                accounts = super().create(vals_list)
        except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure) as error:
            # Another transaction created it meanwhile: the partial unique index decided.
            vals = vals_list[0]
            probe = self.new(
                {
                    "company_id": vals.get("company_id") or self.env.company.id,
                    "reporting_year": vals.get("reporting_year"),
                }
            )
            raise UserError(probe._one_active_message()) from error
        self.env["annual.account.note"]._sync_proposals(accounts)
        return accounts

    @api.model
    def _complete_create_values(self, vals):
        """The period (the company's financial year ending in the reporting year), the
        engine's figures and the company's answers: every way of creating a filing (the API,
        the overview, a correction, an import) gets the same draft."""
        vals = super()._complete_create_values(vals)
        company = self.env["res.company"].browse(vals["company_id"])
        year = vals["reporting_year"] = self._check_reporting_year(vals.get("reporting_year"))
        # A clear message before the unique index answers with a database error.
        self.new({"company_id": company.id, "reporting_year": year})._check_one_active()
        default_from, default_to = company._l10n_no_aa_financial_year(year)
        vals["date_from"] = fields.Date.to_date(vals.get("date_from")) or default_from
        vals["date_to"] = fields.Date.to_date(vals.get("date_to")) or default_to
        vals["snapshot"] = self.env["annual.statement.engine"].compute(
            company, vals["date_from"], vals["date_to"]
        )
        vals["snapshot_date"] = fields.Datetime.now()
        for name, value in self._filing_defaults(company).items():
            vals.setdefault(name, value)
        return vals

    @api.model
    def _filing_defaults(self, company):
        values = {}
        for name in COMPANY_DEFAULTS:
            value = company[f"l10n_no_aa_{name}"]
            if isinstance(value, models.BaseModel):
                value = value.ids if name.endswith("_ids") else value.id
            if value:
                values[name] = value
        manager = company.l10n_no_aa_general_manager_id
        if manager:
            values["approval_confirmed_by"] = manager.name
        return values

    def write(self, vals):
        result = super().write(vals)
        if set(NOTE_INPUT_FIELDS) & set(vals):
            self.env["annual.account.note"]._sync_proposals(self)
        return result

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

    @api.model
    def _create_draft(self, company, year, date_from=None, date_to=None):
        """A new DRAFT for ``company`` (record or id) and ``year``: AccessError without access
        to the company, UserError when it already has an active filing for the year."""
        company = self._check_company_access(company)
        vals = {"company_id": company.id, "reporting_year": self._check_reporting_year(year)}
        if date_from or date_to:
            vals.update(date_from=date_from, date_to=date_to)
        return self.with_company(company).create(vals)

    def action_open_create_draft(self):
        """The "Create draft" button of the list: the year being closed, current company."""
        year = fields.Date.context_today(self).year - 1
        return self._create_draft(self.env.company, year)._form_action()

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
    # Lifecycle
    # ------------------------------------------------------------------------------------------

    def action_recompute(self):
        """Take the engine's figures again and write what changed to the chatter."""
        self._check_action("recompute")
        for account in self:
            old = account.snapshot or {"lines": [], "findings": []}
            new = self.env["annual.statement.engine"].compute(
                account.company_id, account.date_from, account.date_to
            )
            with account._lifecycle():
                account.write({"snapshot": new, "snapshot_date": fields.Datetime.now()})
            self.env["annual.account.note"]._sync_proposals(account)
            account.message_post(body=account._snapshot_diff_message(old, new))
        return True

    def _snapshot_diff_message(self, old, new):
        changes = []
        old_lines = {line["key"]: line for line in old.get("lines", [])}
        for line in new["lines"]:
            before = old_lines.get(line["key"], {})
            for field, label in (("amount", _("this year")), ("prior_amount", _("last year"))):
                if before.get(field) != line.get(field):
                    changes.append(
                        (f"{line['label']} ({label})", before.get(field) or "", line[field] or "")
                    )
        if not changes:
            return _("Figures recomputed: nothing changed.")
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % change for change in changes
        )
        return Markup(
            "%s<table class='table table-sm'><tr><th>%s</th><th>%s</th><th>%s</th>"
            "</tr>%s</table>"
        ) % (_("Figures recomputed. Changed lines:"), _("Line"), _("Old"), _("New"), rows)

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
            account._review_check_submittable()

    def action_submit(self):
        """Check, lock, then ``_altinn_submit()`` per filing, which moves it to SUBMITTED once
        Altinn has it for signing. False when Altinn failed for a filing (recorded on its
        attempt, ``error_message`` says why)."""
        with self._brg_once():
            self._check_can_submit()
            self._lock_for_altinn()
            sent = True
            for account in self:
                with account._lifecycle():
                    sent = account._altinn_submit() and sent
        return sent

    def _api_submit(self, approval_date=None, accept_warnings=None):
        """Submit, first recording what the caller answers for the filing: the date of
        approval and the acceptance of BRG's warnings (the form's fields of the same
        meaning). Refused before anything is written unless the filing may be submitted.
        False when Altinn failed (``error_message`` says why)."""
        self._api_prepare_submit(approval_date, accept_warnings)
        return self.action_submit()

    def _api_prepare_submit(self, approval_date=None, accept_warnings=None):
        """Record the caller's answers and check that the filing may be sent now."""
        self.ensure_one()
        self._check_action("submit")
        answers = {}
        if approval_date:
            answers["approval_date"] = approval_date
        if accept_warnings is not None:
            answers["brg_warnings_accepted"] = accept_warnings
        if answers:
            self.write(answers)
        with self._brg_once():
            self._check_can_submit()

    def action_cancel(self):
        """Check, lock, then per filing: the unsigned Altinn instance of its attempt is deleted
        (a draft's too), then CANCELLED. One by one: a filing whose instance Altinn would not
        delete stays as it is with the reason recorded (error, chatter, history) while the
        others are cancelled."""
        self._check_action("cancel")
        self._lock_for_altinn()
        for account in self:
            with account._lifecycle():
                if account._altinn_cancel():
                    account.state = "cancelled"
        return True

    def _record_decision(self, approved, reason=None):
        """BRG's decision, recorded by the user or a machine signal."""
        self._check_action("record_decision")
        with self._lifecycle():
            self.write(
                {"state": "approved" if approved else "rejected", "error_message": reason or False}
            )
        return True

    def _lock_for_altinn(self):
        self._lock_rows(
            _("Someone else is sending these annual accounts right now. Try again shortly.")
        )

    def action_create_correction(self):
        """A new draft of the same company, year and period after a rejection or cancellation
        (a filed årsregnskap is never withdrawn: a correction is a new filing)."""
        self.ensure_one()
        correction = self._create_draft(
            self.company_id, self.reporting_year, self.date_from, self.date_to
        )
        correction.message_post(body=_("Correction of %(name)s.", name=self.display_name))
        return correction._form_action()

    def action_open_allocation(self):
        """The filing's "Allocation" button: the year's allocation, drafted when missing."""
        self.ensure_one()
        return self.env["annual.allocation"].action_open_for(self.company_id, self.reporting_year)

    # ------------------------------------------------------------------------------------------
    # Filing data, BRG's validations and the XML (tools/brg_*)
    # ------------------------------------------------------------------------------------------

    def _note_inputs(self):
        self.ensure_one()
        shareholders = []
        for line in (self.shareholders_text or "").splitlines():
            name, _sep, shares = line.partition(";")
            if name.strip():
                shareholders.append((name.strip(), shares.strip()))
        money = {
            name: f"{self.currency_id.round(self[name] or 0.0):.2f}"
            for name in NOTE_INPUT_FIELDS
            if self._fields[name].type == "monetary"
        }
        return {
            **money,
            "full_time_equivalents": f"{self.full_time_equivalents:.2f}",
            "pension_scheme": self.pension_scheme,
            "manager_loans_text": self.manager_loans_text or "",
            "own_shares_count": self.own_shares_count,
            "share_count": self.share_count,
            "shareholders": shareholders,
        }

    def _orgnr(self):
        # The same number Altinn files for, or BRG refuses the filing (val_18).
        return self.company_id._l10n_no_altinn_orgnr()

    def _brg_filing_data(self):
        """The filing-data dict of the BRG builders and validations (docs/architecture.md)."""
        self.ensure_one()
        builds = _BRG_BUILDS.get()
        key = ("filing_data", self.id)
        if builds is not None and key in builds:
            return dict(builds[key])
        version = (
            self.env["ir.module.module"]
            .sudo()
            .search([("name", "=", "l10n_no_annual_accounts")], limit=1)
            .latest_version
        )
        notes = [note._filing_dict() for note in self.note_ids]
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        )
        audit = {
            "not_audited": self.not_audited,
            "prepared_by_authorised_accountant": self.prepared_by_authorised_accountant,
            "external_accountant_assistance": self.external_accountant_assistance,
        }
        data = {
            "company": {
                "orgnr": self._orgnr(),
                "org_form": self.org_form,
                "name": self.company_id.name,
            },
            "contact_email": self.contact_email or None,
            "system": {"name": SYSTEM_NAME, "version": version or ""},
            "period": {
                "year": self.reporting_year,
                "start": self.date_from.isoformat(),
                "end": self.date_to.isoformat(),
            },
            "group": {
                "parent_company": self.parent_company,
                "group_accounts": self.group_accounts if self.parent_company else None,
                "foreign_group": None,
            },
            "rules": {
                "small_enterprise": self.small_enterprise,
                "ifrs": self.ifrs,
                **self._brg_group_rules(),
            },
            "approval": {
                "date": self.approval_date and self.approval_date.isoformat(),
                "confirmed_by": self.approval_confirmed_by or None,
            },
            "audit": audit if self.org_form == "AS" else {},
            "attachments": attachments.mapped("name"),
            "accounts_type": "S",
            "currency": self.snapshot.get("currency") or "NOK",
            "statement": self.snapshot,
            "notes": notes,
            "note_values": notes_tools.note_values(self.snapshot, self._note_inputs(), notes),
        }
        if self.state == "draft" and _attachment_required(data):
            # the annual-accounts PDF goes with the filing (see _altinn_attachments)
            data["attachments"] = [*data["attachments"], self._pdf_filename()]
        if builds is not None:
            builds[key] = data
        return dict(data)

    @contextlib.contextmanager
    def _brg_once(self):
        """Inside the block the filing data, the XML and BRG's issues of each filing are built
        once, however many checks and calls read them."""
        token = _BRG_BUILDS.set({} if _BRG_BUILDS.get() is None else _BRG_BUILDS.get())
        try:
            yield
        finally:
            _BRG_BUILDS.reset(token)

    def _brg_build(self):
        """``{"data", "documents": {kind: bytes}, "xsd": {kind: [str]}, "issues"}``: the
        filing data, both XML documents, their XSD errors and every issue as
        ``{"severity", "rule_id", "field", "message"}`` in BRG's wording (rule "XSD" for the
        schemas)."""
        self.ensure_one()
        builds = _BRG_BUILDS.get()
        key = ("build", self.id)
        if builds is not None and key in builds:
            return builds[key]
        data = self._brg_filing_data()
        group = self._brg_group_filing_data()
        documents = {
            "hovedskjema": brg_xml.build_hovedskjema(data),
            "underskjema": brg_xml.build_underskjema(data),
        }
        if group:
            documents["konsernregnskap"] = brg_xml.build_underskjema(group)
        xsd = {
            kind: brg_validation.validate_xsd(XSD_KINDS.get(kind, kind), xml)
            for kind, xml in documents.items()
        }
        today = fields.Date.context_today(self)
        issues = [
            {"severity": i.severity, "rule_id": i.rule_id, "field": i.field, "message": i.message}
            for i in brg_validation.check(data, today=today, group=group or None)
        ]
        issues += self._brg_group_findings(group)
        issues += [
            {"severity": "error", "rule_id": "XSD", "field": kind, "message": message}
            for kind, messages in xsd.items()
            for message in messages
        ]
        build = {"data": data, "documents": documents, "xsd": xsd, "issues": issues}
        if builds is not None:
            builds[key] = build
        return build

    def _brg_issues(self):
        """BRG's validations and the XSD checks of the documents."""
        return self._brg_build()["issues"]

    def _brg_check_submittable(self):
        for account in self:
            issues = account._brg_issues()
            errors = [f"{i['rule_id']}: {i['message']}" for i in issues if i["severity"] == "error"]
            if errors:
                raise UserError(
                    _(
                        "Brønnøysundregistrene would refuse %(name)s:\n%(errors)s",
                        name=account.display_name,
                        errors="\n".join(errors),
                    )
                )
            if any(i["severity"] == "warning" for i in issues) and not (
                account.brg_warnings_accepted
            ):
                raise UserError(
                    _(
                        "Read BRG's warnings on %(name)s and tick 'Warnings Accepted' to submit "
                        "anyway.",
                        name=account.display_name,
                    )
                )

    def _brg_payload(self):
        """``(hovedskjema_bytes, underskjema_bytes)``, validated against the XSDs."""
        self.ensure_one()
        build = self._brg_build()
        for kind, errors in build["xsd"].items():
            if errors:
                raise UserError(
                    _(
                        "The %(kind)s of %(name)s does not follow BRG's schema:\n%(errors)s",
                        kind=kind.capitalize(),
                        name=self.display_name,
                        errors="\n".join(errors),
                    )
                )
        return build["documents"]["hovedskjema"], build["documents"]["underskjema"]

    def action_download_hovedskjema(self):
        return self._download_action("hovedskjema_file", f"RR-0002_{self.reporting_year}.xml")

    def action_download_underskjema(self):
        return self._download_action("underskjema_file", f"RR-0002-U_{self.reporting_year}.xml")

    def _download_action(self, field, filename):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field={field}"
            f"&filename={filename}&download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------------------------------
    # The PDF (report/annual_account_templates.xml, whose statements the form shows too)
    # ------------------------------------------------------------------------------------------

    def _render_pdf(self):
        """The PDF bytes of the Årsregnskap, rendered from the stored filing (rule 7)."""
        self.ensure_one()
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.ids)
        )
        return pdf

    def _pdf_filename(self):
        return f"Årsregnskap_{self.reporting_year}.pdf"

    def action_print(self):
        return self.env.ref(REPORT).report_action(self)

    def _report_sections(self):
        """The two statements as printed (``tools/statement_report``)."""
        self.ensure_one()
        refs = {}
        for note in self.note_ids:
            for code in note._line_codes():
                refs.setdefault(code, []).append(note.note_number)
        return statement_report.report_sections(self.snapshot, refs)

    def _report_notes(self):
        """The notes for the PDF: amounts in table cells as whole kroner."""
        return [statement_report.printed_note(note._seed_dict()) for note in self.note_ids]

    # ==========================================================================================
    # Group accounts (konsernregnskap, issue 12 point 6): BRG's 25943/25944 answers, the
    # consolidation (models/annual_group_accounts.py) and the second Underskjema (type K)
    # ==========================================================================================

    # 25944 (and 36641, asked when 25944 = nei): which rules the group accounts follow.
    # Unanswered until the user answers: BRG refuses the filing without it.
    group_accounting_rules = fields.Selection(
        [
            ("accounting_act", "Accounting Act (regnskapsloven)"),
            ("simplified_ifrs", "Accounting Act with simplified IFRS"),
            ("ifrs", "IFRS"),
        ],
        string="Rules of the Group Accounts",
        help="Which rules the group accounts follow (BRG's questions 25944 and 36641).",
    )
    group_accounts_ids = fields.One2many(
        "annual.group.accounts", "account_id", string="Consolidations"
    )
    group_accounts_id = fields.Many2one(
        "annual.group.accounts",
        string="Consolidation",
        compute="_compute_group_accounts_id",
        store=True,
        index="btree_not_null",
    )
    group_adjustment_ids = fields.One2many(
        "annual.group.accounts.adjustment", "account_id", string="Adjustments", copy=False
    )
    group_member_ids = fields.One2many(related="group_accounts_id.member_ids")
    group_source = fields.Selection(related="group_accounts_id.source")
    group_computed_at = fields.Datetime(
        string="Group Figures Taken", related="group_accounts_id.computed_at"
    )
    group_import_filename = fields.Char(related="group_accounts_id.import_filename")
    group_worksheet_html = fields.Html(
        string="Worksheet", compute="_compute_group_html", sanitize=False
    )
    group_statement_html = fields.Html(
        string="Group Statements", compute="_compute_group_html", sanitize=False
    )
    konsernregnskap_file = fields.Binary(compute="_compute_brg", attachment=False)

    @api.depends("group_accounts_ids")
    def _compute_group_accounts_id(self):
        for account in self:
            account.group_accounts_id = account.group_accounts_ids[:1]

    @api.depends(
        "group_accounts_ids.base_figures",
        "group_adjustment_ids.amount",
        "group_adjustment_ids.prior_amount",
        "group_adjustment_ids.line_id",
    )
    def _compute_group_html(self):
        qweb = self.env["ir.qweb"]
        for account in self:
            group = account.group_accounts_id
            if not (group.source and account.snapshot):
                account.group_worksheet_html = account.group_statement_html = False
                continue
            account.group_worksheet_html = qweb._render(
                "l10n_no_annual_accounts.group_accounts_worksheet",
                {"o": account, "worksheet": group._worksheet()},
            )
            account.group_statement_html = qweb._render(
                "l10n_no_annual_accounts.group_accounts_statements",
                {"o": account, "sections": account._group_report_sections()},
            )

    def _check_group_editable(self):
        """The group accounts change only while the parent's filing is a draft."""
        for account in self:
            if account.state != "draft":
                raise UserError(
                    _(
                        "The group accounts of %(name)s can only change while it is a draft.",
                        name=account.display_name,
                    )
                )
            if not (account.parent_company and account.group_accounts):
                raise UserError(
                    _(
                        "%(name)s does not say the company files group accounts: tick Parent "
                        "Company and Group Accounts first.",
                        name=account.display_name,
                    )
                )

    def action_group_consolidate(self):
        """Consolidate the parent and its subsidiaries in this database (again)."""
        self.ensure_one()
        self._lock_rows(_("Someone else is working on these group accounts. Try again shortly."))
        self.env["annual.group.accounts"]._consolidate(self)
        self.message_post(body=_("Group accounts consolidated from the companies' ledgers."))
        return True

    def action_group_import(self):
        self.ensure_one()
        self._check_group_editable()
        return {
            "type": "ir.actions.act_window",
            "name": _("Import group accounts"),
            "res_model": "annual.group.accounts.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    def action_download_konsernregnskap(self):
        return self._download_action(
            "konsernregnskap_file", f"RR-0002-U_konsern_{self.reporting_year}.xml"
        )

    def _brg_group_rules(self):
        """25944 (IFRS: ja, the Accounting Act: nei) and 36641 (simplified IFRS), asked only
        of a parent filing group accounts; None while unanswered."""
        if not (self.parent_company and self.group_accounts and self.group_accounting_rules):
            return {"group_ifrs": None, "group_simplified_ifrs": None}
        rules = self.group_accounting_rules
        return {
            "group_ifrs": rules == "ifrs",
            "group_simplified_ifrs": None if rules == "ifrs" else rules == "simplified_ifrs",
        }

    def _brg_group_filing_data(self):
        """The group accounts' filing data, shaped like ``_brg_filing_data`` (regnskapstype K:
        the group's statement, its notes and note values), when the filing says the parent
        files group accounts and their figures are consolidated or imported; else ``{}``."""
        self.ensure_one()
        group = self.group_accounts_id
        if not (self.parent_company and self.group_accounts and group.source):
            return {}
        builds = _BRG_BUILDS.get()
        key = ("group_data", self.id)
        if builds is not None and key in builds:
            return dict(builds[key])
        data = self._brg_filing_data()
        statement = group._snapshot()
        notes, note_values = group._notes()
        data.update(accounts_type="K", statement=statement, notes=notes, note_values=note_values)
        if builds is not None:
            builds[key] = data
        return dict(data)

    def _brg_group_findings(self, group_data):
        """The consolidation's findings as issues (rule ``KONSERN_<code>``): errors block the
        submission, warnings need accepting, like BRG's."""
        findings = (group_data or {}).get("statement", {}).get("findings") or []
        return [
            {
                "severity": f["severity"],
                "rule_id": f"KONSERN_{f['code']}",
                "field": "25942",
                "message": f["message"],
            }
            for f in findings
        ]

    def _group_report_sections(self):
        """The group's statements as printed (the PDF and the tab), when it files them."""
        self.ensure_one()
        data = self._brg_group_filing_data()
        if not data:
            return []
        return [
            dict(section, title=f"{section['title']} konsern")
            for section in statement_report.report_sections(data["statement"], {})
        ]

    def _group_report_notes(self):
        return self._brg_group_filing_data().get("notes") or []

    # ==========================================================================================
    # Pre-close checks (issue 18 point 12): models/annual_account_check.py, one row per check,
    # its result read from the ledger each time, its dismissal kept
    # ==========================================================================================

    check_ids = fields.One2many(
        "annual.account.check",
        "account_id",
        string="Pre-close Checks",
        copy=False,
        default=lambda self: self.env["annual.account.check"]._default_rows(),
    )
    check_warning_count = fields.Integer(
        string="Check Warnings", compute="_compute_check_warning_count"
    )

    @api.depends("check_ids.result")
    @api.depends_context("uid")
    def _compute_check_warning_count(self):
        for account in self:
            account.check_warning_count = sum(
                check.result == "warning" for check in account.check_ids
            )

    # ==========================================================================================
    # Prepared → reviewed (issue 18 point 11): the preparer marks the filing prepared, a second
    # accountant (manager group) reviews it or comments (models/annual_account_review_comment.py)
    # and sends it back. What was reviewed is fingerprinted: a change after the review (figures,
    # notes, answers) makes it lapse. The company (or its organisation) may require a review
    # before submit.
    # ==========================================================================================

    prepared_by_id = fields.Many2one("res.users", string="Prepared By", readonly=True, copy=False)
    prepared_at = fields.Datetime(string="Prepared On", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    reviewed_at = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    reviewed_fingerprint = fields.Char(readonly=True, copy=False)
    review_stage = fields.Selection(
        REVIEW_STAGES,
        string="Stage",
        compute="_compute_review_stage",
        store=True,
        index=True,
        help="Where the filing is: draft, prepared for review, reviewed, then its status.",
    )
    review_required = fields.Boolean(related="company_id.l10n_no_aa_review_required")
    review_outdated = fields.Boolean(
        string="Changed Since Review", compute="_compute_review_outdated"
    )
    review_comment_ids = fields.One2many(
        "annual.account.review.comment", "account_id", string="Review Comments", copy=False
    )
    review_open_count = fields.Integer(string="Open Comments", compute="_compute_review_open_count")
    can_prepare = fields.Boolean(compute="_compute_review_actions")
    can_review = fields.Boolean(compute="_compute_review_actions")
    can_send_back = fields.Boolean(compute="_compute_review_actions")
    # Written only by the review actions (the document mixin's lifecycle guard).
    _managed_fields = (*_managed_fields, *REVIEW_FIELDS)

    @api.depends("state", "prepared_at", "reviewed_at")
    def _compute_review_stage(self):
        for account in self:
            if account.state != "draft":
                account.review_stage = account.state
            elif account.reviewed_at:
                account.review_stage = "reviewed"
            else:
                account.review_stage = "prepared" if account.prepared_at else "draft"

    @api.depends("review_comment_ids.resolved")
    def _compute_review_open_count(self):
        for account in self:
            account.review_open_count = sum(
                not comment.resolved for comment in account.review_comment_ids
            )

    @api.depends("reviewed_fingerprint", "hovedskjema_file", "underskjema_file")
    def _compute_review_outdated(self):
        for account in self:
            account.review_outdated = bool(
                account.state == "draft"
                and account.reviewed_fingerprint
                and account.reviewed_fingerprint != account._review_fingerprint()
            )

    @api.depends("review_stage", "prepared_by_id", "review_outdated")
    @api.depends_context("uid")
    def _compute_review_actions(self):
        manager = self.env.user.has_group(MANAGER_GROUP)
        for account in self:
            draft = account.state == "draft"
            other = account.prepared_by_id and account.prepared_by_id != self.env.user
            account.can_prepare = draft and account.review_stage == "draft"
            account.can_review = bool(
                draft
                and manager
                and other
                and (
                    account.review_stage == "prepared"
                    or (account.review_stage == "reviewed" and account.review_outdated)
                )
            )
            account.can_send_back = bool(
                draft and manager and other and account.review_stage in ("prepared", "reviewed")
            )

    def _review_fingerprint(self):
        """A digest of what the review covers: the filing data (figures, notes, answers) and
        the group accounts' figures, as they would be filed now."""
        self.ensure_one()
        data = self._brg_filing_data()
        data.pop("system", None)  # the module's version is no part of the accounts
        group = self._brg_group_filing_data()
        payload = json.dumps([data, group], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _check_review_open(self):
        """Comments and review steps are for drafts only."""
        for account in self:
            if account.state != "draft":
                raise UserError(
                    _(
                        "%(name)s is no longer a draft: its review is closed.",
                        name=account.display_name,
                    )
                )

    def _check_reviewer(self):
        """A reviewer is in the manager group, may work in the filing's company, and did not
        prepare it."""
        self.check_access("write")
        for account in self:
            self._check_company_access(account.company_id)
            if not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(_("Only annual accounts administrators review filings."))
            if account.prepared_by_id == self.env.user:
                raise UserError(
                    _(
                        "You prepared %(name)s: a second accountant reviews it.",
                        name=account.display_name,
                    )
                )

    def action_mark_prepared(self):
        """The preparer hands the filing over for review."""
        self.check_access("write")
        self._check_review_open()
        self._lock_rows(_("Someone else is working on these annual accounts. Try again shortly."))
        for account in self:
            if account.review_stage != "draft":
                raise UserError(
                    _("%(name)s is already prepared for review.", name=account.display_name)
                )
            if account.review_open_count:
                raise UserError(
                    _(
                        "Resolve the %(count)s open review comments on %(name)s first.",
                        count=account.review_open_count,
                        name=account.display_name,
                    )
                )
            with account._lifecycle():
                account.write(
                    {
                        "prepared_by_id": self.env.uid,
                        "prepared_at": fields.Datetime.now(),
                        "reviewed_by_id": False,
                        "reviewed_at": False,
                        "reviewed_fingerprint": False,
                    }
                )
            account._message_log(
                body=_("Prepared by %(user)s, ready for review.", user=self.env.user.name)
            )
        return True

    def action_review(self):
        """The reviewer approves what is prepared, as it stands now."""
        self._check_review_open()
        self._check_reviewer()
        self._lock_rows(_("Someone else is working on these annual accounts. Try again shortly."))
        for account in self:
            # a reviewed filing that changed since is reviewed again as it stands now
            again = account.review_stage == "reviewed" and account.review_outdated
            if account.review_stage != "prepared" and not again:
                raise UserError(
                    _(
                        "%(name)s must be marked as prepared before it is reviewed.",
                        name=account.display_name,
                    )
                )
            if account.review_open_count:
                raise UserError(
                    _(
                        "%(name)s has %(count)s open review comments: send it back, or resolve "
                        "them, before approving the review.",
                        name=account.display_name,
                        count=account.review_open_count,
                    )
                )
            with account._lifecycle():
                account.write(
                    {
                        "reviewed_by_id": self.env.uid,
                        "reviewed_at": fields.Datetime.now(),
                        "reviewed_fingerprint": account._review_fingerprint(),
                    }
                )
            account._message_log(body=_("Reviewed by %(user)s.", user=self.env.user.name))
        return True

    def action_send_back(self):
        """The reviewer returns the filing to its preparer with the open comments."""
        self._check_review_open()
        self._check_reviewer()
        self._lock_rows(_("Someone else is working on these annual accounts. Try again shortly."))
        for account in self:
            if account.review_stage not in ("prepared", "reviewed"):
                raise UserError(
                    _("%(name)s is not prepared for review.", name=account.display_name)
                )
            open_comments = account.review_comment_ids.filtered(lambda c: not c.resolved)
            if not open_comments:
                raise UserError(
                    _(
                        "Write a review comment on %(name)s first: it says the preparer what to "
                        "change.",
                        name=account.display_name,
                    )
                )
            with account._lifecycle():
                account.write(
                    {
                        "prepared_by_id": False,
                        "prepared_at": False,
                        "reviewed_by_id": False,
                        "reviewed_at": False,
                        "reviewed_fingerprint": False,
                    }
                )
            items = Markup("").join(
                Markup("<li>%s%s</li>") % (comment._where(), Markup(": %s") % comment.body)
                for comment in open_comments
            )
            account._message_log(
                body=Markup("%s<ul>%s</ul>")
                % (_("Sent back for changes by %(user)s:", user=self.env.user.name), items)
            )
        return True

    def _review_check_submittable(self):
        """Refuse the submission of a filing whose company requires a review it lacks."""
        for account in self.filtered("review_required"):
            if account.review_stage != "reviewed":
                raise UserError(
                    _(
                        "%(name)s must be reviewed before it is submitted: %(company)s requires "
                        "a review by a second accountant. Mark it as prepared and ask a "
                        "reviewer.",
                        name=account.display_name,
                        company=account.company_id.l10n_no_aa_review_source_id.name,
                    )
                )
            if account.reviewed_fingerprint != account._review_fingerprint():
                raise UserError(
                    _(
                        "%(name)s changed after %(user)s reviewed it: it must be reviewed again "
                        "before it is submitted.",
                        name=account.display_name,
                        user=account.reviewed_by_id.name,
                    )
                )

    # ==========================================================================================
    # Altinn (issue 16 point 2): each attempt to file is an annual.altinn.attempt, which does
    # the protocol and keeps its record apart from this transaction; the filing keeps its
    # business state and shows its current attempt.
    # ==========================================================================================

    # computed from the current attempt: invalidated when an attempt changes (apart)
    _ALTINN_ATTEMPT_FIELDS = (
        "altinn_attempt_id",
        "altinn_instance_id",
        "altinn_state",
        "altinn_signing_url",
        "altinn_receipt_id",
    )

    altinn_attempt_ids = fields.One2many(
        "annual.altinn.attempt", "annual_account_id", string="Altinn Attempts", readonly=True
    )
    altinn_attempt_id = fields.Many2one(
        "annual.altinn.attempt", string="Current Attempt", compute="_compute_altinn_attempt"
    )
    altinn_instance_id = fields.Char(
        string="Altinn Instance",
        compute="_compute_altinn_attempt",
        search="_search_altinn_instance_id",
    )
    altinn_state = fields.Selection(
        [
            ("none", "Not sent"),
            ("filling", "Filling in"),
            ("awaiting_signature", "Awaiting signature"),
            ("signed", "Signed"),
            ("deleted", "Deleted in Altinn"),
        ],
        string="Altinn Status",
        compute="_compute_altinn_attempt",
        search="_search_altinn_state",
    )
    altinn_signing_url = fields.Char(string="Signing Link", compute="_compute_altinn_attempt")
    altinn_receipt_id = fields.Many2one(
        "ir.attachment", string="Altinn Receipt", compute="_compute_altinn_attempt"
    )
    altinn_call_ids = fields.One2many(
        "annual.altinn.call", "annual_account_id", string="Altinn Calls", readonly=True
    )
    altinn_setup_missing = fields.Text(
        string="Missing Before Filing", compute="_compute_altinn_setup_missing", compute_sudo=True
    )

    @api.depends(
        "altinn_attempt_ids.state",
        "altinn_attempt_ids.instance_id",
        "altinn_attempt_ids.receipt_id",
    )
    def _compute_altinn_attempt(self):
        for account in self:
            attempt = account.altinn_attempt_ids.sorted("id", reverse=True)[:1]
            account.altinn_attempt_id = attempt
            account.altinn_instance_id = attempt.instance_id
            account.altinn_state = (
                "none" if not attempt or attempt.state == "new" else attempt.state
            )
            account.altinn_signing_url = attempt.sudo().signing_url
            account.altinn_receipt_id = attempt.receipt_id

    def _search_altinn_instance_id(self, operator, value):
        current = self._current_attempts().filtered_domain([("instance_id", operator, value)])
        return [("id", "in", current.annual_account_id.ids)]

    def _search_altinn_state(self, operator, value):
        states = {value} if operator in ("=", "!=") else set(value or ())
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on the Altinn status."))
        attempts = self._current_attempts().search([("state", "in", list(states))])
        with_attempt = attempts.mapped("annual_account_id").ids
        if "none" in states or "new" in states:
            new = self._current_attempts().search([("state", "=", "new")])
            with_attempt += new.mapped("annual_account_id").ids
            no_attempt = [("altinn_attempt_ids", "=", False)]
            domain = ["|", ("id", "in", with_attempt), *no_attempt]
        else:
            domain = [("id", "in", with_attempt)]
        return domain if operator in ("=", "in") else ["!", *domain]

    def _current_attempts(self):
        """The newest attempt of every filing (sudo: the filing's own rules apply)."""
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (annual_account_id) id
              FROM annual_altinn_attempt
          ORDER BY annual_account_id, id DESC
            """
        )
        return self.env["annual.altinn.attempt"].sudo().browse(r[0] for r in self.env.cr.fetchall())

    @api.depends("state", "company_id")
    def _compute_altinn_setup_missing(self):
        for account in self:
            company = account.company_id
            missing = []
            if account.state == "draft" and company:
                if not company._l10n_no_altinn_orgnr():
                    missing.append(
                        _("%(company)s has no organisation number.", company=company.name)
                    )
                if company.l10n_no_altinn_settings_origin == "none":
                    missing.append(
                        _(
                            "Altinn is not set up for %(company)s: an administrator sets it up "
                            "in Settings > Accounting, on this company or on its organisation.",
                            company=company.name,
                        )
                    )
                elif company.l10n_no_altinn_systemuser_state != "approved":
                    missing.append(
                        _(
                            "%(company)s has not approved its system user in Altinn yet "
                            "(the company form, tab Altinn).",
                            company=company.name,
                        )
                    )
            account.altinn_setup_missing = "\n".join(missing) or False

    def action_altinn_refresh(self):
        self._check_action("refresh_status")
        self._altinn_refresh(chatter=True)
        return True

    def action_open_decision_wizard(self):
        self.ensure_one()
        self._check_action("record_decision")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record BRG's decision"),
            "res_model": "annual.account.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    def action_open_altinn_attempts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Altinn attempts"),
            "res_model": "annual.altinn.attempt",
            "view_mode": "list,form",
            "domain": [("annual_account_id", "=", self.id)],
        }

    @api.model
    def _cron_altinn_refresh(self):
        accounts = self.search([("state", "=", "submitted"), ("altinn_instance_id", "!=", False)])
        accounts._altinn_refresh(notify_progress=True)

    # Submit (from action_submit: checks passed, row locked) --------------------------------

    def _altinn_submit(self):
        """Send through the open attempt (a new one when there is none): True once Altinn has
        it for signing; False when Altinn failed (kept on the attempt, said here)."""
        self.ensure_one()
        company = self.company_id
        try:
            company._l10n_no_altinn_client()
        except UserError:
            raise UserError(
                _(
                    "Altinn submission is not configured for %(company)s: set up its Altinn "
                    "connection or that of its organisation.",
                    company=company.name,
                )
            ) from None
        # everything that can fail locally comes before the first call to Altinn
        forms = self._altinn_forms()
        attachments = self._altinn_attachments()
        for filename, content, mimetype in attachments:
            try:
                check_attachment(filename, content, mimetype)
            except AltinnError as error:
                raise UserError(altinn_error_message(self.env, error)) from None
        attempt = self.altinn_attempt_id
        if attempt.state not in ("new", "filling", "awaiting_signature"):
            attempt = self.env["annual.altinn.attempt"]._start(self)
        try:
            sent, others = attempt._submit(forms, attachments)
        except InstanceGone:
            attempt = self.env["annual.altinn.attempt"]._start(self)
            sent, others = attempt._submit(forms, attachments)
        for other in others:
            self._altinn_log(
                _(
                    "Altinn has another unfinished filing of this company (instance "
                    "%(instance)s, created %(created)s) that this filing did not make: it was "
                    "left alone. Delete it in Altinn if nobody needs it.",
                    instance=other.id,
                    created=other.raw.get("created") or "-",
                )
            )
        if not sent:
            self.error_message = attempt.error_message
            self._altinn_log(_("Altinn: %(message)s", message=attempt.error_message))
            return False
        self.write(
            {"state": "submitted", "submitted_at": fields.Datetime.now(), "error_message": False}
        )
        self._altinn_log(
            Markup("%s <a href='%s' target='_blank'>%s</a>")
            % (
                _(
                    "Sent to Altinn (instance %(instance)s). The daglig leder or a board member "
                    "now signs it in Altinn:",
                    instance=attempt.instance_id,
                ),
                attempt.sudo().signing_url or "",
                _("signing link"),
            )
        )
        return True

    def _altinn_forms(self):
        """``{"Hovedskjema": bytes, "Underskjema": bytes, "Konsernregnskap": bytes | None}``:
        the group accounts are a second Underskjema (BRG's "Opprett konsernregnskap")."""
        hovedskjema, underskjema = self._brg_payload()
        return {
            "Hovedskjema": hovedskjema,
            "Underskjema": underskjema,
            "Konsernregnskap": self._altinn_group_underskjema(),
        }

    def _altinn_group_underskjema(self):
        """The group accounts' Underskjema (regnskapstype K) when the filing says the parent
        files group accounts (konsernregnskap, orid 25943), else None."""
        self.ensure_one()
        if not (self.parent_company and self.group_accounts):
            return None
        data = self._brg_group_filing_data()
        if not data:
            raise UserError(
                _(
                    "%(name)s says the company files group accounts (konsernregnskap), but the "
                    "group's consolidated figures are not available: BRG needs them as a second "
                    "accounts form.",
                    name=self.display_name,
                )
            )
        document = brg_xml.build_underskjema({**data, "accounts_type": "K"})
        errors = brg_validation.validate_xsd("underskjema", document)
        if errors:
            raise UserError(
                _(
                    "The group accounts of %(name)s do not follow BRG's schema:\n%(errors)s",
                    name=self.display_name,
                    errors="\n".join(errors),
                )
            )
        return document

    def _altinn_attachments(self):
        """``[(filename, bytes, mimetype)]`` to upload as Vedlegg: when BRG's rules want an
        attachment, the annual-accounts PDF and the PDFs attached to the filing."""
        self.ensure_one()
        if not self._altinn_attachment_required():
            return []
        files = [(self._pdf_filename(), self._render_pdf(), "application/pdf")]
        own = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("mimetype", "=", "application/pdf"),
                ("id", "not in", self.altinn_attempt_ids.receipt_id.ids),
            ]
        )
        files += [
            (_with_extension(a.name, ".pdf"), a.raw, a.mimetype)
            for a in own
            if a.name != self._pdf_filename()
        ]
        return files

    def _altinn_attachment_required(self):
        return _attachment_required(self._brg_filing_data())

    def _altinn_log(self, body, attachments=None):
        """A note in the chatter that cannot fail: it records what Altinn did, so it must not
        depend on the user having an e-mail address (``message_post`` requires one)."""
        self._message_log(body=body, attachment_ids=attachments.ids if attachments else False)

    # Status: signature, receipt, publication ------------------------------------------------

    def _altinn_refresh(self, chatter=False, notify_progress=False):
        """Read each filing's instance (and the register once signed); a failure is recorded
        on its filing and the others go on."""
        todo = self.filtered(lambda a: a.state == "submitted" and a.altinn_instance_id)
        for done, account in enumerate(todo):
            try:
                account._altinn_refresh_one()
            except (AltinnError, UserError) as error:
                message = (
                    altinn_error_message(self.env, error)
                    if isinstance(error, AltinnError)
                    else error.args[0]
                )
                account.error_message = message
                if chatter:
                    account._altinn_log(_("Altinn: %(message)s", message=message))
            if notify_progress:
                self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(todo) - done - 1)

    def _altinn_refresh_one(self):
        attempt = self.altinn_attempt_id
        was_signed = attempt.state == "signed"
        client, orgnr = attempt._refresh()
        self.error_message = False
        if attempt.state == "signed" and not was_signed:
            self._altinn_log(_("Signed in Altinn; Altinn's receipt is attached."))
        if attempt.state != "signed":
            return
        with attempt._call(client, "register_lookup", f"GET regnskap/{orgnr}"):
            published = [
                accounts
                for accounts in client.published_accounts(orgnr)
                if (accounts.get("regnskapsperiode") or {}).get("tilDato")
                == self.date_to.isoformat()
            ]
        if published:
            self._record_decision(True)
            self._altinn_log(
                _(
                    "Approved: Regnskapsregisteret publishes these accounts (journal "
                    "number %(number)s).",
                    number=published[0].get("journalnr") or "-",
                )
            )

    # Cancel (from action_cancel) ------------------------------------------------------------

    def _altinn_cancel(self):
        """Delete the unsigned instance of the open attempt, a draft's too. False when Altinn
        would not: the filing stays as it is, the reason recorded."""
        self.ensure_one()
        attempt = self.altinn_attempt_id
        if attempt.state == "signed" or (self.state == "submitted" and not attempt.instance_id):
            self._altinn_log(
                _(
                    "Cancelled here only: a signed årsregnskap cannot be withdrawn from "
                    "Brønnøysundregistrene; a correction is filed as a new filing of the year."
                )
            )
            return True
        if not attempt.instance_id or attempt.state == "deleted":
            return True
        try:
            attempt._delete()
        except AltinnError as error:
            attempt._keep_error(error)
            message = attempt.error_message
            if error.code == "instance_signed":
                message = _(
                    "Not cancelled: it has been signed in Altinn meanwhile. Refresh its status. "
                    "A filed årsregnskap is corrected by filing again, not withdrawn."
                )
            self.error_message = message
            self._altinn_log(_("Altinn: %(message)s", message=message))
            return False
        self.error_message = False
        self._altinn_log(_("The unsigned filing was deleted in Altinn."))
        return True


def _with_extension(name, extension):
    """BRG's app wants a file name with an extension (app-lib DataRestrictionValidation)."""
    return name if name.lower().endswith(extension) else f"{name}{extension}"


def _attachment_required(data):
    """BRG's rules want a Vedlegg (VAL_FileAttachments) for this filing data."""
    issues = brg_validation.check({**data, "attachments": []})
    return any(issue.rule_id == "VAL_FileAttachments" for issue in issues)
