import csv
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import file_open

from ..tools import statement_plan


class AnnualAccountMappingRule(models.Model):
    """An account-number range that feeds a statement line.

    A rule ``1500``-``1549`` matches every account whose code starts with a number in that range
    (``1500``, ``1549``, ``150010``). When rules overlap, a company's own rule beats a general
    one, then the narrowest range wins; an override on the account beats every rule.
    """

    _name = "annual.account.mapping.rule"
    _description = "Annual accounts mapping rule"
    _order = "code_from, code_to, id"

    code_from = fields.Char(string="From account", required=True)
    code_to = fields.Char(string="To account", required=True)
    line_id = fields.Many2one(
        "annual.statement.line",
        string="Statement line",
        required=True,
        ondelete="cascade",
        domain=[("kind", "=", "line")],
    )
    section = fields.Selection(related="line_id.section")
    company_id = fields.Many2one(
        "res.company", help="Leave empty for a rule that applies to every company."
    )
    active = fields.Boolean(default=True)
    account_ids = fields.Many2many(
        "account.account",
        compute="_compute_account_ids",
        string="Matching accounts",
        help="Accounts of the current company whose line comes from this rule.",
    )

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends("code_from", "code_to", "line_id")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = f"{rule.code_from}-{rule.code_to} → {rule.line_id.name or ''}"

    @api.depends_context("company")
    def _compute_account_ids(self):
        by_rule = self._accounts_by_rule(self.env.company)
        for rule in self:
            rule.account_ids = [fields.Command.set(by_rule.get(rule.id, []))]

    # ------------------------------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------------------------------

    @api.constrains("code_from", "code_to", "line_id", "company_id", "active")
    def _check_range(self):
        for rule in self:
            if not (rule.code_from.isdigit() and rule.code_to.isdigit()):
                raise ValidationError(_("Account ranges are made of digits only."))
            if len(rule.code_from) != len(rule.code_to) or rule.code_from > rule.code_to:
                raise ValidationError(
                    _(
                        "The range %(start)s-%(end)s must run upwards between numbers of the "
                        "same length.",
                        start=rule.code_from,
                        end=rule.code_to,
                    )
                )
            if rule.line_id.kind != "line":
                raise ValidationError(
                    _(
                        "Accounts can only feed a line, not the header or sum %(line)s.",
                        line=rule.line_id.display_name,
                    )
                )
            same = self.search(
                [
                    ("id", "!=", rule.id),
                    ("company_id", "=", rule.company_id.id),
                    ("code_from", "=", rule.code_from),
                    ("code_to", "=", rule.code_to),
                ],
                limit=1,
            )
            if same:
                raise ValidationError(
                    _(
                        "Another rule already maps %(start)s-%(end)s.",
                        start=rule.code_from,
                        end=rule.code_to,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------------------------------

    @api.model
    def _load_default_rules(self):
        """Load ``data/annual.account.mapping.rule.csv`` with *noupdate* xml ids.

        Odoo loads a data CSV as updatable; the default rules are configuration that users edit,
        so they are loaded here instead: an upgrade adds new default rules and leaves the
        existing ones (edited or archived) alone.
        """
        module = "l10n_no_annual_accounts"
        with file_open(f"{module}/data/annual.account.mapping.rule.csv") as handle:
            rows = list(csv.DictReader(handle))
        self._load_records(
            [
                {
                    "xml_id": f"{module}.{row['id']}",
                    "noupdate": True,
                    "values": {
                        "code_from": row["code_from"],
                        "code_to": row["code_to"],
                        "line_id": self.env.ref(f"{module}.{row['line_id:id']}").id,
                    },
                }
                for row in rows
            ],
            update=True,
        )

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    def _rules_for(self, company):
        """Active rules for ``company`` as plain dicts, most specific first (one query)."""
        rules = self.search_fetch(
            [("company_id", "in", [False, company.id])],
            ["code_from", "code_to", "line_id", "company_id"],
        )
        rows = [
            {
                "id": r.id,
                "code_from": r.code_from,
                "code_to": r.code_to,
                "line_id": r.line_id.id,
                "company_id": r.company_id.id,
            }
            for r in rules
        ]
        return sorted(rows, key=statement_plan.rule_specificity)

    # ------------------------------------------------------------------------------------------
    # Mapping: which accounts feed which line, through which rule (engine and screens)
    # ------------------------------------------------------------------------------------------

    def _mapping(self, company):
        """``{account id: (line id, rule id or None)}`` for every account of ``company``."""
        account = self.env["account.account"].with_company(company)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT account_account.id, %(code)s, %(override)s
                  FROM account_account
                  JOIN account_account_res_company_rel rel
                    ON rel.account_account_id = account_account.id
                 WHERE rel.res_company_id = %(company_id)s
                """,
                code=account._field_to_sql("account_account", "code"),
                override=account._field_to_sql("account_account", "l10n_no_aa_statement_line_id"),
                company_id=company.id,
            )
        )
        rules = self._rules_for(company)
        mapping = {}
        for account_id, code, override in rows:
            line_id, rule_id = self._resolve(code, override, rules)
            if line_id:
                mapping[account_id] = (line_id, rule_id)
        return mapping

    @api.model
    def _resolve(self, code, override, rules):
        """``(line id, rule id)`` of an account: its override first, else the best rule."""
        if override:
            return int(override), None
        rule = statement_plan.resolve_line(code, rules)
        return (rule["line_id"], rule["id"]) if rule else (None, None)

    def _accounts_by_line(self, company):
        result = defaultdict(list)
        for account_id, (line_id, _rule_id) in self._mapping(company).items():
            result[line_id].append(account_id)
        return result

    def _accounts_by_rule(self, company):
        result = defaultdict(list)
        for account_id, (_line_id, rule_id) in self._mapping(company).items():
            if rule_id:
                result[rule_id].append(account_id)
        return result
