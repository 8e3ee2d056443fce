import base64

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import brg_validation, brg_xml
from ..tools import notes as notes_tools
from ..tools.brg_rules_hovedskjema import ALLOWED_ORG_FORMS

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
)
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


class AnnualAccount(models.Model):
    """What BRG wants beyond the figures, the filing data of the XML builders, BRG's
    validations and the two XML documents (``tools/brg_*``)."""

    _inherit = "annual.account"

    # ------------------------------------------------------------------------------------------
    # Answers of the Hovedskjema (defaults from the company)
    # ------------------------------------------------------------------------------------------

    org_form = fields.Selection(ORG_FORMS, string="Organisation Form", default="AS")
    small_enterprise = fields.Boolean(string="Small Enterprise Rules", default=True)
    ifrs = fields.Boolean(string="IFRS")
    parent_company = fields.Boolean(help="The company is the parent of a group.")
    group_accounts = fields.Boolean(help="Group accounts are prepared (parent companies only).")
    approval_date = fields.Date(
        string="Date of Approval", tracking=True, help="When the accounts were approved."
    )
    approval_confirmed_by = fields.Char(
        string="Approval Confirmed By", help="Defaults to the general manager."
    )
    general_manager_id = fields.Many2one("res.partner", string="General Manager")
    board_member_ids = fields.Many2many(
        "res.partner", "annual_account_board_member_rel", string="Board Members"
    )
    not_audited = fields.Boolean(
        string="Not Audited",
        help="The general meeting decided that the accounts are not audited (AS only).",
    )
    prepared_by_authorised_accountant = fields.Boolean(string="Prepared by Authorised Accountant")
    external_accountant_assistance = fields.Boolean(string="External Accountant Assistance")
    contact_email = fields.Char(string="Contact E-mail")
    brg_warnings_accepted = fields.Boolean(
        string="Warnings Accepted",
        tracking=True,
        copy=False,
        help="I have read BRG's warnings and want to submit anyway.",
    )
    brg_issues_html = fields.Html(
        string="BRG Validation", compute="_compute_brg_issues", sanitize=False
    )
    brg_error_count = fields.Integer(compute="_compute_brg_issues")
    brg_warning_count = fields.Integer(compute="_compute_brg_issues")
    hovedskjema_file = fields.Binary(compute="_compute_xml_files", attachment=False)
    underskjema_file = fields.Binary(compute="_compute_xml_files", attachment=False)

    # ------------------------------------------------------------------------------------------
    # Note inputs
    # ------------------------------------------------------------------------------------------

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

    def _compute_brg_issues(self):
        for account in self:
            issues = account._brg_issues() if account.snapshot else []
            account.brg_error_count = sum(i["severity"] == "error" for i in issues)
            account.brg_warning_count = len(issues) - account.brg_error_count
            account.brg_issues_html = issues and Markup("<ul>%s</ul>") % Markup("").join(
                Markup('<li class="text-%s"><b>%s</b> %s</li>')
                % ("danger" if i["severity"] == "error" else "warning", i["rule_id"], i["message"])
                for i in issues
            )

    def _compute_xml_files(self):
        for account in self:
            data = account.snapshot and account._brg_filing_data()
            account.hovedskjema_file = data and base64.b64encode(brg_xml.build_hovedskjema(data))
            account.underskjema_file = data and base64.b64encode(brg_xml.build_underskjema(data))

    def write(self, vals):
        # What was filed stays as filed: the PDF and the XML are rendered from these (rule 7).
        if set(FILING_ANSWER_FIELDS + NOTE_INPUT_FIELDS) & set(vals) and any(
            account.state != "draft" for account in self
        ):
            raise UserError(_("The filing's answers can only change on DRAFT annual accounts."))
        result = super().write(vals)
        if set(NOTE_INPUT_FIELDS) & set(vals):
            self.filtered(lambda a: a.state == "draft")._generate_notes()
        return result

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

    # ------------------------------------------------------------------------------------------
    # Filing data
    # ------------------------------------------------------------------------------------------

    def _note_inputs(self):
        self.ensure_one()
        shareholders = []
        for line in (self.shareholders_text or "").splitlines():
            name, _sep, shares = line.partition(";")
            if name.strip():
                shareholders.append((name.strip(), shares.strip()))
        return {
            "full_time_equivalents": f"{self.full_time_equivalents:.2f}",
            "pension_scheme": self.pension_scheme,
            "receivables_due_after_one_year": self._money(self.receivables_due_after_one_year),
            "debt_due_after_five_years": self._money(self.debt_due_after_five_years),
            "secured_debt": self._money(self.secured_debt),
            "pledged_assets_book_value": self._money(self.pledged_assets_book_value),
            "guarantees_total": self._money(self.guarantees_total),
            "manager_loans": self._money(self.manager_loans),
            "manager_security": self._money(self.manager_security),
            "manager_loans_text": self.manager_loans_text or "",
            "own_shares_count": self.own_shares_count,
            "share_count": self.share_count,
            "shareholders": shareholders,
        }

    def _money(self, value):
        return f"{self.currency_id.round(value or 0.0):.2f}"

    def _orgnr(self):
        # The same number Altinn files for, or BRG refuses the filing (val_18).
        return self.company_id._l10n_no_altinn_orgnr()

    def _brg_filing_data(self):
        """The filing-data dict of the BRG builders and validations (docs/architecture.md)."""
        self.ensure_one()
        version = (
            self.env["ir.module.module"]
            .sudo()
            .search([("name", "=", "l10n_no_annual_accounts")], limit=1)
            .latest_version
        )
        notes = [note._filing_dict() for note in self.note_ids]
        is_as = self.org_form == "AS"
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        )
        return {
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
            "rules": {"small_enterprise": self.small_enterprise, "ifrs": self.ifrs},
            "approval": {
                "date": self.approval_date and self.approval_date.isoformat(),
                "confirmed_by": self.approval_confirmed_by or None,
            },
            "audit": {
                "not_audited": self.not_audited,
                "prepared_by_authorised_accountant": self.prepared_by_authorised_accountant,
                "external_accountant_assistance": self.external_accountant_assistance,
            }
            if is_as
            else {},
            "attachments": attachments.mapped("name"),
            "accounts_type": "S",
            "currency": self.snapshot.get("currency") or "NOK",
            "statement": self.snapshot,
            "notes": notes,
            "note_values": notes_tools.note_values(self.snapshot, self._note_inputs(), notes),
        }

    # ------------------------------------------------------------------------------------------
    # Validation and payload
    # ------------------------------------------------------------------------------------------

    def _brg_issues(self):
        """BRG's validations and the XSD checks of both documents, as
        ``[{"severity", "rule_id", "field", "message"}]`` in BRG's wording."""
        self.ensure_one()
        data = self._brg_filing_data()
        today = fields.Date.context_today(self)
        issues = [
            {"severity": i.severity, "rule_id": i.rule_id, "field": i.field, "message": i.message}
            for i in brg_validation.check(data, today=today)
        ]
        for kind, build in (
            ("hovedskjema", brg_xml.build_hovedskjema),
            ("underskjema", brg_xml.build_underskjema),
        ):
            issues += [
                {"severity": "error", "rule_id": "XSD", "field": kind, "message": message}
                for message in brg_validation.validate_xsd(kind, build(data))
            ]
        return issues

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
        data = self._brg_filing_data()
        documents = (brg_xml.build_hovedskjema(data), brg_xml.build_underskjema(data))
        for kind, document in zip(("hovedskjema", "underskjema"), documents, strict=True):
            errors = brg_validation.validate_xsd(kind, document)
            if errors:
                raise UserError(
                    _(
                        "The %(kind)s of %(name)s does not follow BRG's schema:\n%(errors)s",
                        kind=kind.capitalize(),
                        name=self.display_name,
                        errors="\n".join(errors),
                    )
                )
        return documents

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
