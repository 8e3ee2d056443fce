from odoo import models


class AnnualAccount(models.Model):
    _inherit = "annual.account"

    def action_open_allocation(self):
        """The filing's "Allocation" button: the year's allocation, drafted when missing."""
        self.ensure_one()
        return self.env["annual.allocation"].action_open_for(self.company_id, self.reporting_year)
