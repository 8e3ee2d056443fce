from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import statement_plan


class AnnualStatementLine(models.Model):
    """One line of BRG's statement plan (oppstillingsplan) for RR-0002-U.

    The lines are BRG's, loaded from ``data/annual.statement.line.csv``; codes and formulas are
    the official ones and a test holds them to BRG's sheet.
    """

    _name = "annual.statement.line"
    _description = "Annual accounts statement line"
    _order = "sequence, id"
    _rec_names_search = ["name", "name_en", "code", "key"]  # noqa: RUF012

    sequence = fields.Integer(required=True, default=10)
    section = fields.Selection(
        [("RES", "Income statement"), ("BAL", "Balance sheet")], required=True
    )
    row = fields.Integer(required=True, help="BRG's row number (radnr).")
    key = fields.Char(required=True, help="Section and row, e.g. RES-20: stable across years.")
    code = fields.Char(string="Field code", help="BRG's field code (orid) for this year.")
    prior_code = fields.Char(string="Field code last year")
    note_code = fields.Char(string="Note field code")
    custom_code = fields.Char(
        string="Custom item field code", help="BRG's field code for a user-defined item."
    )

    name = fields.Char(string="Label", help="BRG's official label (bokmål); spacers have none.")
    name_en = fields.Char(string="English label")
    level = fields.Integer(string="Indent")
    kind = fields.Selection(
        [("header", "Header"), ("line", "Line"), ("sum", "Sum")], required=True, default="line"
    )
    formula = fields.Char(help="BRG's sum formula over this year's field codes.")
    prior_formula = fields.Char(help="BRG's sum formula over last year's field codes.")
    sign = fields.Selection(
        [("1", "Debit-normal"), ("-1", "Credit-normal")],
        help="How a ledger balance (debit positive) becomes the amount on the form.",
    )
    is_standard = fields.Boolean(string="Standard row")
    bold = fields.Boolean()
    rule_ids = fields.One2many("annual.account.mapping.rule", "line_id", string="Mapping rules")
    account_ids = fields.Many2many(
        "account.account",
        compute="_compute_account_ids",
        string="Accounts",
        help="Accounts of the current company that feed this line (rules and overrides).",
    )

    _sql_constraints = [  # noqa: RUF012
        ("key_unique", "UNIQUE(key)", "A statement line key must be unique."),
    ]

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_account_ids(self):
        by_line = self.env["annual.account.mapping.rule"]._accounts_by_line(self.env.company)
        for line in self:
            line.account_ids = [fields.Command.set(by_line.get(line.id, []))]

    @api.depends("key", "name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.key} {line.name}"

    # ------------------------------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------------------------------

    @api.constrains("formula", "prior_formula")
    def _check_formula(self):
        for line in self:
            for formula in (line.formula, line.prior_formula):
                try:
                    statement_plan.parse_formula(formula)
                except ValueError as error:
                    raise ValidationError(
                        _(
                            "Line %(key)s has an invalid formula: %(formula)s",
                            key=line.key,
                            formula=formula,
                        )
                    ) from error

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    def _plan_rows(self):
        """The plan as plain dicts for the engine, in form order (one query)."""
        fnames = [
            "sequence",
            "section",
            "row",
            "key",
            "code",
            "prior_code",
            "note_code",
            "name",
            "name_en",
            "level",
            "kind",
            "formula",
            "prior_formula",
            "sign",
            "is_standard",
            "bold",
        ]
        return self.search_fetch([], fnames, order="sequence, id").read(fnames, load=None)
