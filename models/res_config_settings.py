from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_altinn_environment = fields.Selection(
        related="company_id.l10n_no_altinn_environment",
        readonly=False,
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
