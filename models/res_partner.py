from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Group relations read by the group-contribution checks (skatteloven § 10-4): who owns
    # this company and how much of its shares and votes, as at the year end. A company's own
    # data lives on its partner, so it is edited in one place for givers and recipients.
    l10n_no_org_form = fields.Selection(
        selection=[
            ("AS", "AS"),
            ("ASA", "ASA"),
            ("ENK", "ENK"),
            ("ANS", "ANS"),
            ("DA", "DA"),
            ("SA", "SA"),
            ("NUF", "NUF"),
            ("STI", "STI"),
            ("other", "Other"),
        ],
        string="Organisation form",
        help="The Norwegian organisation form; a group contribution needs AS or ASA.",
    )
    l10n_no_group_parent_id = fields.Many2one(
        comodel_name="res.partner",
        string="Parent company",
        domain=[("is_company", "=", True)],
        help="The company that owns this one (for group contributions).",
    )
    l10n_no_group_shares_pct = fields.Float(string="Shares held by the parent (%)", digits=(5, 2))
    l10n_no_group_votes_pct = fields.Float(string="Votes held by the parent (%)", digits=(5, 2))

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("l10n_no_group_shares_pct", "l10n_no_group_votes_pct")
    def _check_l10n_no_group_pct(self):
        for partner in self:
            for pct in (partner.l10n_no_group_shares_pct, partner.l10n_no_group_votes_pct):
                if not 0 <= pct <= 100:
                    raise ValidationError(
                        _(
                            "The ownership of %(partner)s must be between 0 and 100 %%.",
                            partner=partner.display_name,
                        )
                    )

    @api.constrains("l10n_no_group_parent_id")
    def _check_l10n_no_group_parent(self):
        if self._has_cycle("l10n_no_group_parent_id"):
            raise ValidationError(_("A company cannot own itself, directly or indirectly."))
