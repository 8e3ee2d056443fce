from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.altinn_messages import altinn_error_message
from ..tools.altinn_client import AltinnError


class AnnualAltinnSystemuserWizard(models.TransientModel):
    """Request the system user of one company, or of every company of an organisation (the
    modern form of the seed guide's "connect the whole organisation"), then follow each
    request until the client has approved it in Altinn."""

    _name = "annual.altinn.systemuser.wizard"
    _description = "Request Altinn system users"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    scope = fields.Selection(
        [("one", "This company"), ("organisation", "Every company in the organisation")],
        default="one",
        required=True,
    )
    line_ids = fields.One2many("annual.altinn.systemuser.wizard.line", "wizard_id")
    approved_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", string="Approved (%)")
    progress_text = fields.Char(compute="_compute_progress", string="Progress")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("line_ids.state")
    def _compute_progress(self):
        for wizard in self:
            total = len(wizard.line_ids)
            approved = len(wizard.line_ids.filtered(lambda line: line.state == "approved"))
            wizard.approved_count = approved
            wizard.progress = 100.0 * approved / total if total else 0.0
            wizard.progress_text = _(
                "%(approved)s of %(total)s approved", approved=approved, total=total
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _action_open(self, company):
        scope = "organisation" if company.l10n_no_altinn_apply_to_children else "one"
        wizard = self.create({"company_id": company.id, "scope": scope})
        wizard._fill_lines()
        return wizard._action_reopen()

    @api.onchange("scope")
    def _onchange_scope(self):
        self._fill_lines()

    def action_send_requests(self):
        """Request every listed system user not approved yet; one failure does not stop the
        others, and each line says what happened."""
        self.ensure_one()
        self.company_id._l10n_no_altinn_check_admin()
        if not self.line_ids:
            self._fill_lines()
        for line in self.line_ids.filtered(lambda line: line.state != "approved"):
            try:
                answer = line.company_id._l10n_no_altinn_request_system_user()
            except AltinnError as error:
                line.message = altinn_error_message(self.env, error)
            except UserError as error:
                line.message = error.args[0]
            else:
                line.message = (
                    _("Approved in Altinn already.")
                    if answer is None
                    else _("Requested: open the confirm link as the company's daglig leder.")
                )
        self._refresh_lines()
        return self._action_reopen()

    def action_check_status(self):
        self.ensure_one()
        self.company_id._l10n_no_altinn_check_admin()
        for line in self.line_ids.filtered("company_id.l10n_no_altinn_systemuser_request_id"):
            errors = line.company_id._l10n_no_altinn_poll_system_users()
            line.message = errors[0] if errors else False
        self._refresh_lines()
        return self._action_reopen()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _companies(self):
        self.ensure_one()
        if self.scope == "organisation":
            return self.company_id | self.company_id._l10n_no_altinn_organisation_children()
        return self.company_id

    def _fill_lines(self):
        for wizard in self:
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"company_id": company.id}) for company in wizard._companies()
            ]
            wizard._refresh_lines()

    def _refresh_lines(self):
        for line in self.line_ids:
            line.write(
                {
                    "state": line.company_id.l10n_no_altinn_systemuser_state,
                    "confirm_url": line.company_id.l10n_no_altinn_systemuser_confirm_url,
                }
            )

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Altinn system users"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class AnnualAltinnSystemuserWizardLine(models.TransientModel):
    _name = "annual.altinn.systemuser.wizard.line"
    _description = "Altinn system user of one company"

    wizard_id = fields.Many2one(
        "annual.altinn.systemuser.wizard", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    # copied from the company after each step (see _refresh_lines): the list and the
    # progress show what the last step found
    state = fields.Selection(
        lambda self: self.env["res.company"]._fields["l10n_no_altinn_systemuser_state"].selection,
        readonly=True,
    )
    confirm_url = fields.Char(readonly=True)
    message = fields.Char(readonly=True)
