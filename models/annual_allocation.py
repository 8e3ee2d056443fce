from decimal import Decimal

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_repr
from odoo.tools.misc import formatLang

from ..tools import allocation_entry, allocation_law
from ..tools.allocation_inputs import AllocationInputError, check_entry, parse_inputs, parse_lines
from ..tools.amounts import MAX_AMOUNT
from .annual_document_mixin import MAX_YEAR, MIN_YEAR

LIMIT = f"{MAX_AMOUNT:f}"  # as messages show it

# A document with a status bar (DOMAIN.md §6):
#
#   draft ──post──▶ posted ──reset to draft──▶ draft
#     │               │
#     └──cancel──▶ cancelled ◀──cancel──┘      cancelled ──reset to draft──▶ draft
#
# Posted: the entry is posted and the PDF made. Leaving "posted" reverses the entry (the
# reversal is kept); a draft's entry is unposted and replaced on every "Save draft".
STATES = [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")]
TRANSITIONS = frozenset(
    {
        ("draft", "posted"),
        ("draft", "cancelled"),
        ("posted", "draft"),
        ("posted", "cancelled"),
        ("cancelled", "draft"),
    }
)
ACTIONS = {
    "draft": {"save_draft", "post", "use_suggested_lines", "cancel"},
    "posted": {"reset_to_draft", "cancel"},
    "cancelled": {"reset_to_draft"},
}
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
INPUT_FIELD_NAMES = tuple(name for pair in INPUT_FIELDS.values() for name in pair if name)
# The API's request body ("Post Annual Allocations").
REQUEST_KEYS = {
    "client_account_id",
    "reporting_year",
    "lines",
    "is_draft",
    "description",
    "structured_data",
}
REPORT = "l10n_no_annual_accounts.action_report_annual_allocation"


class AnnualAllocation(models.Model):
    """The year-end allocation (årsdisponering) of a company for a reporting year: the
    inputs of the law (dividend, group contribution, …), the journal entry that books them,
    and the calculation (``tools/allocation_*``) of the lawful maximum and the checks."""

    _name = "annual.allocation"
    _description = "Year-end allocation (årsdisponering)"
    _inherit = ["annual.document.mixin", "mail.thread"]  # noqa: RUF012
    _order = "reporting_year desc, company_id"
    _rec_name = "document_number"
    _check_company_auto = True

    _managed_fields = ("state", "move_id", "reversal_move_ids", "pdf_attachment_id")
    _draft_fields = (*INPUT_FIELD_NAMES, "description", "line_ids")
    _transitions = TRANSITIONS

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
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    document_number = fields.Char(compute="_compute_document_number", store=True)
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
        "(aksjeloven § 8-1 (4) with § 3-4). Required to post the allocation.",
    )
    structured_data = fields.Json(compute="_compute_structured_data")

    # -- the entry --
    line_ids = fields.One2many(
        "annual.allocation.line", "allocation_id", string="Lines", copy=False
    )
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
    max_dividend_amount = fields.Monetary(
        string="Maximum dividend",
        compute="_compute_calculation",
        help="The lawful maximum (aksjeloven § 8-1) less the group contribution given: what "
        "is left for the dividend.",
    )
    calculation_html = fields.Html(compute="_compute_calculation", sanitize=False)

    _sql_constraints = (
        (
            "company_year_uniq",
            "unique(company_id, reporting_year)",
            "One allocation per company and year.",
        ),
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _complete_create_values(self, vals):
        vals = super()._complete_create_values(vals)
        company = self.env["res.company"].browse(vals["company_id"])
        year = vals["reporting_year"] = self._check_reporting_year(vals.get("reporting_year"))
        existing = self.sudo()._find(company, year)
        if existing:  # also what a duplicate meets; the unique constraint settles races
            raise UserError(
                _(
                    "%(company)s already has the allocation %(name)s.",
                    company=company.name,
                    name=existing.document_number,
                )
            )
        vals["date_from"], vals["date_to"] = company._l10n_no_aa_financial_year(year)
        vals.setdefault("description", f"Årsavslutning {year}")  # the seed's default, not UI text
        return vals

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(allocation.state == "posted" for allocation in self):
            raise UserError(
                _(
                    "A posted allocation cannot be deleted: reset it to draft first, which "
                    "reverses its entry."
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

    @api.depends("reporting_year")
    def _compute_document_number(self):
        for allocation in self:
            allocation.document_number = f"ÅRSDISP-{allocation.reporting_year}"

    @api.depends(*INPUT_FIELD_NAMES)
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

    @api.depends(
        "company_id",
        "reporting_year",
        "structured_data",
        "line_ids.account_id",
        "line_ids.debit",
        "line_ids.credit",
    )
    def _compute_calculation(self):
        for allocation in self:
            allocation.max_dividend_amount = 0.0
            allocation.calculation_html = False
            if not (allocation.company_id and MIN_YEAR <= allocation.reporting_year <= MAX_YEAR):
                continue
            try:
                calc = allocation._calculate_for_record()
            except AllocationInputError as error:
                message = self._input_error_message(error.errors)
                allocation.calculation_html = Markup('<p class="text-danger">%s</p>') % message
                continue
            room = calc["max_dividend"]["total"] - calc["inputs"]["group_contribution"]
            allocation.max_dividend_amount = float(max(room, 0))
            allocation.calculation_html = self.env["ir.qweb"]._render(
                "l10n_no_annual_accounts.report_annual_allocation_calculation",
                {"o": allocation, "calc": calc, "show_suggestions": True},
            )

    # ------------------------------------------------------------
    # LIFECYCLE
    # ------------------------------------------------------------

    def _check_action(self, action):
        for allocation in self:
            if action not in ACTIONS[allocation.state]:
                raise UserError(
                    _(
                        "%(name)s is %(state)s: this cannot be done now.",
                        name=allocation.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            allocation.state
                        ],
                    )
                )

    def action_save_draft(self):
        """The draft's entry, unposted, from its lines (replacing the previous one)."""
        self._check_action("save_draft")
        for allocation in self:
            allocation._checked_lines(final=False)
            with allocation._lifecycle():
                allocation._replace_entry(post=False)
            allocation.message_post(body=_("Allocation saved as a draft."))
        return True

    def action_post(self):
        """Check the inputs and the lines against the law, post the entry, make the PDF."""
        self._check_action("post")
        self._lock_for_update()
        for allocation in self:
            lines = allocation._checked_lines(final=True)
            calc = allocation._calculate_for_record(lines)
            refusals = allocation_law.final_refusals(
                calc["inputs"], calc["max_dividend"], calc["group_contribution"]
            )
            if refusals:
                raise UserError(self._refusal_message(refusals, calc["group_contribution"]))
            with allocation._lifecycle():
                allocation._replace_entry(post=True)
                allocation._generate_pdf()
                allocation.state = "posted"
            allocation.message_post(
                body=_("Allocation posted: %(move)s.", move=allocation.move_id.name)
            )
        return True

    def action_reset_to_draft(self):
        """Back to a draft: a posted entry is reversed, the PDF no longer current."""
        self._check_action("reset_to_draft")
        self._lock_for_update()
        for allocation in self:
            allocation._reopen()
        return True

    def action_cancel(self):
        """Abandon the allocation: its entry reversed (posted) or deleted (draft)."""
        self._check_action("cancel")
        self._lock_for_update()
        for allocation in self:
            with allocation._lifecycle():
                allocation._remove_entry()
                allocation.state = "cancelled"
        return True

    def action_use_suggested_lines(self):
        """Replace the lines by the ones the inputs imply."""
        self.ensure_one()
        self._check_action("use_suggested_lines")
        suggested = self._calculate_for_record()["suggested_lines"]
        accounts = self._accounts_by_code(self.company_id, {x["account_code"] for x in suggested})
        missing = sorted({x["account_code"] for x in suggested} - set(accounts))
        if missing:
            raise UserError(
                _("The chart of accounts has no account %(codes)s.", codes=", ".join(missing))
            )
        self.line_ids = [Command.clear()] + [
            Command.create(
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
        company = self._check_company_access(company)
        year = self._check_reporting_year(year)
        allocation = self._find(company, year) or self.with_company(company).create(
            {"company_id": company.id, "reporting_year": year}
        )
        return allocation._form_action()

    def _lock_for_update(self):
        # Two saves of one allocation at once would both regenerate (and post) its entry.
        self._lock_rows(_("This allocation is being saved by someone else; try again in a moment."))

    def _reopen(self):
        """Back to draft (from posted or cancelled); returns the reversals it made."""
        self.ensure_one()
        with self._lifecycle():
            reversals = self._remove_entry() if self.state == "posted" else self.move_id.browse()
            self.state = "draft"
        return reversals

    def _remove_entry(self):
        """No entry left in force: a posted one reversed (the reversal kept on the
        allocation), an unposted one deleted, the PDF dropped. Returns the reversals."""
        move = self.move_id
        reversals = move.browse()
        if move.state == "posted":
            reversals = move._reverse_moves(
                [{"date": self.date_to, "ref": _("Reversal of %(move)s", move=move.name)}]
            )
            reversals.action_post()
            self.reversal_move_ids = [Command.link(reversal.id) for reversal in reversals]
        elif move:
            move.with_context(force_delete=True).unlink()
        self.write({"move_id": False, "pdf_attachment_id": False})
        return reversals

    def _replace_entry(self, post):
        """A new journal entry from the lines when they form one (at least two, balanced),
        posted when ``post``; the draft's previous entry is deleted."""
        self.move_id.with_context(force_delete=True).unlink()
        lines = self.line_ids
        debit, credit = sum(lines.mapped("debit")), sum(lines.mapped("credit"))
        move = self.env["account.move"]
        if len(lines) >= 2 and not self.currency_id.compare_amounts(debit, credit):
            move = move.create(
                {
                    "move_type": "entry",
                    "company_id": self.company_id.id,
                    "journal_id": self._general_journal().id,
                    "date": self.date_to,
                    "ref": self.description,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": line.account_id.id,
                                "name": line.description or self.description,
                                "debit": line.debit,
                                "credit": line.credit,
                                "partner_id": line.partner_id.id,
                            }
                        )
                        for line in lines
                    ],
                }
            )
            if post:
                move.action_post()
        self.move_id = move

    def _checked_lines(self, final):
        """The lines in the law's shape, checked as a draft or a final entry needs them."""
        try:
            lines = parse_lines(self.line_ids._to_payload())
            check_entry(lines, final=final)
        except AllocationInputError as error:
            raise ValidationError(self._input_error_message(error.errors)) from None
        return lines

    def _general_journal(self):
        Journal = self.env["account.journal"]
        journal = Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "general")],
            order="sequence, id",
            limit=1,
        )
        if not journal:
            raise UserError(_("%(company)s has no general journal.", company=self.company_id.name))
        return journal

    def _generate_pdf(self):
        self.ensure_one()
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(REPORT, self.ids)
        self.pdf_attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"Årsdisponering_{self.reporting_year}.pdf",
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    # ------------------------------------------------------------
    # THE API'S UPSERT ("Post Annual Allocations")
    # ------------------------------------------------------------

    @api.model
    def _save_request(self, company, year, payload):
        """Upsert the allocation of (company, year) from the API's request body and renew its
        journal entry: back to draft if it was not, the inputs and lines written, then
        "Save draft" (``is_draft``) or "Post". Every input is validated before anything is
        written and the writes share one savepoint, so on any error (the law's refusals
        included) nothing is left behind. ``structured_data`` omitted keeps the saved
        inputs; ``lines`` omitted means none. Returns ``(allocation, reversals made)``."""
        company = self._check_company_access(company)
        year = self._check_reporting_year(year)
        self = self.with_company(company)
        allocation = self._find(company, year)
        allocation._lock_for_update()
        request = self._parse_request(company, year, payload, allocation)
        with self.env.cr.savepoint():
            allocation = allocation or self.create(
                {"company_id": company.id, "reporting_year": year}
            )
            reversals = allocation._reopen() if allocation.state != "draft" else self.browse()
            allocation.write(allocation._request_values(request))
            if request["is_draft"]:
                allocation.action_save_draft()
            else:
                allocation.action_post()
        return allocation, reversals

    @api.model
    def _parse_request(self, company, year, payload, allocation):
        if not isinstance(payload, dict):
            raise ValidationError(_("The request body must be a JSON object."))
        errors = [(key, "unknown") for key in sorted(set(payload) - REQUEST_KEYS)]
        for key, expected in (("client_account_id", company.id), ("reporting_year", year)):
            if key in payload and payload[key] != expected:
                errors.append((key, "mismatch"))
        is_draft = payload.get("is_draft", False)
        if not isinstance(is_draft, bool):
            errors.append(("is_draft", "not_a_boolean"))
        description = payload.get("description")
        if description is not None and not isinstance(description, str):
            errors.append(("description", "not_a_string"))
        inputs, lines = None, []
        try:
            inputs = parse_inputs(
                payload["structured_data"]
                if "structured_data" in payload
                else (allocation.structured_data if allocation else None)
            )
        except AllocationInputError as error:
            errors += error.errors
        try:
            lines = parse_lines(payload.get("lines"))
            check_entry(lines, final=is_draft is False)
        except AllocationInputError as error:
            errors += error.errors
        errors += self._check_references(company, inputs, lines)
        if errors:
            raise ValidationError(self._input_error_message(errors))
        return {
            "is_draft": is_draft,
            "description": (description or "").strip() or _("Årsavslutning %(year)s", year=year),
            "inputs": inputs,
            "lines": lines,
        }

    @api.model
    def _check_references(self, company, inputs, lines):
        """Accounts by code in the company's chart; partners that exist and are shared with
        the company. Resolved accounts are kept on the lines."""
        errors = []
        accounts = self._accounts_by_code(company, {line["account_code"] for line in lines})
        for index, line in enumerate(lines):
            line["account"] = accounts.get(line["account_code"])
            if not line["account"]:
                errors.append((f"lines[{index}].account_code", "unknown_account"))
            elif line["account"].deprecated:
                errors.append((f"lines[{index}].account_code", "deprecated_account"))
        references = [
            (f"lines[{index}].partner_id", line["partner_id"])
            for index, line in enumerate(lines)
            if line["partner_id"]
        ]
        if inputs and inputs["recipient_business_partner_id"]:
            references.append(
                (
                    "structured_data.recipient_business_partner_id",
                    inputs["recipient_business_partner_id"],
                )
            )
        for field, partner_id in references:
            partner = self.env["res.partner"].browse(partner_id).exists()
            if not partner or partner.company_id not in (company, self.env["res.company"]):
                errors.append((field, "unknown_partner"))
        return errors

    def _request_values(self, request):
        """The fields a parsed request writes: description, inputs and lines."""
        vals = {"description": request["description"]}
        for key, (fname, flag) in INPUT_FIELDS.items():
            value = request["inputs"][key]
            if flag:
                vals[flag] = value is not None
            field_type = self._fields[fname].type
            if field_type == "monetary":
                value = float(value or 0)
            elif field_type == "many2one":
                value = value or False
            vals[fname] = value
        vals["line_ids"] = [Command.clear()] + [
            Command.create(
                {
                    "sequence": index,
                    "account_id": line["account"].id,
                    "description": line["description"],
                    "debit": float(line["debit"]),
                    "credit": float(line["credit"]),
                    "partner_id": line["partner_id"] or False,
                }
            )
            for index, line in enumerate(request["lines"])
        ]
        return vals

    # ------------------------------------------------------------
    # THE CALCULATION
    # ------------------------------------------------------------

    @api.model
    def _find(self, company, year):
        return self.search(
            [("company_id", "=", company.id), ("reporting_year", "=", year)], limit=1
        )

    @api.model
    def _calculation(self, company, year):
        """``(allocation, calculation)`` of (company, year): from the saved allocation, or
        the base ceiling without inputs when there is none."""
        company = self._check_company_access(company)
        year = self._check_reporting_year(year)
        self = self.with_company(company)
        allocation = self._find(company, year)
        if allocation:
            return allocation, allocation._calculate_for_record()
        date_from, date_to = company._l10n_no_aa_financial_year(year)
        return allocation, self._calculate(
            company, year, date_from, date_to, parse_inputs(None), []
        )

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
                    "org_form": partner.l10n_no_aa_org_form,
                    "parent_id": partner.l10n_no_aa_group_parent_id.id or None,
                    "shares_pct": Decimal(float_repr(partner.l10n_no_aa_group_shares_pct, 2)),
                    "votes_pct": Decimal(float_repr(partner.l10n_no_aa_group_votes_pct, 2)),
                }
                partner = partner.l10n_no_aa_group_parent_id
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

    def _calculate_for_record(self, lines=None):
        """The calculation of this allocation's inputs and lines (also of one being typed in
        its form, before it is saved)."""
        self.ensure_one()
        date_from, date_to = self.company_id._l10n_no_aa_financial_year(self.reporting_year)
        return self._calculate(
            self.company_id,
            self.reporting_year,
            self.date_from or date_from,
            self.date_to or date_to,
            parse_inputs(self.structured_data),
            parse_lines(self.line_ids._to_payload()) if lines is None else lines,
        )

    # ------------------------------------------------------------
    # MESSAGES: the codes and figures of tools/allocation_*, translated
    # ------------------------------------------------------------

    def _fmt(self, amount):
        """An amount for the form and the PDF, in the company's currency."""
        currency = self.currency_id or self.env.company.currency_id
        return formatLang(self.env, float(amount or 0), currency_obj=currency)

    @api.model
    def _input_error_message(self, errors):
        texts = {
            "unknown": _("unknown field"),
            "mismatch": _("does not match the allocation's company or year"),
            "not_a_number": _("not an amount"),
            "negative": _("must not be negative"),
            "too_large": _("larger than the limit %(limit)s", limit=LIMIT),
            "too_many_decimals": _("at most two decimals"),
            "not_an_id": _("not a record id"),
            "not_a_boolean": _("must be true or false"),
            "not_a_string": _("must be a text"),
            "not_an_object": _("must be an object"),
            "not_a_list": _("must be a list"),
            "missing": _("required"),
            "debit_and_credit": _("a line is either a debit or a credit"),
            "zero": _("a line needs a debit or a credit"),
            "too_few": _("a final entry needs at least two lines"),
            "unbalanced": _("the debits and credits do not balance"),
            "unknown_account": _("no such account in the company's chart of accounts"),
            "deprecated_account": _("the account is deprecated"),
            "unknown_partner": _("no such partner for this company"),
        }
        return _(
            "Invalid allocation: %(errors)s",
            errors="; ".join(f"{field}: {texts.get(code, code)}" for field, code in errors),
        )

    @api.model
    def _check_message(self, check):
        """One line saying what a group-contribution check found."""
        figures = self.browse()._fmt
        data = check["figures"]
        key = check["key"]
        if key == "recipient":
            return (
                _("The recipient is another company.")
                if check["passed"]
                else _("A group contribution needs a recipient other than the company itself.")
            )
        if key == "norwegian_limited_companies":
            return _(
                "Giver %(giver)s, recipient %(recipient)s: both must be Norwegian AS or ASA.",
                giver=self._party_text(data["giver"]),
                recipient=self._party_text(data["recipient"]),
            )
        if key == "group_ownership":
            Partner = self.env["res.partner"]
            links = ", ".join(
                self.env._(
                    "%(parent)s owns %(shares)s %% of the shares and %(votes)s %% of the votes"
                    " in %(child)s",
                    parent=Partner.browse(link["parent_id"]).display_name,
                    child=Partner.browse(link["child_id"]).display_name,
                    shares=link["shares_pct"],
                    votes=link["votes_pct"],
                )
                for link in data["links"]
            )
            return _(
                "More than %(threshold)s %% of shares and votes required (skatteloven § 10-4):"
                " %(links)s.",
                threshold=data["threshold_pct"],
                links=links or _("no ownership recorded"),
            )
        if key == "dividend_capacity":
            return _(
                "Dividend %(dividend)s and group contribution %(amount)s make %(total)s;"
                " the lawful maximum is %(maximum)s (aksjeloven § 8-5).",
                dividend=figures(data["dividend"]),
                amount=figures(data["group_contribution"]),
                total=figures(data["total_distribution"]),
                maximum=figures(data["max_dividend"]),
            )
        return _(
            "%(deductible)s of the contribution is deductible; taxable income %(taxable)s"
            " (%(basis)s, skatteloven § 10-2).",
            deductible=figures(data["deductible"]),
            taxable=figures(data["taxable_income"]),
            basis=_("entered") if data["source"] == "entered" else _("result before tax"),
        )

    @api.model
    def _party_text(self, party):
        if not party:
            return _("none")
        return f"{party['org_form'] or '?'} ({party['country_code'] or '?'})"

    @api.model
    def _refusal_message(self, refusals, group_contribution):
        messages = {check["key"]: check["message"] for check in group_contribution["checks"]}
        fmt = self.browse()._fmt
        reasons = []
        for refusal in refusals:
            code, data = refusal["code"], refusal["figures"]
            if code == "board_confirmation_missing":
                reasons.append(
                    _(
                        "structured_data.board_confirmation: the board has not confirmed that"
                        " equity and liquidity remain sound after the distribution"
                        " (aksjeloven § 8-1 (4) and § 3-4)."
                    )
                )
            elif code == "dividend_exceeds_maximum":
                reasons.append(
                    _(
                        "structured_data.dividend: the dividend %(dividend)s exceeds the lawful"
                        " maximum %(maximum)s (aksjeloven § 8-1).",
                        dividend=fmt(data["dividend"]),
                        maximum=fmt(data["max_dividend"]),
                    )
                )
            else:
                key = code.removeprefix("group_contribution_")
                reasons.append(
                    _("structured_data.group_contribution: %(reason)s", reason=messages[key])
                )
        return _("The final allocation is refused:\n%(reasons)s", reasons="\n".join(reasons))
