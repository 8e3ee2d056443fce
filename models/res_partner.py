from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Group relations read by the group-contribution checks (skatteloven § 10-4): who owns
    # this company and how much of its shares and votes, as at the year end. A company's own
    # data lives on its partner, so it is edited in one place for givers and recipients.
    l10n_no_aa_org_form = fields.Selection(
        # Enhetsregisteret's codes, as BRG lists the forms that file RR-0002.
        selection=[
            ("ANNA", "ANNA – Annen juridisk person"),
            ("ANS", "ANS – Ansvarlig selskap med solidarisk ansvar"),
            ("AS", "AS – Aksjeselskap"),
            ("ASA", "ASA – Allmennaksjeselskap"),
            ("BA", "BA – Selskap med begrenset ansvar"),
            ("BBL", "BBL – Boligbyggelag"),
            ("BRL", "BRL – Borettslag"),
            ("DA", "DA – Ansvarlig selskap med delt ansvar"),
            ("ENK", "ENK – Enkeltpersonforetak"),
            ("EOFG", "EOFG – Europeisk økonomisk foretaksgruppe"),
            ("ESEK", "ESEK – Eierseksjonssameie"),
            ("FLI", "FLI – Forening/lag/innretning"),
            ("GFS", "GFS – Gjensidig forsikringsselskap"),
            ("IKS", "IKS – Interkommunalt selskap"),
            ("KF", "KF – Kommunalt foretak"),
            ("KIRK", "KIRK – Den norske kirke"),
            ("KS", "KS – Kommandittselskap"),
            ("NUF", "NUF – Norskregistrert utenlandsk foretak"),
            ("PK", "PK – Pensjonskasse"),
            ("PRE", "PRE – Partrederei"),
            ("SA", "SA – Samvirkeforetak"),
            ("SAM", "SAM – Tingsrettslig sameie"),
            ("SE", "SE – Europeisk selskap"),
            ("SF", "SF – Statsforetak"),
            ("SPA", "SPA – Sparebank"),
            ("STI", "STI – Stiftelse"),
            ("SÆR", "SÆR – Annet foretak iflg. særskilt lov"),
            ("VPFO", "VPFO – Verdipapirfond"),
        ],
        string="Organisation form",
        help="The Norwegian organisation form; a group contribution needs AS or ASA.",
    )
    l10n_no_aa_group_parent_id = fields.Many2one(
        comodel_name="res.partner",
        string="Parent company",
        domain=[("is_company", "=", True)],
        help="The company that owns this one (for group contributions).",
    )
    l10n_no_aa_group_shares_pct = fields.Float(
        string="Shares held by the parent (%)", digits=(5, 2)
    )
    l10n_no_aa_group_votes_pct = fields.Float(string="Votes held by the parent (%)", digits=(5, 2))

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("l10n_no_aa_group_shares_pct", "l10n_no_aa_group_votes_pct")
    def _check_l10n_no_aa_group_pct(self):
        for partner in self:
            for pct in (partner.l10n_no_aa_group_shares_pct, partner.l10n_no_aa_group_votes_pct):
                if not 0 <= pct <= 100:
                    raise ValidationError(
                        _(
                            "The ownership of %(partner)s must be between 0 and 100 %%.",
                            partner=partner.display_name,
                        )
                    )

    @api.constrains("l10n_no_aa_group_parent_id")
    def _check_l10n_no_aa_group_parent(self):
        if self._has_cycle("l10n_no_aa_group_parent_id"):
            raise ValidationError(_("A company cannot own itself, directly or indirectly."))
