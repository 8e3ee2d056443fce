from odoo import fields, models


class AnnualAccountCheckDismiss(models.TransientModel):
    """Asks why a pre-close check's warning does not apply before dismissing it."""

    _name = "annual.account.check.dismiss"
    _description = "Dismiss a pre-close check"

    check_id = fields.Many2one("annual.account.check", required=True, readonly=True)
    detail = fields.Char(related="check_id.detail")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.check_id._dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
