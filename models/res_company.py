from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

from ..tools import keys

ALTINN_ENVIRONMENTS = [
    ("prod", "Production"),
    ("test", "Test (tt02)"),
    ("simulator", "Local simulator"),
]
# The fields that travel together from an organisation's top company to its clients (Option A).
ALTINN_CREDENTIAL_FIELDS = (
    "l10n_no_altinn_environment",
    "l10n_no_altinn_simulator_url",
    "l10n_no_altinn_client_id",
    "l10n_no_altinn_key_id",
    "l10n_no_altinn_private_key",
    "l10n_no_altinn_system_id",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Credentials: either the company's own (Option B) or inherited from the nearest ancestor
    # that applies its own to the whole organisation (Option A); see _l10n_no_altinn_credentials.
    l10n_no_altinn_environment = fields.Selection(
        selection=ALTINN_ENVIRONMENTS,
        string="Altinn Environment",
        default="test",
        required=True,
    )
    l10n_no_altinn_simulator_url = fields.Char(
        string="Simulator URL",
        default="http://127.0.0.1:8090",
        help="Base URL of the bundled Altinn simulator, used when the environment is "
        "'Local simulator'.",
    )
    l10n_no_altinn_client_id = fields.Char(
        string="Maskinporten Client ID",
        groups="base.group_system",
        copy=False,
    )
    l10n_no_altinn_key_id = fields.Char(
        string="Key ID (kid)",
        groups="base.group_system",
        copy=False,
        help="The id under which the public key is registered with Digdir.",
    )
    l10n_no_altinn_private_key = fields.Text(
        string="Private Key (PEM)",
        groups="base.group_system",
        copy=False,
    )
    # The key is never shown again once stored (Odoo masks only one-line fields); the form says
    # whether one is there and the set-up wizard replaces it.
    l10n_no_altinn_has_private_key = fields.Boolean(
        string="Private Key Stored",
        compute="_compute_l10n_no_altinn_has_private_key",
        compute_sudo=True,
    )
    l10n_no_altinn_system_id = fields.Char(
        string="System ID",
        copy=False,
        help="The vendor's system in Altinn's system register, '<vendor orgnr>_<name>'.",
    )
    l10n_no_altinn_parent_id = fields.Many2one(
        comodel_name="res.company",
        string="Organisation",
        help="The accounting bureau or group company this company belongs to for Altinn. "
        "Defaults to the parent company of a branch. Clients of a bureau are separate companies, "
        "not branches, so they name the bureau here.",
    )
    l10n_no_altinn_apply_to_children = fields.Boolean(
        string="Apply to all companies in the organisation",
        help="Companies below this one use these Altinn settings unless they have their own.",
    )
    l10n_no_altinn_source_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Altinn Settings From",
        compute="_compute_l10n_no_altinn_source_company_id",
        compute_sudo=True,
    )
    l10n_no_altinn_settings_origin = fields.Selection(
        selection=[("own", "Own settings"), ("inherited", "Inherited"), ("none", "Not set up")],
        string="Altinn Settings",
        compute="_compute_l10n_no_altinn_source_company_id",
        compute_sudo=True,
    )

    # Each client approves its own system user in Altinn; this is never inherited.
    l10n_no_altinn_systemuser_state = fields.Selection(
        selection=[
            ("none", "Not requested"),
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="System User",
        default="none",
        required=True,
        copy=False,
    )
    l10n_no_altinn_systemuser_request_id = fields.Char(string="System User Request", copy=False)
    l10n_no_altinn_systemuser_confirm_url = fields.Char(string="Confirm Link", copy=False)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "parent_id.l10n_no_altinn_apply_to_children",
        "l10n_no_altinn_parent_id.l10n_no_altinn_apply_to_children",
        "l10n_no_altinn_client_id",
    )
    def _compute_l10n_no_altinn_source_company_id(self):
        for company in self:
            source = company._l10n_no_altinn_find_source()
            company.l10n_no_altinn_source_company_id = source
            if not source:
                company.l10n_no_altinn_settings_origin = "none"
            elif source == company:
                company.l10n_no_altinn_settings_origin = "own"
            else:
                company.l10n_no_altinn_settings_origin = "inherited"

    @api.depends("l10n_no_altinn_private_key")
    def _compute_l10n_no_altinn_has_private_key(self):
        for company in self:
            company.l10n_no_altinn_has_private_key = bool(company.l10n_no_altinn_private_key)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("l10n_no_altinn_client_id", "l10n_no_altinn_private_key")
    def _check_l10n_no_altinn_credentials(self):
        for company in self.sudo():
            if company.l10n_no_altinn_client_id:
                company._l10n_no_altinn_check_client_id(company.l10n_no_altinn_client_id)
            if company.l10n_no_altinn_private_key:
                company._l10n_no_altinn_check_private_key(company.l10n_no_altinn_private_key)

    @api.constrains("l10n_no_altinn_parent_id")
    def _check_l10n_no_altinn_parent_id(self):
        if self._has_cycle("l10n_no_altinn_parent_id"):
            raise ValidationError(_("A company cannot belong to its own Altinn organisation."))

    @api.model
    def _l10n_no_altinn_check_client_id(self, client_id):
        if not keys.is_valid_client_id(client_id):
            raise ValidationError(
                _(
                    "The Maskinporten client ID must be the UUID Digdir gave the integration, "
                    "for example 2f6c7a4e-1b3d-4c5e-9f00-112233445566."
                )
            )

    @api.model
    def _l10n_no_altinn_check_private_key(self, pem):
        """Raise a clear ValidationError unless ``pem`` is a usable RSA private key."""
        try:
            keys.load_rsa_private_key(pem)
        except keys.InvalidKey as error:
            messages = {
                "empty": _("The private key is empty."),
                "format": _(
                    "The private key is not a PEM private key. Paste the whole key, "
                    "including the -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines."
                ),
                "encrypted": _(
                    "The private key is protected by a password. Export it without a password."
                ),
                "not_rsa": _("The private key is not an RSA key; Maskinporten needs RS256."),
                "too_small": _(
                    "The RSA key has %(bits)s bits; Maskinporten needs at least %(minimum)s.",
                    bits=error.bits,
                    minimum=keys.MIN_RSA_BITS,
                ),
            }
            raise ValidationError(messages[error.reason]) from None

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _l10n_no_altinn_organisation_parent(self):
        """The company above this one: the named organisation, else the parent of a branch."""
        self.ensure_one()
        return self.l10n_no_altinn_parent_id or self.parent_id

    def _l10n_no_altinn_ancestors(self):
        """The companies above this one, nearest first."""
        self.ensure_one()
        ancestors = self.browse()
        company = self.sudo()._l10n_no_altinn_organisation_parent()
        while company and company not in ancestors and company != self:
            ancestors |= company
            company = company._l10n_no_altinn_organisation_parent()
        return ancestors

    def _l10n_no_altinn_find_source(self):
        """The company whose Altinn credentials apply to this one, or an empty recordset.

        Own credentials win; otherwise the nearest ancestor that ticks "apply to all companies
        in the organisation" and has credentials of its own.
        """
        self.ensure_one()
        if self.sudo().l10n_no_altinn_client_id:
            return self
        for ancestor in self._l10n_no_altinn_ancestors():
            if ancestor.l10n_no_altinn_apply_to_children and ancestor.l10n_no_altinn_client_id:
                return ancestor.with_env(self.env)
        return self.browse()

    def _l10n_no_altinn_credentials(self):
        """The Altinn settings that apply to this company, read with sudo for the code that
        talks to Altinn. Never expose the result to a user or write it to a log."""
        self.ensure_one()
        source = self._l10n_no_altinn_find_source()
        if not source:
            return {}
        source = source.sudo()
        return {
            "company_id": source.id,
            "environment": source.l10n_no_altinn_environment,
            "simulator_url": source.l10n_no_altinn_simulator_url,
            "client_id": source.l10n_no_altinn_client_id.strip(),
            "key_id": source.l10n_no_altinn_key_id,
            "private_key": source.l10n_no_altinn_private_key,
            "system_id": source.l10n_no_altinn_system_id,
        }

    def _l10n_no_altinn_organisation_children(self):
        """Every company below this one (the clients an organisation-wide setting reaches)."""
        self.ensure_one()
        companies = self.sudo().search([("id", "!=", self.id)])
        return companies.filtered(lambda company: self in company._l10n_no_altinn_ancestors())

    def _l10n_no_aa_financial_year(self, year):
        """``(date_from, date_to)`` of this company's financial year that ends in ``year``.

        The one source of a reporting year's period (filing, allocation, engine, API, overview),
        built on Odoo's own fiscal-year settings and rules: a year ending in February ends on
        its last day, 29 February in a leap year.
        """
        self.ensure_one()
        month = int(self.fiscalyear_last_month or 12)
        return date_utils.get_fiscal_year(
            date(int(year), month, 1), day=self.fiscalyear_last_day or 31, month=month
        )

    def action_l10n_no_altinn_setup(self):
        self.ensure_one()
        return self.env["annual.altinn.setup.wizard"]._action_open(self)

    # ------------------------------------------------------------
    # ANNUAL ACCOUNTS: defaults of each filing (the filing's own fields override them)
    # ------------------------------------------------------------

    # Kept on the company's partner, where the group-contribution checks read it for givers
    # and recipients alike; filings default to AS when it is empty.
    l10n_no_aa_org_form = fields.Selection(
        related="partner_id.l10n_no_org_form",
        readonly=False,
        string="Organisation Form",
    )
    l10n_no_aa_small_enterprise = fields.Boolean(string="Small Enterprise Rules", default=True)
    l10n_no_aa_parent_company = fields.Boolean(string="Parent Company of a Group")
    l10n_no_aa_not_audited = fields.Boolean(
        string="Accounts Not Audited",
        help="Tick only when the general meeting has decided that the accounts are not audited.",
    )
    l10n_no_aa_prepared_by_authorised_accountant = fields.Boolean(
        string="Prepared by Authorised Accountant"
    )
    l10n_no_aa_external_accountant_assistance = fields.Boolean(
        string="External Accountant Assistance"
    )
    l10n_no_aa_contact_email = fields.Char(string="Annual Accounts Contact E-mail")
    l10n_no_aa_general_manager_id = fields.Many2one("res.partner", string="General Manager")
    l10n_no_aa_board_member_ids = fields.Many2many(
        "res.partner", "res_company_l10n_no_aa_board_rel", string="Board Members"
    )
    l10n_no_aa_responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible Accountant",
        help="Gets an activity 30 days before the filing deadline.",
    )
