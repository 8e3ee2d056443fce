from odoo import _, fields, models
from odoo.exceptions import AccessError


class AccountAccount(models.Model):
    _inherit = "account.account"

    # Company-dependent like the account's code: an account shared by several companies has a
    # code per company, so the rules may put it on different lines, and so may the override.
    l10n_no_aa_statement_line_id = fields.Many2one(
        "annual.statement.line",
        string="Annual accounts line",
        company_dependent=True,
        domain=[("kind", "=", "line")],
        help="Feeds this line of the annual accounts whatever the account-number rules say "
        "(for the current company).",
    )

    # ------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------

    def write(self, vals):
        # Everyone reads the override (the statements depend on it); only managers set it.
        if (
            "l10n_no_aa_statement_line_id" in vals
            and not self.env.su
            and not self.env.user.has_group("l10n_no_annual_accounts.group_annual_accounts_manager")
        ):
            raise AccessError(
                _("Only annual-accounts administrators may change an account's statement line.")
            )
        return super().write(vals)
