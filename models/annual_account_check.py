import contextvars
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.misc import format_date, formatLang

# The pre-close checks (issue 18 point 12): what an accountant looks at before closing the
# year, beside BRG's findings. Warnings, never blocks: each can be dismissed with a reason.
CHECKS = [
    ("draft_entries", "Unposted journal entries in the year"),
    ("unreconciled_bank", "Bank statement lines not reconciled"),
    ("partner_ledgers", "Receivables and payables without a partner"),
    ("vat_terms", "VAT not settled for every term"),
    ("depreciation", "No depreciation booked"),
    ("tax_cost", "No tax cost booked"),
]
CHECK_CODES = [code for code, _label in CHECKS]
# NS 4102 ranges (first four digits of the account number), bounds included.
FIXED_ASSETS = (1000, 1299)
DEPRECIATION = (6000, 6099)
RESULT_BEFORE_TAX = (3000, 8299)
TAX_COST = (8300, 8399)
VAT_ACCOUNTS = (2700, 2719)  # utgående and inngående merverdiavgift; 2740 settles them
SUBLEDGER_TYPES = ("asset_receivable", "liability_payable")
DISMISS_FIELDS = ("dismissed", "dismissed_by_id", "dismissed_at", "dismiss_reason")
# The checks whose dismissal method runs now: only it writes the dismissal fields.
_DISMISSING = contextvars.ContextVar("l10n_no_aa_dismissing", default=False)


def _in_range(code, bounds):
    head = (code or "")[:4]
    return len(head) == 4 and head.isdigit() and bounds[0] <= int(head) <= bounds[1]


