import base64

from odoo import _, fields, models


class AnnualGroupAccountsImport(models.TransientModel):
    """Import the group's consolidated figures (BRG field code, this year, last year) instead
    of consolidating in this database: a CSV or XLSX file, checked against BRG's plan and its
    sums before it replaces anything."""

    _name = "annual.group.accounts.import"
    _description = "Import group accounts"

    account_id = fields.Many2one("annual.account", required=True, readonly=True)
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        content = base64.b64decode(self.file or b"")
        self.env["annual.group.accounts"]._import(self.account_id, content, self.filename)
        self.account_id.message_post(
            body=_("Group accounts imported from %(file)s.", file=self.filename or "-")
        )
        return {"type": "ir.actions.act_window_close"}
