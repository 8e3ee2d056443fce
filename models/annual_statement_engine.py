from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import statement_plan as plan

SNAPSHOT_VERSION = 1
UNALLOCATED_LINE_CODE = "3274"  # Annen egenkapital
BALANCE_CODES = ("219", "251")  # sum eiendeler, sum egenkapital og gjeld
CENT = Decimal("0.01")
# Like the statement labels, the pseudo-account is named in Norwegian, as it is filed.
UNALLOCATED_NAME = "Udisponert resultat"


def _money(amount):
    return None if amount is None else str(Decimal(amount).quantize(CENT))


class AnnualStatementEngine(models.AbstractModel):
    """The statements from the ledger: every line of BRG's plan, this year and last year.

    ``compute()`` aggregates posted journal items in PostgreSQL in one query whatever the size of
    the ledger, maps accounts to lines in Python (rules, overrides), evaluates BRG's formulas with
    ``Decimal`` and returns the statement snapshot of docs/architecture.md.
    """

    _name = "annual.statement.engine"
    _description = "Annual accounts statements engine"

    # ------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------

    @api.model
    def compute(self, company, date_from=None, date_to=None, reporting_year=None):
        """The statement snapshot of ``company`` for the period (by default its financial
        year, see ``_period``) and the same period one year earlier."""
        company = self._check_company(company)
        date_from, date_to = self._period(date_from, date_to, reporting_year, company)
        prior_from, prior_to = plan.prior_period(date_from, date_to)
        findings = [self._finding("error", code) for code in plan.period_errors(date_from, date_to)]
        if company.chart_template and company.chart_template != "no":
            # The mapping rules speak NS 4102 numbers: another chart would map by accident.
            findings.append(self._finding("error", "NOT_NORWEGIAN_CHART"))
        rows = self.env["annual.statement.line"]._plan_rows()
        if any(f["code"] == "PERIOD_REVERSED" for f in findings):
            accounts = []
        else:
            accounts = self._account_balances(company, (date_from, date_to), (prior_from, prior_to))
        lines, more = self._build_lines(company, rows, accounts)
        findings += more
        snapshot = {
            "version": SNAPSHOT_VERSION,
            "company_id": company.id,
            "currency": company.currency_id.name,
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "prior_date_from": prior_from.isoformat(),
            "prior_date_to": prior_to.isoformat(),
            "lines": lines,
            "findings": findings,
        }
        snapshot["findings"] += self._soft_check_findings(snapshot, date_from, date_to)
        return snapshot

    # ------------------------------------------------------------------------------------------
    # Period and access
    # ------------------------------------------------------------------------------------------

    def _check_company(self, company):
        company = self.env["annual.document.mixin"]._check_company_access(
            company or self.env.company
        )
        self.env["account.move.line"].check_access("read")
        return company

    @api.model
    def _period(self, date_from=None, date_to=None, reporting_year=None, company=None):
        """The dates given, the missing ones from the company's financial year: the one ending
        in ``reporting_year``, else the one of the date given, else the last one that ended
        (the year being closed)."""
        company = company or self.env.company
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if reporting_year or date_to:
            year = int(reporting_year or date_to.year)
        elif date_from:
            year = date_from.year
            if company._l10n_no_aa_financial_year(year)[1] < date_from:
                year += 1
        else:
            today = fields.Date.context_today(self)
            year = (
                today.year
                if company._l10n_no_aa_financial_year(today.year)[1] < today
                else (today.year - 1)
            )
        default_from, default_to = company._l10n_no_aa_financial_year(year)
        return date_from or default_from, date_to or default_to

    # ------------------------------------------------------------------------------------------
    # SQL: one aggregate for both years
    # ------------------------------------------------------------------------------------------

    def _account_balances(self, company, period, prior):
        """Per account: movement in each period and cumulative balance at each period's end.

        One query. Journal items are summed per account and per date bucket (the periods' bounds
        cut time into at most five buckets), then the buckets are added up per measure. Sums
        come back as text: Odoo's cursor turns ``numeric`` into ``float``.
        """
        ranges = [period, prior, (None, period[1]), (None, prior[1])]
        starts, members = plan.date_buckets(*ranges)
        self.env["account.move.line"].flush_model(
            ["account_id", "balance", "company_id", "date", "parent_state"]
        )
        account = self.env["account.account"].with_company(company)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT agg.account_id, %(code)s, %(name)s, %(override)s,
                       account_account.account_type, agg.bucket, agg.balance::text
                  FROM (
                        SELECT aml.account_id,
                               %(bucket)s AS bucket,
                               SUM(aml.balance) AS balance
                          FROM account_move_line aml
                         WHERE aml.company_id = ANY(%(company_ids)s)
                           AND aml.parent_state = 'posted'
                           AND aml.date <= %(date_to)s
                      GROUP BY aml.account_id, bucket
                       ) agg
                  JOIN account_account ON account_account.id = agg.account_id
                """,
                code=account._field_to_sql("account_account", "code"),
                name=account._field_to_sql("account_account", "name"),
                override=account._field_to_sql("account_account", "l10n_no_aa_statement_line_id"),
                bucket=self._bucket_sql(starts),
                company_ids=self._company_ids(company),
                date_to=max(period[1], prior[1]),
            )
        )
        accounts = {}
        for account_id, code, name, override, account_type, bucket, balance in rows:
            entry = accounts.setdefault(
                account_id,
                {
                    "id": account_id,
                    "code": code or "",
                    "name": name or "",
                    "type": account_type,
                    "override": override,
                    "values": [Decimal(0)] * 4,
                },
            )
            for i, buckets in enumerate(members):
                if bucket in buckets:
                    entry["values"][i] += Decimal(balance)
        return sorted(accounts.values(), key=lambda a: (a["code"], a["id"]))

    def _bucket_sql(self, starts):
        """``CASE WHEN aml.date < starts[0] THEN 0 ... ELSE n END``: the number of bucket starts
        on or before the item's date (a ``CASE`` costs less per row than ``width_bucket``)."""
        whens = SQL(" ").join(
            SQL("WHEN aml.date < %s THEN %s", start, i) for i, start in enumerate(starts)
        )
        return SQL("CASE %s ELSE %s END", whens, len(starts))

    def _company_ids(self, company):
        """The company and its branches: one legal entity, one set of annual accounts."""
        return self.env["res.company"].sudo().search([("id", "child_of", company.id)]).ids

    # ------------------------------------------------------------------------------------------
    # Lines
    # ------------------------------------------------------------------------------------------

    def _build_lines(self, company, rows, accounts):
        by_id = {row["id"]: row for row in rows}
        Rule = self.env["annual.account.mapping.rule"]
        rules = Rule._rules_for(company)
        leaves = defaultdict(list)  # line id → account entries
        unmapped, unallocated = [], [Decimal(0), Decimal(0)]
        for acc in accounts:
            if acc["type"] == "off_balance":  # memorandum accounts are no part of the statements
                continue
            cur_move, prior_move, cur_cum, prior_cum = acc["values"]
            line = by_id.get(Rule._resolve(acc["code"], acc["override"], rules)[0])
            if not line or line["kind"] != "line":
                is_pnl = acc["type"].startswith(("income", "expense"))
                if any((cur_move, prior_move) if is_pnl else (cur_cum, prior_cum)):
                    unmapped.append(acc["code"])
                continue
            sign = int(line["sign"])
            if line["section"] == "RES":
                amounts = (cur_move * sign, prior_move * sign)
                unallocated[0] += cur_cum
                unallocated[1] += prior_cum
            else:
                amounts = (cur_cum * sign, prior_cum * sign)
            if any(amounts):
                leaves[line["id"]].append(
                    {
                        "account_id": acc["id"],
                        "code": acc["code"],
                        "name": acc["name"],
                        "amount": amounts[0],
                        "prior_amount": amounts[1],
                    }
                )
        findings = []
        if any(unallocated):
            target = next(r for r in rows if r["code"] == UNALLOCATED_LINE_CODE)
            # P&L balances not yet moved to equity: credit-normal like other equity.
            leaves[target["id"]].append(
                {
                    "account_id": None,
                    "code": "",
                    "name": UNALLOCATED_NAME,
                    "amount": -unallocated[0],
                    "prior_amount": -unallocated[1],
                }
            )
            findings.append(
                self._finding(
                    "warning",
                    "UNALLOCATED_RESULT",
                    line_code=UNALLOCATED_LINE_CODE,
                    amount=_money(-unallocated[0]),
                    prior_amount=_money(-unallocated[1]),
                )
            )
        if unmapped:
            findings.append(self._finding("error", "UNMAPPED_ACCOUNT", accounts=unmapped))
        lines = self._evaluate(rows, leaves)
        findings += self._balance_findings(lines)
        return lines, findings

    def _evaluate(self, rows, leaves):
        cur, prior = {}, {}
        for row in rows:
            if row["kind"] == "line":
                cur[row["code"]] = sum((a["amount"] for a in leaves[row["id"]]), Decimal(0))
                prior[row["prior_code"]] = sum(
                    (a["prior_amount"] for a in leaves[row["id"]]), Decimal(0)
                )
        sums = [row for row in rows if row["kind"] == "sum"]
        cur = plan.evaluate({r["code"]: plan.parse_formula(r["formula"]) for r in sums}, cur)
        prior = plan.evaluate(
            {r["prior_code"]: plan.parse_formula(r["prior_formula"]) for r in sums}, prior
        )
        return [self._snapshot_line(row, cur, prior, leaves[row["id"]]) for row in rows]

    def _snapshot_line(self, row, cur, prior, accounts):
        header = row["kind"] == "header"
        return {
            "key": row["key"],
            "section": row["section"],
            "row": row["row"],
            "code": row["code"] or None,
            "prior_code": row["prior_code"] or None,
            "note_code": row["note_code"] or None,
            "label": row["name"] or "",
            "label_en": row["name_en"] or "",
            "level": row["level"],
            "kind": row["kind"],
            "bold": row["bold"],
            "is_standard": row["is_standard"],
            "formula": row["formula"] or None,
            "amount": None if header else _money(cur.get(row["code"], Decimal(0))),
            "prior_amount": None if header else _money(prior.get(row["prior_code"], Decimal(0))),
            "accounts": [
                dict(a, amount=_money(a["amount"]), prior_amount=_money(a["prior_amount"]))
                for a in accounts
            ],
        }

    # ------------------------------------------------------------------------------------------
    # Findings
    # ------------------------------------------------------------------------------------------

    def _balance_findings(self, lines):
        by_code = {line["code"]: line for line in lines if line["code"]}
        findings = []
        assets, equity = (by_code[c] for c in BALANCE_CODES)
        for field, year_label in (
            ("amount", self.env._("this year")),
            ("prior_amount", self.env._("last year")),
        ):
            if Decimal(assets[field]) != Decimal(equity[field]):
                findings.append(
                    self._finding(
                        "error",
                        "BALANCE_MISMATCH",
                        line_code="251",
                        year=year_label,
                        assets=assets[field],
                        equity=equity[field],
                    )
                )
        return findings

    def _soft_check_findings(self, snapshot, date_from, date_to):
        values = {
            line["code"]: Decimal(line["amount"]) for line in snapshot["lines"] if line["code"]
        }
        mismatch = any(f["code"] == "BALANCE_MISMATCH" for f in snapshot["findings"])
        return [
            self._finding("warning", code, **params)
            for code, params in plan.soft_checks(values, date_from, date_to, snapshot["currency"])
            if not (code == "MYK_VAL_251" and mismatch)  # already an error
        ]

    def _finding(self, severity, code, line_code=None, accounts=None, **params):
        params = {k: _money(v) if isinstance(v, Decimal) else v for k, v in params.items()}
        return {
            "severity": severity,
            "code": code,
            "message": self._finding_message(code, accounts=", ".join(accounts or []), **params),
            "line_code": line_code,
            "accounts": accounts or [],
        }

    def _finding_message(self, code, **params):
        messages = {
            "PERIOD_REVERSED": lambda: self.env._("The period ends before it starts."),
            "NOT_NORWEGIAN_CHART": lambda: self.env._(
                "This company does not use the Norwegian chart of accounts (NS 4102 numbering), "
                "so its accounts cannot be placed on BRG's lines. Install the Norwegian "
                "localisation for it (Accounting settings, Fiscal Localization) before closing "
                "the year here."
            ),
            "PERIOD_TOO_LONG": lambda: self.env._(
                "A financial year may not be longer than 18 months."
            ),
            "UNMAPPED_ACCOUNT": lambda: self.env._(
                "These accounts have balances but feed no statement line: %(accounts)s. "
                "Add a mapping rule or set the account's annual accounts line.",
                **params,
            ),
            "UNALLOCATED_RESULT": lambda: self.env._(
                "The result is not yet allocated (%(amount)s this year, %(prior_amount)s last "
                "year): it is shown in other equity until the year-end allocation is posted.",
                **params,
            ),
            "BALANCE_MISMATCH": lambda: self.env._(
                "The balance sheet does not balance %(year)s: assets %(assets)s, equity and "
                "liabilities %(equity)s.",
                **params,
            ),
            "MYK_VAL_251": lambda: self.env._(
                "Total assets (%(assets)s) differ from total equity and liabilities "
                "(%(equity)s).",
                **params,
            ),
            "MYK_VAL_7071": lambda: self.env._(
                "Total transfers and allocations (%(allocated)s) differ from the result for "
                "the year (%(result)s).",
                **params,
            ),
            "MYK_VAL_34984": lambda: self.env._(
                "The figures are in %(currency)s; as a rule they are filed in Norwegian kroner.",
                **params,
            ),
            "MYK_VAL_17104": lambda: self.env._(
                "The period ends on %(date_to)s, not 31 December: only allowed for a deviating "
                "financial year or a liquidation.",
                **params,
            ),
            "MYK_VAL_17103": lambda: self.env._(
                "The period starts on %(date_from)s, not 1 January, although it ends on "
                "31 December: check the start date.",
                **params,
            ),
        }
        return messages[code]()
