from odoo import api, fields, models


class AnnualGroupAccountsMember(models.Model):
    """One company of the group as it was consolidated: who holds it and how much, and its
    own figures (the worksheet's column). The figures are behind the company's record rule:
    a user who may not access the company does not see them, even on the parent's filing."""

    _name = "annual.group.accounts.member"
    _description = "Company in group accounts"
    _order = "level, id"

    group_accounts_id = fields.Many2one(
        "annual.group.accounts", required=True, ondelete="cascade", index=True, readonly=True
    )
    member_company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True, ondelete="cascade"
    )
    name = fields.Char(required=True, readonly=True)
    holder_name = fields.Char(string="Held By", readonly=True)
    level = fields.Integer(readonly=True)
    shares_pct = fields.Float(string="Shares (%)", digits=(5, 2), readonly=True)
    votes_pct = fields.Float(string="Votes (%)", digits=(5, 2), readonly=True)
    effective_pct = fields.Float(
        string="Parent's Share (%)",
        digits=(5, 2),
        readonly=True,
        help="The parent's share through the chain of holdings.",
    )
    figures = fields.Json(readonly=True, help="The company's statement leaves as consolidated.")
    has_figures = fields.Boolean(compute="_compute_has_figures", store=True)

    @api.depends("figures")
    def _compute_has_figures(self):
        for member in self:
            member.has_figures = bool(member.figures)
