from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AnnualAccountDecisionWizard(models.TransientModel):
    """BRG's decision arrives in the Altinn inbox, not through an API: the user records it."""

    _name = "annual.account.decision.wizard"
    _description = "Record BRG's decision"

    account_id = fields.Many2one("annual.account", required=True, readonly=True)
    decision = fields.Selection(
        [("approved", "Approved"), ("rejected", "Rejected")], required=True, default="approved"
    )
    reason = fields.Text(help="BRG's reason for not approving, as in their message in Altinn.")

    @api.constrains("decision", "reason")
    def _check_reason(self):
        for wizard in self:
            if wizard.decision == "rejected" and not (wizard.reason or "").strip():
                raise ValidationError(_("Enter BRG's reason for the rejection."))

    def action_confirm(self):
        self.ensure_one()
        account = self.account_id
        approved = self.decision == "approved"
        account._record_decision(approved, False if approved else self.reason.strip())
        if approved:
            body = _("BRG's decision recorded: approved.")
        else:
            body = _("BRG's decision recorded: rejected. %(reason)s", reason=self.reason.strip())
        account.message_post(body=body)
        return {"type": "ir.actions.act_window_close"}
