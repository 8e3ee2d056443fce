from odoo import models


class ResConfigSettings(models.TransientModel):
    """The Altinn set-up actions of the current company, from the accounting settings."""

    _inherit = "res.config.settings"

    def action_l10n_no_altinn_test_connection(self):
        return self.company_id.action_l10n_no_altinn_test_connection()

    def action_l10n_no_altinn_register_system(self):
        return self.company_id.action_l10n_no_altinn_register_system()

    def action_l10n_no_altinn_request_system_user(self):
        return self.company_id.action_l10n_no_altinn_request_system_user()