class AnnualAccountCheck(models.Model):
    """One pre-close check of a filing: its result is computed from the ledger each time it
    is read (so a posting since is seen at once); its dismissal (who, when, why) is stored.

    Every filing gets one row per check when it is created (``annual.account.check_ids``'s
    default); ``init`` adds the missing rows to filings made before the checks existed.
    """

    _name = "annual.account.check"
    _description = "Pre-close check of annual accounts"
    _order = "account_id, sequence, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "annual.account",
        string="Filing",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    code = fields.Selection(CHECKS, string="Check", required=True, readonly=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True, precompute=True)
    result = fields.Selection(
        [("ok", "Passed"), ("warning", "Warning"), ("dismissed", "Dismissed")],
        compute="_compute_result",
    )
    failing_count = fields.Integer(string="Records", compute="_compute_result")
    detail = fields.Char(compute="_compute_result")
    dismissed = fields.Boolean(readonly=True, copy=False)
    dismissed_by_id = fields.Many2one("res.users", string="Dismissed By", readonly=True)
    dismissed_at = fields.Datetime(string="Dismissed On", readonly=True)
    dismiss_reason = fields.Text(string="Reason", readonly=True)

    _sql_constraints = [  # noqa: RUF012
        ("account_code_unique", "UNIQUE(account_id, code)", "Each check appears once a filing."),
    ]

    def init(self):
        # filings made before the checks existed get their rows on the module's upgrade
        for sequence, code in enumerate(CHECK_CODES):
            self.env.cr.execute(
                """
                INSERT INTO annual_account_check (account_id, company_id, code, sequence,
                       dismissed, create_uid, write_uid, create_date, write_date)
                SELECT a.id, a.company_id, %s, %s, FALSE, 1, 1,
                       now() at time zone 'utc', now() at time zone 'utc'
                  FROM annual_account a
                 WHERE NOT EXISTS (SELECT 1 FROM annual_account_check c
                                    WHERE c.account_id = a.id AND c.code = %s)
                """,
                [code, sequence, code],
            )

    @api.model
    def _default_rows(self):
        """The filing's ``check_ids`` default: one row per check."""
        return [fields.Command.create({"code": code}) for code in CHECK_CODES]

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends("code")
    def _compute_sequence(self):
        for check in self:
            check.sequence = CHECK_CODES.index(check.code) if check.code else 0

    @api.depends("code", "dismissed", "account_id.date_from", "account_id.date_to")
    @api.depends_context("uid", "lang")
    def _compute_result(self):
        evaluated = {}
        for check in self:
            account = check.account_id
            if not (account.id and account.date_to and check.code):
                check.result, check.failing_count, check.detail = "ok", 0, False
                continue
            if account not in evaluated:
                evaluated[account] = self._evaluate(account)
            found = evaluated[account][check.code]
            check.failing_count = found["count"]
            check.detail = found["detail"] or False
            if not found["count"]:
                check.result = "ok"
            else:
                check.result = "dismissed" if check.dismissed else "warning"

    # ------------------------------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(name in vals for vals in vals_list for name in DISMISS_FIELDS):
            raise UserError(_("A check is dismissed with its Dismiss button, with a reason."))
        return super().create(vals_list)

    def write(self, vals):
        if not _DISMISSING.get() and not set(DISMISS_FIELDS).isdisjoint(vals):
            raise UserError(_("A check is dismissed with its Dismiss button, with a reason."))
        if {"code", "account_id"} & set(vals):
            raise UserError(_("A check stays the check of the filing it was made for."))
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def action_open_records(self):
        """The records that fail the check (journal entries, statement lines, journal items)."""
        self.ensure_one()
        found = self._evaluate(self.account_id)[self.code]
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["code"]._description_selection(self.env))[self.code],
            "res_model": found["model"],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": found["domain"],
            "context": {"create": False, **found.get("context", {})},
        }

    def action_open_dismiss(self):
        self.ensure_one()
        self._check_dismissable()
        return {
            "type": "ir.actions.act_window",
            "name": _("Dismiss check"),
            "res_model": "annual.account.check.dismiss",
            "view_mode": "form",
            "target": "new",
            "context": {"default_check_id": self.id},
        }

    def _dismiss(self, reason):
        """Dismiss the warning: who, when and why are kept, and written to the chatter."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Say why the check can be dismissed."))
        self._check_dismissable()
        self._write_dismissal(
            {
                "dismissed": True,
                "dismissed_by_id": self.env.uid,
                "dismissed_at": fields.Datetime.now(),
                "dismiss_reason": reason,
            }
        )
        for check in self:
            check.account_id._message_log(
                body=_(
                    "Pre-close check dismissed: %(check)s. Reason: %(reason)s",
                    check=check._label(),
                    reason=reason,
                )
            )
        return True

    def action_restore(self):
        """Undo a dismissal: the check warns again while it fails."""
        self._check_dismissable()
        self._write_dismissal({"dismissed": False, "dismissed_by_id": False, "dismissed_at": False})
        for check in self:
            check.account_id._message_log(
                body=_("Pre-close check restored: %(check)s.", check=check._label())
            )
        return True

    def _write_dismissal(self, vals):
        token = _DISMISSING.set(True)
        try:
            self.write(vals)
        finally:
            _DISMISSING.reset(token)

    def _check_dismissable(self):
        for check in self:
            if check.account_id.state != "draft":
                raise UserError(
                    _(
                        "The checks of %(name)s can only be dismissed while it is a draft.",
                        name=check.account_id.display_name,
                    )
                )

    def _label(self):
        return dict(self._fields["code"]._description_selection(self.env))[self.code]

    # ------------------------------------------------------------------------------------------
    # The checks: a few grouped queries per filing
    # ------------------------------------------------------------------------------------------

    @api.model
    def _evaluate(self, account):
        """``{code: {"count", "detail", "model", "domain"[, "context"]}}`` for ``account``:
        ``count`` of failing records (0 when it passes) and the domain that lists them."""
        company = account.company_id
        scope = {
            "account": account,
            "company": company,
            "company_ids": self.env["annual.statement.engine"]._company_ids(company),
            "date_from": account.date_from,
            "date_to": account.date_to,
        }
        results = {
            "draft_entries": self._check_draft_entries(scope),
            "unreconciled_bank": self._check_unreconciled_bank(scope),
            "partner_ledgers": self._check_partner_ledgers(scope),
            "vat_terms": self._check_vat_terms(scope),
        }
        results.update(self._check_year_end_entries(scope))
        return results

    def _posted_items(self, scope, date_from=None):
        domain = [
            ("company_id", "in", scope["company_ids"]),
            ("parent_state", "=", "posted"),
            ("date", "<=", scope["date_to"]),
        ]
        return domain + ([("date", ">=", date_from)] if date_from else [])

    def _money(self, scope, amount):
        return formatLang(self.env, amount, currency_obj=scope["company"].currency_id)

    def _check_draft_entries(self, scope):
        domain = [
            ("company_id", "in", scope["company_ids"]),
            ("state", "=", "draft"),
            ("date", ">=", scope["date_from"]),
            ("date", "<=", scope["date_to"]),
        ]
        count = self.env["account.move"].search_count(domain)
        detail = count and _(
            "%(count)s journal entries of the year are not posted: the statements leave them "
            "out.",
            count=count,
        )
        return {"count": count, "detail": detail, "model": "account.move", "domain": domain}

    def _check_unreconciled_bank(self, scope):
        # Statement lines of the year (or before) still open now; Odoo keeps no history of
        # when a line was reconciled, so one matched after the year end counts as done.
        domain = [
            ("company_id", "in", scope["company_ids"]),
            ("state", "=", "posted"),
            ("date", "<=", scope["date_to"]),
            ("is_reconciled", "=", False),
        ]
        count = self.env["account.bank.statement.line"].search_count(domain)
        detail = count and _(
            "%(count)s bank statement lines up to the year end are not reconciled.", count=count
        )
        return {
            "count": count,
            "detail": detail,
            "model": "account.bank.statement.line",
            "domain": domain,
        }

    def _check_partner_ledgers(self, scope):
        """The partner ledgers of receivables and payables add up to their control accounts
        only when every item on those accounts names a partner."""
        domain = self._posted_items(scope) + [
            ("account_id.account_type", "in", SUBLEDGER_TYPES),
            ("partner_id", "=", False),
        ]
        currency = scope["company"].currency_id
        groups = self.env["account.move.line"]._read_group(domain, ["account_id"], ["balance:sum"])
        failing = [(acc, total) for acc, total in groups if not currency.is_zero(total)]
        domain += [("account_id", "in", [acc.id for acc, _total in failing])]
        count = self.env["account.move.line"].search_count(domain) if failing else 0
        detail = count and _(
            "The partner ledgers differ from their control accounts by the items without a "
            "partner: %(accounts)s.",
            accounts=", ".join(
                f"{acc.with_company(scope['company']).code} {self._money(scope, total)}"
                for acc, total in failing
            ),
        )
        return {
            "count": count,
            "detail": detail,
            "model": "account.move.line",
            "domain": domain,
            "context": {"search_default_group_by_account": 1},
        }

    # -- VAT ------------------------------------------------------------------------------------

    def _vat_accounts(self, scope):
        """The VAT accounts a term's closing empties: those of the company's taxes that take
        part in the tax closing, and NS 4102 2700-2719 (VAT booked by hand); never the
        settlement accounts the closing moves the VAT to (the tax groups', 2740)."""
        company = scope["company"]
        Account = self.env["account.account"].with_company(company)
        taxes = (
            self.env["account.tax"]
            .with_context(active_test=False)
            .search([("company_id", "in", scope["company_ids"])])
        )
        repartition = taxes.repartition_line_ids.filtered("use_in_tax_closing").account_id
        settlement = (
            taxes.tax_group_id.tax_payable_account_id | taxes.tax_group_id.tax_receivable_account_id
        )
        by_code = Account.search(
            [("company_ids", "in", company.id), ("code", "=like", "27%")]
        ).filtered(lambda a: _in_range(a.code, VAT_ACCOUNTS))
        return (repartition | by_code) - settlement

    def _vat_terms(self, scope):
        """``[(start, end)]`` of the VAT terms (calendar months: bi-monthly, or the year for
        an annual term) that end within the financial year."""
        months = 12 if scope["company"].l10n_no_aa_vat_term == "annual" else 2
        terms = []
        year_start = scope["date_from"].replace(day=1)
        start = date(year_start.year, ((year_start.month - 1) // months) * months + 1, 1)
        while start <= scope["date_to"]:
            end = start + relativedelta(months=months) - timedelta(days=1)
            if scope["date_from"] <= end <= scope["date_to"]:
                terms.append((max(start, scope["date_from"]), end))
            start = end + timedelta(days=1)
        return terms

    def _check_vat_terms(self, scope):
        """Community has no VAT return: a term counts as reported when its closing moved the
        term's VAT to the settlement account, i.e. the VAT accounts' movements of the term
        (its closing included) add up to zero."""
        vat = self._vat_accounts(scope)
        terms = self._vat_terms(scope)
        empty = {"count": 0, "detail": False, "model": "account.move.line", "domain": []}
        if not (vat and terms):
            return empty
        base = self._posted_items(scope, scope["date_from"]) + [("account_id", "in", vat.ids)]
        months = self.env["account.move.line"]._read_group(base, ["date:month"], ["balance:sum"])
        currency = scope["company"].currency_id
        unsettled = []
        for start, end in terms:
            # the term's own VAT and its closing (dated in the term, as Odoo dates it at the
            # term's end) add up to nothing; months are whole within a term
            balance = sum(total for month, total in months if start.replace(day=1) <= month <= end)
            if not currency.is_zero(balance):
                unsettled.append((start, end))
        if not unsettled:
            return empty
        domain = base + expression.OR(
            [[("date", ">=", start), ("date", "<=", end)] for start, end in unsettled]
        )
        count = self.env["account.move.line"].search_count(domain)
        detail = _(
            "The VAT of these terms was not settled (no closing to the settlement account): "
            "%(terms)s.",
            terms=", ".join(
                f"{format_date(self.env, start)}–{format_date(self.env, end)}"
                for start, end in unsettled
            ),
        )
        return dict(empty, count=count or len(unsettled), detail=detail, domain=domain)

    # -- Depreciation and tax cost ------------------------------------------------------------

    def _check_year_end_entries(self, scope):
        """Depreciation when there are fixed assets, a tax cost when there is a profit: one
        grouped query for the year's movements, one for the balances at its end."""
        company = scope["company"]
        currency = company.currency_id
        Line = self.env["account.move.line"]
        movements = [
            (acc.with_company(company).code, total)
            for acc, total in Line._read_group(
                self._posted_items(scope, scope["date_from"]), ["account_id"], ["balance:sum"]
            )
        ]
        fixed = [
            acc
            for acc, total in Line._read_group(
                self._posted_items(scope), ["account_id"], ["balance:sum"]
            )
            if _in_range(acc.with_company(company).code, FIXED_ASSETS)
            and total > 0
            and not currency.is_zero(total)
        ]

        def moved(bounds):
            return any(
                not currency.is_zero(total) for code, total in movements if _in_range(code, bounds)
            )

        results = {}
        domain = self._posted_items(scope) + [("account_id", "in", [a.id for a in fixed])]
        failing = bool(fixed) and not moved(DEPRECIATION)
        results["depreciation"] = {
            "count": Line.search_count(domain) if failing else 0,
            "detail": failing
            and _(
                "The company has fixed assets (%(accounts)s) but nothing is booked on "
                "depreciation (6000-6099) in the year.",
                accounts=", ".join(a.with_company(company).code for a in fixed),
            ),
            "model": "account.move.line",
            "domain": domain,
            "context": {"search_default_group_by_account": 1},
        }
        profit = -sum(total for code, total in movements if _in_range(code, RESULT_BEFORE_TAX))
        failing = profit > 0 and not currency.is_zero(profit) and not moved(TAX_COST)
        result_accounts = [
            acc.id
            for (acc,) in Line._read_group(
                self._posted_items(scope, scope["date_from"]), ["account_id"]
            )
            if _in_range(acc.with_company(company).code, RESULT_BEFORE_TAX)
        ]
        domain = self._posted_items(scope, scope["date_from"]) + [
            ("account_id", "in", result_accounts)
        ]
        results["tax_cost"] = {
            "count": Line.search_count(domain) if failing else 0,
            "detail": failing
            and _(
                "The result before tax is a profit of %(profit)s, but no tax cost is booked "
                "(8300-8399).",
                profit=self._money(scope, profit),
            ),
            "model": "account.move.line",
            "domain": domain,
            "context": {"search_default_group_by_account": 1},
        }
        return results
