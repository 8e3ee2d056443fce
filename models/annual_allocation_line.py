from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .annual_document_mixin import check_amount_limit


class AnnualAllocationLine(models.Model):
    """A line of the allocation's entry; like the allocation's inputs, it changes only
    while the allocation is a draft, on whatever path."""

    _name = "annual.allocation.line"
    _description = "Year-end allocation line"
    _order = "sequence, id"
    _check_company_auto = True

    allocation_id = fields.Many2one(
        comodel_name="annual.allocation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="allocation_id.company_id", store=True)
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    sequence = fields.Integer(default=10)
    account_id = fields.Many2one(
        comodel_name="account.account", required=True, check_company=True, ondelete="restrict"
    )
    description = fields.Char()
    partner_id = fields.Many2one(comodel_name="res.partner", check_company=True)
    debit = fields.Monetary(currency_field="currency_id")
    credit = fields.Monetary(currency_field="currency_id")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        allocation_ids = {vals.get("allocation_id") for vals in vals_list} - {None, False}
        self.env["annual.allocation"].browse(allocation_ids)._check_draft(["line_ids"])
        return super().create(vals_list)

    def write(self, vals):
        self.allocation_id._check_draft(["line_ids"])
        if "allocation_id" in vals and any(
            line.allocation_id.id != vals["allocation_id"] for line in self
        ):
            raise UserError(_("A line stays with the allocation it was entered on."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_on_drafts(self):
        self.allocation_id.exists()._check_draft(["line_ids"])

    @api.constrains("debit", "credit")
    def _check_debit_credit(self):
        check_amount_limit(self, ["debit", "credit"])
        for line in self:
            if line.debit < 0 or line.credit < 0 or (line.debit and line.credit):
                raise ValidationError(
                    _(
                        "A line is either a debit or a credit, never negative (account %(code)s).",
                        code=line.account_id.code,
                    )
                )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _to_payload(self):
        """The lines in the API's shape (as ``_save_request`` takes them)."""
        return [
            {
                "account_code": line.account_id.with_company(line.company_id).code,
                "description": line.description or "",
                "debit": f"{line.debit:.2f}",
                "credit": f"{line.credit:.2f}",
                "partner_id": line.partner_id.id or None,
            }
            for line in self
        ]
