from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.res_company import ALTINN_ENVIRONMENTS
from ..tools import keys
from ..tools.altinn_environments import SIMULATOR_DEFAULT_URL

# environment → credentials → organisation → summary; Save writes the company at the end only.
STEPS = ["environment", "credentials", "organisation", "summary"]


class AnnualAltinnSetupWizard(models.TransientModel):
    """Connect a company to Altinn. What the administrator enters as Maskinporten credentials
    goes to a draft ``annual.altinn.credential`` (inactive) at once, never into this table: an
    abandoned wizard leaves no key behind in it, and the draft goes with the wizard."""

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
    simulator_url = fields.Char(default=SIMULATOR_DEFAULT_URL)
    credential_id = fields.Many2one(
        "annual.altinn.credential", string="Credentials Entered", readonly=True
    )
    client_id = fields.Char(
        related="credential_id.client_id", readonly=False, groups="base.group_system"
    )
    key_id = fields.Char(related="credential_id.key_id", readonly=False, groups="base.group_system")
    # Write-only: what is typed goes to the draft; the field always reads empty.
    private_key = fields.Text(
        string="Private Key (PEM)",
        compute="_compute_private_key",
        inverse="_inverse_private_key",
        groups="base.group_system",
        help="Leave empty to keep the key already stored for this company.",
    )
    has_new_key = fields.Boolean(string="New Key Entered", compute="_compute_key_state")
    has_stored_key = fields.Boolean(compute="_compute_key_state")
    system_id = fields.Char(string="System ID")
    apply_to_children = fields.Boolean(string="Apply to all companies in the organisation")
    child_company_ids = fields.Many2many(
        "res.company",
        string="Companies in the organisation",
        compute="_compute_child_company_ids",
    )
    public_key = fields.Text(compute="_compute_key_state")
    test_ok = fields.Boolean(readonly=True)
    test_result = fields.Text(string="Connection Test", readonly=True)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def unlink(self):
        # the vacuum of transient rows takes the drafts along (a saved draft is in use)
        self.credential_id.sudo().filtered(lambda credential: not credential.active).unlink()
        return super().unlink()

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("company_id")
    def _compute_child_company_ids(self):
        for wizard in self:
            wizard.child_company_ids = wizard.company_id._l10n_no_altinn_organisation_children()

    def _compute_private_key(self):
        self.private_key = False

    def _inverse_private_key(self):
        for wizard in self:
            if wizard.private_key:
                wizard.credential_id.private_key = wizard.private_key
        self.invalidate_recordset(["private_key"])  # not even echoed back

    @api.depends("company_id", "credential_id.private_key")
    def _compute_key_state(self):
        credential_model = self.env["annual.altinn.credential"].sudo()
        for wizard in self:
            wizard.has_new_key = bool(
                credential_model.with_context(active_test=False).search_count(
                    [("id", "=", wizard.credential_id.id), ("private_key", "!=", False)]
                )
            )
            wizard.has_stored_key = wizard.company_id.l10n_no_altinn_has_private_key
            pem = wizard._effective_secrets()["private_key"]
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
        company = company.sudo()
        stored = company._l10n_no_altinn_credential()
        secrets = stored._read_secrets() if stored else {}
        draft = self.env["annual.altinn.credential"].create(
            {
                "company_id": company.id,
                "active": False,
                "client_id": secrets.get("client_id") or False,
                "key_id": secrets.get("key_id") or False,
            }
        )
        wizard = self.create(
            {
                "company_id": company.id,
                "credential_id": draft.id,
                "environment": company.l10n_no_altinn_environment,
                "simulator_url": company.l10n_no_altinn_simulator_url,
                "system_id": company.l10n_no_altinn_system_id,
                "apply_to_children": company.l10n_no_altinn_apply_to_children,
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
        company = self.company_id.sudo()
        company.write(
            {
                "l10n_no_altinn_environment": self.environment,
                "l10n_no_altinn_simulator_url": self.simulator_url,
                "l10n_no_altinn_system_id": (self.system_id or "").strip() or False,
                "l10n_no_altinn_apply_to_children": self.apply_to_children,
            }
        )
        draft = self.credential_id
        names = {
            "client_id": draft.client_id.strip(),
            "key_id": (draft.key_id or "").strip() or False,
        }
        if self.has_new_key:
            draft.write(names)
            draft._promote()
        else:  # the stored key stays: only the names change
            company._l10n_no_altinn_credential().write(names)
        self.unlink()
        return {"type": "ir.actions.act_window_close"}

    def action_cancel(self):
        self.unlink()
        return {"type": "ir.actions.act_window_close"}

    def action_test_connection(self):
        """Log in and exchange with the values entered, before they are saved."""
        self.ensure_one()
        self._check_credentials()
        secrets = self._effective_secrets()
        credentials = {
            "company_id": self.company_id.id,
            "environment": self.environment,
            "simulator_url": self.simulator_url,
            "client_id": secrets["client_id"].strip(),
            "key_id": secrets["key_id"].strip(),
            "private_key": secrets["private_key"],
            "system_id": self.system_id,
        }
        ok, lines = self.company_id._l10n_no_altinn_test_connection(credentials)
        self.write({"test_ok": ok, "test_result": "\n".join(lines)})
        return self._action_reopen()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _effective_secrets(self):
        """The draft's client id and key id, and its key or else the one stored."""
        self.ensure_one()
        secrets = self.credential_id._read_secrets() if self.credential_id else {}
        secrets = {name: secrets.get(name, "") for name in ("client_id", "key_id", "private_key")}
        if not secrets["private_key"]:
            stored = self.company_id.sudo()._l10n_no_altinn_credential()
            secrets["private_key"] = stored._read_secrets()["private_key"] if stored else ""
        return secrets

    def _check_credentials(self):
        credential_model = self.env["annual.altinn.credential"]
        secrets = self._effective_secrets()
        credential_model._check_client_id(secrets["client_id"])
        credential_model._check_private_key(secrets["private_key"])

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Connect to Altinn"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
