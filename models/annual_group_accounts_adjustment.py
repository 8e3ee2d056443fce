from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_repr

from .annual_document_mixin import check_amount_limit


class AnnualGroupAccountsAdjustment(models.Model):
    """A manual elimination or adjustment of the group accounts: an amount on one line of
    BRG's plan, this year and last year, in the form's sign (income, costs, assets, equity
    and debt positive). An adjustment in two or more lines keeps the balance sheet balanced;
    the group's figures are refused while it does not balance. Changes only while the
    parent's filing is a draft."""

    _name = "annual.group.accounts.adjustment"
    _description = "Group accounts adjustment"
    _order = "sequence, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "annual.account",
        string="Filing",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="account_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Description", required=True)
    line_id = fields.Many2one(
        "annual.statement.line",
        string="Line",
        required=True,
        ondelete="restrict",
        domain=[("kind", "=", "line")],
    )
    amount = fields.Monetary(string="This Year")
    prior_amount = fields.Monetary(string="Last Year")

    @api.constrains("line_id")
    def _check_line(self):
        for adjustment in self:
            if adjustment.line_id.kind != "line":
                raise ValidationError(
                    _(
                        "%(line)s is a sum or a heading: adjust the lines it adds up.",
                        line=adjustment.line_id.display_name,
                    )
                )

    @api.constrains("amount", "prior_amount")
    def _check_amount_limit(self):
        check_amount_limit(self, ["amount", "prior_amount"])

    @api.model_create_multi
    def create(self, vals_list):
        filings = self.env["annual.account"].browse([vals.get("account_id") for vals in vals_list])
        filings.exists()._check_group_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.account_id._check_group_editable()
        if "account_id" in vals:
            self.env["annual.account"].browse(vals["account_id"])._check_group_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.account_id._check_group_editable()

    def _pair(self):
        return tuple(
            Decimal(float_repr(self[name] or 0.0, 2)) for name in ("amount", "prior_amount")
        )
