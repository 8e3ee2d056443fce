import calendar
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_repr
from odoo.tools.misc import formatLang

from ..tools import allocation_entry, allocation_law
from ..tools.allocation_inputs import AllocationInputError, parse_inputs, parse_lines

# structured_data key -> (field, flag field). A flagged amount is "computed by the server"
# while its flag is off (null in structured_data).
INPUT_FIELDS = {
    "dividend": ("dividend", None),
    "group_contribution": ("group_contribution", None),
    "recipient_business_partner_id": ("recipient_id", None),
    "group_contribution_received": ("group_contribution_received", None),
    "other_equity_transfer": ("other_equity_transfer", "other_equity_transfer_manual"),
    "dividends_after_balance_date": ("dividends_after_balance_date", None),
    "group_contributions_after_balance_date": ("group_contributions_after_balance_date", None),
    "credit_after_balance_date": ("credit_after_balance_date", None),
    "taxable_income": ("taxable_income", "taxable_income_manual"),
    "board_confirmation": ("board_confirmation", None),
}


class AnnualAllocation(models.Model):
    _name = "annual.allocation"
    _description = "Year-end allocation (årsdisponering)"
    _inherit = "mail.thread"
    _order = "year desc, company_id"
    _rec_name = "document_number"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(required=True)
    document_number = fields.Char(compute="_compute_document_number", store=True)
    # Draft: a work in progress, its journal entry (if any) unposted. Final: the entry is
    # posted and the PDF generated. Both are rewritten by every save (see _api_post).
    is_draft = fields.Boolean(default=True, readonly=True, copy=False, tracking=True)
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(readonly=True)
    description = fields.Char(tracking=True)

    # -- inputs (structured_data) --
    dividend = fields.Monetary(tracking=True)
    group_contribution = fields.Monetary(tracking=True)
    recipient_id = fields.Many2one(
        comodel_name="res.partner",
        string="Group contribution recipient",
        check_company=True,
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    group_contribution_received = fields.Monetary(tracking=True)
    other_equity_transfer_manual = fields.Boolean(string="Enter the transfer to other equity")
    other_equity_transfer = fields.Monetary(
        tracking=True, help="Positive: to other equity; negative: from other equity."
    )
    dividends_after_balance_date = fields.Monetary(tracking=True)
    group_contributions_after_balance_date = fields.Monetary(tracking=True)
    credit_after_balance_date = fields.Monetary(
        string="Credit and security after the balance date", tracking=True
    )
    taxable_income_manual = fields.Boolean(string="Enter the taxable income")
    taxable_income = fields.Monetary(
        string="Taxable income after loss carry-forward",
        tracking=True,
        help="Caps the deduction of a given group contribution (skatteloven § 10-2). "
        "Without it the year's result before tax is used.",
    )
    board_confirmation = fields.Boolean(
        string="The board confirms sound equity and liquidity",
        tracking=True,
        help="After the distribution the company keeps sound equity and liquidity "
        "(aksjeloven § 8-1 (4) with § 3-4). Required for a final allocation.",
    )
    structured_data = fields.Json(compute="_compute_structured_data")

    # -- the entry --
    line_ids = fields.One2many("annual.allocation.line", "allocation_id", copy=False)
    move_id = fields.Many2one(
        comodel_name="account.move", readonly=True, copy=False, check_company=True, tracking=True
    )
    move_state = fields.Selection(related="move_id.state", string="Entry status")
    reversal_move_ids = fields.Many2many(
        comodel_name="account.move",
        relation="annual_allocation_reversal_rel",
        column1="allocation_id",
        column2="move_id",
        string="Reversals",
        readonly=True,
        copy=False,
    )
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, copy=False)

    # -- the calculation --
    max_dividend_amount = fields.Monetary(string="Maximum dividend", compute="_compute_calculation")
    calculation_html = fields.Html(compute="_compute_calculation", sanitize=False)

    _sql_constraints = (
        ("company_year_uniq", "unique(company_id, year)", "One allocation per company and year."),
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("year"):
                for key, value in self._new_vals(company, vals["year"]).items():
                    vals.setdefault(key, value)
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(allocation.move_id.state == "posted" for allocation in self):
            raise UserError(
                _(
                    "An allocation whose entry is posted cannot be deleted: save it as a draft"
                    " first, which reverses the entry."
                )
            )

    def unlink(self):
        drafts = self.move_id.filtered(lambda move: move.state == "draft")
        result = super().unlink()
        drafts.with_context(force_delete=True).unlink()  # they belong to the allocation
        return result

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("year")
    def _compute_document_number(self):
        for allocation in self:
            allocation.document_number = f"ÅRSDISP-{allocation.year}"

    @api.depends(*(f for pair in INPUT_FIELDS.values() for f in pair if f))
    def _compute_structured_data(self):
        for allocation in self:
            data = {}
            for key, (fname, flag) in INPUT_FIELDS.items():
                value = allocation[fname]
                if isinstance(value, models.BaseModel):
                    value = value.id or None
                elif isinstance(value, float):
                    value = float_repr(value, 2) if not flag or allocation[flag] else None
                data[key] = value
            allocation.structured_data = data

    @api.depends("structured_data", "line_ids.account_id", "line_ids.debit", "line_ids.credit")
    def _compute_calculation(self):
        for allocation in self:
            allocation.max_dividend_amount = 0.0
            allocation.calculation_html = False
            if not allocation.year or not allocation.period_end:
                continue
            try:
                calc = allocation._calculate_for_record()
            except AllocationInputError as error:
                message = self._input_error_message(error.errors)
                allocation.calculation_html = Markup('<p class="text-danger">%s</p>') % message
                continue
            allocation.max_dividend_amount = float(calc["max_dividend"]["total"])
            allocation.calculation_html = self.env["ir.qweb"]._render(
                "l10n_no_annual_accounts.annual_allocation_calculation",
                {"o": allocation, "calc": calc, "show_suggestions": True},
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_save_draft(self):
        return self._post_from_form(is_draft=True)

    def action_post(self):
        return self._post_from_form(is_draft=False)

    def _post_from_form(self, is_draft):
        self.ensure_one()
        self._api_post(
            self.company_id,
            self.year,
            {
                "is_draft": is_draft,
                "description": self.description or None,
                "structured_data": self.structured_data,
                "lines": self.line_ids._to_payload(),
            },
        )
        return True

    def action_use_suggested_lines(self):
        """Replace the lines by the ones the inputs imply."""
        self.ensure_one()
        suggested = self._calculate_for_record()["suggested_lines"]
        accounts = self._accounts_by_code(self.company_id, {x["account_code"] for x in suggested})
        missing = sorted({x["account_code"] for x in suggested} - set(accounts))
        if missing:
            raise UserError(
                _("The chart of accounts has no account %(codes)s.", codes=", ".join(missing))
            )
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "sequence": index,
                    "account_id": accounts[line["account_code"]].id,
                    "description": line["description"],
                    "debit": float(line["debit"]),
                    "credit": float(line["credit"]),
                    "partner_id": line["partner_id"],
                }
            )
            for index, line in enumerate(suggested)
        ]

    @api.model
    def action_open_for(self, company, year):
        """The allocation of (company, year) in its form, created as a draft if needed: the
        annual-account filing's button calls this."""
        company, year = self._check_scope(company, year)
        allocation = self._find(company, year) or self.with_company(company).create(
            {"company_id": company.id, "year": year}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": allocation.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"allowed_company_ids": [company.id]},
        }

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @api.model
    def _check_scope(self, company, year):
        if isinstance(company, int) and not isinstance(company, bool):
            company = self.env["res.company"].browse(company)
        if not isinstance(company, models.BaseModel) or len(company) != 1 or not company.exists():
            raise ValidationError(_("client_account_id: no such company."))
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(_("You have no access to %(company)s.", company=company.name))
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 3000:
            raise ValidationError(_("reporting_year: a year such as 2025 is required."))
        return company, year

    @api.model
    def _find(self, company, year):
        return self.search([("company_id", "=", company.id), ("year", "=", year)], limit=1)

    @api.model
    def _fiscal_period(self, company, year):
        """The fiscal year of ``company`` that ends in ``year``."""
        month = int(company.fiscalyear_last_month)
        day = min(company.fiscalyear_last_day, calendar.monthrange(year, month)[1])
        dates = company.compute_fiscalyear_dates(date(year, month, day))
        return dates["date_from"], dates["date_to"]

    @api.model
    def _new_vals(self, company, year):
        date_from, date_to = self._fiscal_period(company, year)
        return {
            "company_id": company.id,
            "year": year,
            "period_start": date_from,
            "period_end": date_to,
            "description": f"Årsavslutning {year}",  # the seed's default, not UI text
        }

    @api.model
    def _accounts_by_code(self, company, codes):
        Account = self.env["account.account"].with_company(company)
        accounts = Account.search(
            [*Account._check_company_domain(company), ("code", "in", list(codes))]
        )
        return {account.code: account for account in accounts}

    @api.model
    def _get_filed_snapshot(self, company, year):
        """Hook for the annual-account filing: ``(snapshot, basis)`` of the årsregnskap filed
        for (company, year), or None to read the ledger."""
        return None

    @api.model
    def _get_snapshot(self, company, year, date_from, date_to):
        filed = self._get_filed_snapshot(company, year)
        if filed:
            return filed
        snapshot = self.env["annual.statement.engine"].compute(
            company, date_from=date_from, date_to=date_to, reporting_year=year
        )
        return snapshot, {"source": "ledger", "reference": None}

    @api.model
    def _group_parties(self, company, recipient):
        """Giver, recipient and the parents above them, as the law module reads them."""
        parties = {}
        for partner in (company.partner_id, recipient):
            while partner and partner.id not in parties:
                parties[partner.id] = {
                    "id": partner.id,
                    "name": partner.display_name,
                    "country_code": partner.country_id.code,
                    "org_form": partner.l10n_no_org_form,
                    "parent_id": partner.l10n_no_group_parent_id.id or None,
                    "shares_pct": Decimal(float_repr(partner.l10n_no_group_shares_pct, 2)),
                    "votes_pct": Decimal(float_repr(partner.l10n_no_group_votes_pct, 2)),
                }
                partner = partner.l10n_no_group_parent_id
        return parties

    @api.model
    def _calculate(self, company, year, date_from, date_to, inputs, lines):
        """The server's calculation (Decimals): maximum dividend, group-contribution checks
        and suggested lines for the given inputs and entry lines."""
        snapshot, basis = self._get_snapshot(company, year, date_from, date_to)
        checked = allocation_law.effective_inputs(inputs, lines)
        ceiling = allocation_law.max_dividend(snapshot, checked, basis)
        recipient = self.env["res.partner"].browse(inputs["recipient_business_partner_id"])
        group_contribution = allocation_law.group_contribution_checks(
            snapshot,
            checked,
            ceiling,
            self._group_parties(company, recipient.exists()),
            company.partner_id.id,
        )
        for check in group_contribution["checks"]:
            check["message"] = self._check_message(check)
        plan = allocation_entry.allocation_plan(snapshot, inputs)
        return {
            "inputs": checked,
            "max_dividend": ceiling,
            "group_contribution": group_contribution,
            "plan": plan,
            "suggested_lines": allocation_entry.suggested_lines(
                plan, inputs, company.currency_id.name
            ),
        }

    def _calculate_for_record(self):
        self.ensure_one()
        return self._calculate(
            self.company_id,
            self.year,
            self.period_start,
            self.period_end,
            parse_inputs(self.structured_data),
            parse_lines(self.line_ids._to_payload()),
        )

    def _fmt(self, amount):
        """An amount for the form and the PDF, in the company's currency."""
        currency = self.currency_id or self.env.company.currency_id
        return formatLang(self.env, float(amount or 0), currency_obj=currency)
