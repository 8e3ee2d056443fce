from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Altinn connection of the current company, from the accounting settings: what it
    uses, and the set-up actions of the company form."""

    _inherit = "res.config.settings"

    l10n_no_altinn_environment = fields.Selection(
        related="company_id.l10n_no_altinn_environment",
        readonly=False,
    )
    l10n_no_altinn_effective_environment = fields.Selection(
        related="company_id.l10n_no_altinn_effective_environment",
    )
    l10n_no_altinn_settings_origin = fields.Selection(
        related="company_id.l10n_no_altinn_settings_origin",
    )
    l10n_no_altinn_source_company_id = fields.Many2one(
        related="company_id.l10n_no_altinn_source_company_id",
    )
    l10n_no_altinn_systemuser_state = fields.Selection(
        related="company_id.l10n_no_altinn_systemuser_state",
    )

    def action_l10n_no_altinn_setup(self):
        return self.company_id.action_l10n_no_altinn_setup()

    def action_l10n_no_altinn_test_connection(self):
        return self.company_id.action_l10n_no_altinn_test_connection()

    def action_l10n_no_altinn_register_system(self):
        return self.company_id.action_l10n_no_altinn_register_system()

    def action_l10n_no_altinn_request_system_user(self):
        return self.company_id.action_l10n_no_altinn_request_system_user()
