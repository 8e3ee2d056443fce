from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.res_company import ALTINN_ENVIRONMENTS
from ..tools import keys

# environment → credentials → organisation → summary; Save writes the company at the end only.
STEPS = ["environment", "credentials", "organisation", "summary"]


class AnnualAltinnSetupWizard(models.TransientModel):
    _name = "annual.altinn.setup.wizard"
    _description = "Altinn connection set-up"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    step = fields.Selection(
        selection=[
            ("environment", "Environment"),
            ("credentials", "Credentials"),
            ("organisation", "Organisation"),
            ("summary", "Summary"),
        ],
        default="environment",
        required=True,
    )
    environment = fields.Selection(selection=ALTINN_ENVIRONMENTS, default="test", required=True)
    simulator_url = fields.Char(default="http://127.0.0.1:8090")
    client_id = fields.Char(string="Maskinporten Client ID")
    key_id = fields.Char(string="Key ID (kid)")
    private_key = fields.Text(
        string="Private Key (PEM)",
        help="Leave empty to keep the key already stored for this company.",
    )
    has_stored_key = fields.Boolean(readonly=True)
    system_id = fields.Char(string="System ID")
    apply_to_children = fields.Boolean(string="Apply to all companies in the organisation")
    child_company_ids = fields.Many2many(
        "res.company",
        string="Companies in the organisation",
        compute="_compute_child_company_ids",
    )
    public_key = fields.Text(compute="_compute_public_key")
    test_ok = fields.Boolean(readonly=True)
    test_result = fields.Text(string="Connection Test", readonly=True)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("company_id")
    def _compute_child_company_ids(self):
        for wizard in self:
            wizard.child_company_ids = wizard.company_id._l10n_no_altinn_organisation_children()

    @api.depends("private_key", "company_id")
    def _compute_public_key(self):
        for wizard in self:
            pem = wizard._effective_private_key()
            try:
                wizard.public_key = keys.public_key_pem(pem) if pem else False
            except keys.InvalidKey:
                wizard.public_key = False

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _action_open(self, company):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators can set up the Altinn connection."))
        stored = company.sudo()
        wizard = self.create(
            {
                "company_id": company.id,
                "environment": stored.l10n_no_altinn_environment,
                "simulator_url": stored.l10n_no_altinn_simulator_url,
                "client_id": stored.l10n_no_altinn_client_id,
                "key_id": stored.l10n_no_altinn_key_id,
                "has_stored_key": bool(stored.l10n_no_altinn_private_key),
                "system_id": stored.l10n_no_altinn_system_id,
                "apply_to_children": stored.l10n_no_altinn_apply_to_children,
            }
        )
        return wizard._action_reopen()

    def action_next(self):
        self.ensure_one()
        if self.step == "credentials":
            self._check_credentials()
        self.step = STEPS[STEPS.index(self.step) + 1]
        return self._action_reopen()

    def action_back(self):
        self.ensure_one()
        self.step = STEPS[max(STEPS.index(self.step) - 1, 0)]
        return self._action_reopen()

    def action_save(self):
        self.ensure_one()
        self._check_credentials()
        values = {
            "l10n_no_altinn_environment": self.environment,
            "l10n_no_altinn_simulator_url": self.simulator_url,
            "l10n_no_altinn_client_id": self.client_id.strip(),
            "l10n_no_altinn_key_id": (self.key_id or "").strip() or False,
            "l10n_no_altinn_system_id": (self.system_id or "").strip() or False,
            "l10n_no_altinn_apply_to_children": self.apply_to_children,
        }
        if self.private_key:
            values["l10n_no_altinn_private_key"] = self.private_key.strip()
        self.company_id.sudo().write(values)
        # The key has done its job; do not keep it in the transient table until the vacuum.
        self.private_key = False
        return {"type": "ir.actions.act_window_close"}

    def action_test_connection(self):
        """Log in and exchange with the values entered, before they are saved."""
        self.ensure_one()
        self._check_credentials()
        credentials = {
            "company_id": self.company_id.id,
            "environment": self.environment,
            "simulator_url": self.simulator_url,
            "client_id": self.client_id.strip(),
            "key_id": (self.key_id or "").strip(),
            "private_key": self._effective_private_key(),
            "system_id": self.system_id,
        }
        ok, lines = self.company_id._l10n_no_altinn_test_connection(credentials)
        self.write({"test_ok": ok, "test_result": "\n".join(lines)})
        return self._action_reopen()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _effective_private_key(self):
        return self.private_key or self.company_id.sudo().l10n_no_altinn_private_key

    def _check_credentials(self):
        company_model = self.env["res.company"]
        company_model._l10n_no_altinn_check_client_id(self.client_id)
        company_model._l10n_no_altinn_check_private_key(self._effective_private_key())

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Connect to Altinn"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
