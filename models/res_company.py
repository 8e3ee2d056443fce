import re
import uuid
from datetime import date
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import date_utils

from ..tools import keys, maskinporten
from ..tools.altinn_client import AltinnClient, AltinnError
from ..tools.altinn_environments import SIMULATOR_DEFAULT_URL, get_environment
from .altinn_messages import altinn_error_message

ALTINN_ENVIRONMENTS = [
    ("prod", "Production"),
    ("test", "Test (tt02)"),
    ("simulator", "Local simulator"),
]
TIMEOUT_PARAM = "l10n_no_annual_accounts.altinn_read_timeout"
DEFAULT_READ_TIMEOUT = 30
# Altinn's status of a system-user request -> our state of the company's system user: one
# state per status, so the company shows what Altinn says.
SYSTEMUSER_STATES = {
    "New": "requested",
    "Accepted": "approved",
    "Rejected": "rejected",
    "Denied": "denied",
    "Timedout": "timedout",
}
# A request in these states is asked again as a new request (see renew_system_user_request)
ASK_AGAIN_STATES = ("rejected", "denied", "timedout")
# What the Altinn settings a company uses depend on, at any depth of its organisation.
ORGANISATION_FIELDS = (
    "parent_id",
    "l10n_no_altinn_parent_id",
    "l10n_no_altinn_apply_to_children",
    "l10n_no_altinn_environment",
)
# the key id under which "Connect to the simulator" registers a generated key
SIMULATOR_KID = "odoo-simulator"


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # ALTINN: the connection
    # ------------------------------------------------------------

    # Either the company's own settings (Option B) or those of the nearest ancestor that applies
    # its own to the whole organisation (Option A); see _l10n_no_altinn_credentials. The
    # Maskinporten client id, key id and private key are kept in annual.altinn.credential.
    l10n_no_altinn_environment = fields.Selection(
        selection=ALTINN_ENVIRONMENTS,
        string="Altinn Environment",
        default="test",
        required=True,
    )
    l10n_no_altinn_simulator_url = fields.Char(
        string="Simulator URL",
        default=SIMULATOR_DEFAULT_URL,
        help="Base URL of the bundled Altinn simulator, used when the environment is "
        "'Local simulator'.",
    )
    l10n_no_altinn_system_id = fields.Char(
        string="System ID",
        copy=False,
        help="The vendor's system in Altinn's system register, '<vendor orgnr>_<name>'.",
    )
    l10n_no_altinn_system_registered = fields.Boolean(
        string="System Registered in Altinn", copy=False, readonly=True
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
    # What the company files with: its own environment, or the organisation's it inherits.
    l10n_no_altinn_effective_environment = fields.Selection(
        selection=ALTINN_ENVIRONMENTS,
        string="Environment in Use",
        compute="_compute_l10n_no_altinn_source_company_id",
        compute_sudo=True,
    )
    # The key is never shown again once stored; the form says whether one is there and the
    # set-up wizard replaces it.
    l10n_no_altinn_has_private_key = fields.Boolean(
        string="Private Key Stored",
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
            ("denied", "Denied"),
            ("timedout", "Timed out"),
        ],
        string="System User",
        default="none",
        required=True,
        copy=False,
    )
    l10n_no_altinn_systemuser_request_id = fields.Char(string="System User Request", copy=False)
    l10n_no_altinn_systemuser_confirm_url = fields.Char(string="Confirm Link", copy=False)
    # The grant for the company's system user repeats its request's externalRef (MP-303)
    l10n_no_altinn_systemuser_external_ref = fields.Char(
        string="System User Reference", copy=False, readonly=True
    )
    l10n_no_altinn_call_ids = fields.One2many(
        "annual.altinn.call", "company_id", string="Altinn Calls", readonly=True
    )

    # ------------------------------------------------------------
    # ANNUAL ACCOUNTS: defaults of each filing (the filing's own fields override them)
    # ------------------------------------------------------------

    # Kept on the company's partner, where the group-contribution checks read it for givers
    # and recipients alike; filings default to AS when it is empty.
    l10n_no_aa_org_form = fields.Selection(
        related="partner_id.l10n_no_aa_org_form",
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

    # ------------------------------------------------------------
    # ANNUAL ACCOUNTS: review before filing and pre-close checks (issue 18 points 11-12)
    # ------------------------------------------------------------

    # Like the Altinn settings, a bureau decides for the companies of its organisation
    # (l10n_no_altinn_parent_id, else the parent of a branch): a client that says nothing
    # follows the nearest company above it that does.
    l10n_no_aa_review_policy = fields.Selection(
        [
            ("inherit", "As the organisation"),
            ("required", "Required"),
            ("optional", "Not required"),
        ],
        string="Review Before Filing",
        default="inherit",
        required=True,
        help="Whether a filing must be reviewed by a second accountant before it is submitted.",
    )
    l10n_no_aa_review_required = fields.Boolean(
        string="Review Required", compute="_compute_l10n_no_aa_review_required", compute_sudo=True
    )
    l10n_no_aa_review_source_id = fields.Many2one(
        "res.company",
        string="Review Rule From",
        compute="_compute_l10n_no_aa_review_required",
        compute_sudo=True,
    )
    l10n_no_aa_vat_term = fields.Selection(
        [("bimonthly", "Bi-monthly (six terms)"), ("annual", "Annual (one term)")],
        string="VAT Terms",
        default="bimonthly",
        required=True,
        help="The VAT return terms the pre-close check expects a VAT closing for.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(*ORGANISATION_FIELDS)
    def _compute_l10n_no_altinn_source_company_id(self):
        # whether a company has credentials of its own, without reading a secret
        credentials = self.env["annual.altinn.credential"].sudo()
        owners = credentials.search([("client_id", "!=", False)]).company_id
        with_key = credentials.search(
            [("company_id", "in", self.ids), ("private_key", "!=", False)]
        ).company_id
        for company in self:
            # a form's record (onchange) is new: its saved self owns the credentials
            source = company._l10n_no_altinn_find_source(owners)
            company.l10n_no_altinn_source_company_id = source
            company.l10n_no_altinn_has_private_key = company._origin in with_key
            if not source:
                company.l10n_no_altinn_settings_origin = "none"
            elif source == company._origin:
                company.l10n_no_altinn_settings_origin = "own"
            else:
                company.l10n_no_altinn_settings_origin = "inherited"
            company.l10n_no_altinn_effective_environment = (
                source or company
            ).l10n_no_altinn_environment

    @api.depends(
        "l10n_no_aa_review_policy",
        "l10n_no_altinn_parent_id.l10n_no_aa_review_policy",
        "parent_id.l10n_no_aa_review_policy",
    )
    def _compute_l10n_no_aa_review_required(self):
        for company in self:
            source = company._l10n_no_aa_review_source()
            company.l10n_no_aa_review_source_id = source
            company.l10n_no_aa_review_required = source.l10n_no_aa_review_policy == "required"

    def _l10n_no_aa_review_source(self):
        """The company whose review rule applies: this one unless it follows its
        organisation, else the nearest company above that decides (empty: nobody does)."""
        self.ensure_one()
        if self.l10n_no_aa_review_policy != "inherit":
            return self._origin or self
        for ancestor in self._l10n_no_altinn_ancestors():
            if ancestor.l10n_no_aa_review_policy != "inherit":
                return ancestor.with_env(self.env)
        return self.browse()

    def write(self, vals):
        result = super().write(vals)
        if not vals.keys().isdisjoint(ORGANISATION_FIELDS):
            # the companies below this one, however deep, now use other settings
            self.env["annual.altinn.credential"]._invalidate_companies()
        return result

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("l10n_no_altinn_parent_id")
    def _check_l10n_no_altinn_parent_id(self):
        if self._has_cycle("l10n_no_altinn_parent_id"):
            raise ValidationError(_("A company cannot belong to its own Altinn organisation."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_l10n_no_altinn_setup(self):
        self.ensure_one()
        return self.env["annual.altinn.setup.wizard"]._action_open(self)

    def action_l10n_no_altinn_test_connection(self):
        self.ensure_one()
        self._l10n_no_altinn_check_admin()
        ok, lines = self._l10n_no_altinn_test_connection()
        title = _("Altinn connection works") if ok else _("Altinn connection failed")
        return _notification(title, "\n".join(lines), "success" if ok else "danger", not ok)

    def action_l10n_no_altinn_register_system(self):
        self.ensure_one()
        self._l10n_no_altinn_check_admin()
        source, client = self._l10n_no_altinn_client_and_source()
        try:
            system_id = source._l10n_no_altinn_register_system(client)
        except AltinnError as error:
            # answered, not raised: the history row of the failed call must stay
            message = altinn_error_message(self.env, error)
            return _notification(_("System register"), message, "danger", True)
        message = _("The system %(system)s is registered in Altinn.", system=system_id)
        return _notification(_("System register"), message, "success")

    def action_l10n_no_altinn_request_system_user(self):
        self.ensure_one()
        self._l10n_no_altinn_check_admin()
        return self.env["annual.altinn.systemuser.wizard"]._action_open(self)

    def action_l10n_no_altinn_ask_again(self):
        """After a rejection, a denial or a time-out: a new request, with a new link."""
        self.ensure_one()
        self._l10n_no_altinn_check_admin()
        try:
            answer = self._l10n_no_altinn_request_system_user()
        except AltinnError as error:
            message = altinn_error_message(self.env, error)
            return _notification(_("System user"), message, "danger", True)
        if answer is None:
            message = _("%(company)s has approved its system user already.", company=self.name)
        else:
            message = _(
                "Asked again: the company's daglig leder opens the new confirm link and answers."
            )
        return _notification(_("System user"), message, "success")

    def action_l10n_no_altinn_check_system_user(self):
        self._l10n_no_altinn_check_admin()
        errors = self._l10n_no_altinn_poll_system_users()
        if errors:
            return _notification(_("System user"), "\n".join(errors), "danger", True)
        states = dict(
            self._fields["l10n_no_altinn_systemuser_state"]._description_selection(self.env)
        )
        message = "\n".join(
            f"{company.name}: {states[company.l10n_no_altinn_systemuser_state]}" for company in self
        )
        return _notification(_("System user"), message, "info")

    # ------------------------------------------------------------
    # CRONS
    # ------------------------------------------------------------

    @api.model
    def _cron_l10n_no_altinn_poll_system_users(self):
        companies = self.search([("l10n_no_altinn_systemuser_state", "=", "requested")])
        companies._l10n_no_altinn_poll_system_users(notify_progress=True)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _l10n_no_altinn_test_connection(self, credentials=None):
        """(ok, lines): log in, exchange, and act as the system user once one is asked for,
        each step said plainly, Maskinporten's refusals in the user's words. ``credentials``:
        not yet saved ones (the set-up wizard). A private token cache, so each step really
        goes to Altinn."""
        self.ensure_one()
        cache = maskinporten.TokenCache()
        try:
            if credentials:
                client = self._l10n_no_altinn_build_client(
                    credentials, cache, self._l10n_no_altinn_external_refs()
                )
            else:
                client = self._l10n_no_altinn_client(cache=cache)
        except UserError as error:
            return False, [error.args[0]]
        except ValueError:  # unknown environment or unusable URL
            return False, [_("The Altinn environment or simulator URL is not usable.")]
        calls = self.env["annual.altinn.call"]
        steps = [
            (
                "token",
                _("Log in to Maskinporten"),
                lambda: client.maskinporten_token(maskinporten.FILING_SCOPE),
            ),
            ("exchange", _("Exchange for an Altinn token"), lambda: client.altinn_token()),
        ]
        orgnr = self._l10n_no_altinn_orgnr()
        state = self.l10n_no_altinn_systemuser_state
        if state in ("approved", "requested") and orgnr:
            steps.append(
                (
                    "exchange",
                    _("Act as the system user of %(orgnr)s", orgnr=orgnr),
                    lambda: client.altinn_token(orgnr),
                )
            )
        lines = []
        for operation, label, step in steps:
            try:
                with calls._track(client, self, operation, f"{label} ({client.env.name})"):
                    step()
            except AltinnError as error:
                message = altinn_error_message(self.env, error)
                lines.append(_("%(step)s: failed. %(message)s", step=label, message=message))
                return False, lines
            lines.append(_("%(step)s: OK", step=label))
        if state != "approved":
            lines.append(
                _(
                    "The system user of this company is not approved yet: request it and "
                    "have the company approve it in Altinn before filing."
                )
            )
        return True, lines

    def _l10n_no_altinn_system_payload(self, client, system_id):
        """The system register entry of the vendor's system (self: the credentials' owner)."""
        vendor = self._l10n_no_altinn_orgnr()
        return {
            "id": system_id,
            "vendor": {"authority": "iso6523-actorid-upis", "ID": f"0192:{vendor}"},
            "name": {
                "nb": "Odoo årsregnskap",
                "nn": "Odoo årsrekneskap",
                "en": "Odoo annual accounts",
            },
            "description": {
                "nb": "Innsending av årsregnskap fra Odoo",
                "nn": "Innsending av årsrekneskap frå Odoo",
                "en": "Filing annual accounts from Odoo",
            },
            "rights": client.app_rights(),
            "clientId": [client.client_id],
            # Altinn takes only https redirect URLs, and refuses a request naming another
            "allowedRedirectUrls": [url] if (url := self._l10n_no_altinn_redirect_url()) else [],
            "isVisible": True,
        }

    def _l10n_no_altinn_register_system(self, client):
        """Register (or update) the vendor's system; self owns the credentials."""
        self.ensure_one()
        vendor = self._l10n_no_altinn_orgnr()
        if not vendor:
            raise UserError(
                _("Enter the organisation number of %(company)s first.", company=self.name)
            )
        system_id = self.l10n_no_altinn_system_id or f"{vendor}_odoo_annual_accounts"
        payload = self._l10n_no_altinn_system_payload(client, system_id)
        calls = self.env["annual.altinn.call"]
        summary = f"system {system_id}"  # never the client id: the history is not a secret
        create = ("system_register", lambda: client.create_system(payload))
        update = ("system_update", lambda: client.update_system(system_id, payload))
        # Altinn may know more or less than this database (another database registered it, or
        # the simulator restarted): "exists" on create -> update, "not found" on update -> create
        if self.l10n_no_altinn_system_registered:
            attempts, fallback_codes = (update, create), ("not_found",)
        else:
            attempts, fallback_codes = (create, update), ("bad_request", "conflict")
        for number, (operation, call) in enumerate(attempts):
            try:
                with calls._track(client, self, operation, summary, reference=system_id):
                    call()
                break
            except AltinnError as error:
                if number or error.code not in fallback_codes:
                    raise
        self._l10n_no_altinn_mark_registered(system_id)
        return system_id

    def _l10n_no_altinn_mark_registered(self, system_id):
        self.sudo().write(
            {"l10n_no_altinn_system_id": system_id, "l10n_no_altinn_system_registered": True}
        )

    def _l10n_no_altinn_request_system_user(self, client=None):
        """Ask Altinn for this company's system user; raises ``AltinnError``/``UserError``.

        Altinn answers a request it has for the same reference as it stands (a pending one
        keeps its link); after a rejection, a denial or a time-out the old request is
        deleted and a new one made with a new reference. Returns the ``SystemUserRequest``."""
        self.ensure_one()
        orgnr = self._l10n_no_altinn_orgnr()
        if not orgnr:
            raise UserError(
                _("Enter the organisation number of %(company)s first.", company=self.name)
            )
        source, client = self._l10n_no_altinn_client_and_source(client)
        if not source.l10n_no_altinn_system_registered or not source.l10n_no_altinn_system_id:
            raise UserError(
                _(
                    "Register the system in Altinn first (on %(company)s).",
                    company=source.name,
                )
            )
        system_id = source.l10n_no_altinn_system_id
        request_id = self.l10n_no_altinn_systemuser_request_id
        ask_again = request_id and self.l10n_no_altinn_systemuser_state in ASK_AGAIN_STATES
        reference = self._l10n_no_altinn_external_ref()
        if ask_again:
            reference = _next_reference(reference)
        # kept before the call: if its answer is lost, asking again finds the same request
        self.sudo().l10n_no_altinn_systemuser_external_ref = reference
        rights, redirect = client.app_rights(), self._l10n_no_altinn_redirect_url()
        summary = f"system {system_id}, organisation {orgnr}, reference {reference}"
        try:
            with self.env["annual.altinn.call"]._track(
                client, self, "systemuser_request", summary
            ) as call:
                if ask_again:
                    answer = client.renew_system_user_request(
                        request_id, system_id, orgnr, reference, rights, redirect
                    )
                else:
                    answer = client.request_system_user(
                        system_id, orgnr, reference, rights, redirect
                    )
                call["reference"] = answer.id
        except AltinnError as error:
            if error.code != "systemuser_exists":
                raise
            # approved already, under the reference Altinn names: the company can file
            self.write(
                {
                    "l10n_no_altinn_systemuser_state": "approved",
                    "l10n_no_altinn_systemuser_external_ref": error.params.get("external_ref")
                    or reference,
                }
            )
            return None
        self.write(
            {
                "l10n_no_altinn_systemuser_state": SYSTEMUSER_STATES.get(
                    answer.status, "requested"
                ),
                "l10n_no_altinn_systemuser_request_id": answer.id,
                "l10n_no_altinn_systemuser_confirm_url": answer.confirm_url,
                "l10n_no_altinn_systemuser_external_ref": answer.external_ref or reference,
            }
        )
        return answer

    def _l10n_no_altinn_poll_system_users(self, notify_progress=False):
        """Read each requested system user's status; errors are recorded and returned, the
        other companies go on."""
        errors = []
        todo = self.filtered("l10n_no_altinn_systemuser_request_id")
        for done, company in enumerate(todo):
            try:
                company._l10n_no_altinn_poll_system_user()
            except AltinnError as error:
                errors.append(f"{company.name}: {altinn_error_message(self.env, error)}")
            except UserError as error:
                errors.append(f"{company.name}: {error.args[0]}")
            if notify_progress:
                self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(todo) - done - 1)
        return errors

    def _l10n_no_altinn_poll_system_user(self):
        self.ensure_one()
        _source, client = self._l10n_no_altinn_client_and_source()
        request_id = self.l10n_no_altinn_systemuser_request_id
        try:
            with self.env["annual.altinn.call"]._track(
                client, self, "systemuser_status", f"request {request_id}", reference=request_id
            ):
                answer = client.system_user_request(request_id)
        except AltinnError as error:
            if error.code != "not_found":
                raise
            # Altinn no longer has the request (deleted, or archived after its time-out)
            self.write({"l10n_no_altinn_systemuser_state": "timedout"})
            return "timedout"
        state = SYSTEMUSER_STATES.get(answer.status, "requested")
        if state != self.l10n_no_altinn_systemuser_state:
            self.write({"l10n_no_altinn_systemuser_state": state})
        return state

    # ------------------------------------------------------------
    # SIMULATOR: what Digdir's self-service portal does, for the bundled simulator only
    # ------------------------------------------------------------

    def action_l10n_no_altinn_connect_simulator(self):
        self.ensure_one()
        self._l10n_no_altinn_check_admin()
        self._l10n_no_altinn_connect_simulator()
        message = _("The simulator knows this company's key now.")
        return _notification(_("Altinn simulator"), message, "success")

    def _l10n_no_altinn_connect_simulator(self):
        """Give the company a key and a client id if it has none and register the public key
        with the simulator's control API, as Digdir's portal does for Maskinporten. Refused
        unless the company itself uses the simulator."""
        self.ensure_one()
        company = self.sudo()
        control = company._l10n_no_altinn_simulator_control()  # refuses any other environment
        orgnr = company._l10n_no_altinn_orgnr()
        if not orgnr:
            raise UserError(
                _("Enter the organisation number of %(company)s first.", company=company.name)
            )
        credentials = self.env["annual.altinn.credential"]
        stored = company._l10n_no_altinn_credential()
        secrets = stored._read_secrets() if stored else {}
        missing = {}
        if not secrets.get("client_id"):
            missing["client_id"] = str(uuid.uuid4())
        if not secrets.get("key_id"):
            missing["key_id"] = SIMULATOR_KID
        if not secrets.get("private_key"):
            missing["private_key"] = credentials._new_private_key()
        if missing:
            credentials._store(company, **missing)
            secrets.update(missing)
        scopes = [*maskinporten.FILING_SCOPE.split(), maskinporten.SYSTEM_REGISTER_SCOPE]
        scopes += maskinporten.SYSTEM_USER_SCOPE.split()
        try:
            control.register_client(
                secrets["client_id"],
                secrets["key_id"],
                keys.public_key_pem(secrets["private_key"]),
                scopes,
                orgnr,
            )
        except AltinnError as error:
            raise UserError(_("Altinn simulator: %(message)s", message=error.message)) from None

    def _l10n_no_altinn_simulator_control(self):
        """The client of the simulator's control API (tools/altinn_sim_control). A development
        tool: imported here, in the simulator environment only, never by production code."""
        self.ensure_one()
        if self.l10n_no_altinn_environment != "simulator":
            raise UserError(_("Only a company using the local simulator can do this."))
        from ..tools.altinn_sim_control import SimulatorControl

        return SimulatorControl(self.sudo().l10n_no_altinn_simulator_url)

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

    def _l10n_no_altinn_find_source(self, owners=None):
        """The company whose Altinn credentials apply to this one, or an empty recordset.

        Own credentials win; otherwise the nearest ancestor that ticks "apply to all companies
        in the organisation" and has credentials of its own. ``owners``: the companies with
        credentials, when the caller knows them.
        """
        self.ensure_one()
        if owners is None:
            owners = (
                self.env["annual.altinn.credential"]
                .sudo()
                .search([("client_id", "!=", False)])
                .company_id
            )
        if self._origin in owners:
            return self._origin
        for ancestor in self._l10n_no_altinn_ancestors():
            if ancestor.l10n_no_altinn_apply_to_children and ancestor in owners:
                return ancestor.with_env(self.env)
        return self.browse()

    def _l10n_no_altinn_credential(self):
        """This company's own credentials in use (``annual.altinn.credential``, as superuser),
        or an empty recordset. Reads no secret."""
        self.ensure_one()
        return self.env["annual.altinn.credential"]._for_companies(self)

    def _l10n_no_altinn_credentials(self):
        """The Altinn settings that apply to this company, read with sudo for the code that
        talks to Altinn. Never expose the result to a user or write it to a log."""
        self.ensure_one()
        source = self._l10n_no_altinn_find_source()
        if not source:
            return {}
        source = source.sudo()
        secrets = source._l10n_no_altinn_credential()._read_secrets()
        return {
            "company_id": source.id,
            "environment": source.l10n_no_altinn_environment,
            "simulator_url": source.l10n_no_altinn_simulator_url,
            "client_id": secrets["client_id"].strip(),
            "key_id": secrets["key_id"],
            "private_key": secrets["private_key"],
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

    def _l10n_no_altinn_orgnr(self):
        """The organisation number (9 digits) that files and is filed for: the Brønnøysund
        number of l10n_no, else the company registry, else the digits of the VAT number
        (NO123456789MVA); '' when none has nine digits."""
        self.ensure_one()
        for value in (self.l10n_no_bronnoysund_number, self.company_registry, self.vat):
            digits = "".join(ch for ch in value or "" if ch.isdigit())
            if len(digits) == 9:
                return digits
        return ""

    def _l10n_no_altinn_external_ref(self):
        """The externalRef of this company's system-user request: the one kept, else the
        one requests carried before it was kept."""
        self.ensure_one()
        return self.l10n_no_altinn_systemuser_external_ref or (
            f"{self._l10n_no_altinn_orgnr()}-odoo-{self.id}"
        )

    def _l10n_no_altinn_external_refs(self):
        """orgnr -> externalRef for the client's grants; none before a request exists."""
        self.ensure_one()
        orgnr = self._l10n_no_altinn_orgnr()
        if not orgnr or not self.l10n_no_altinn_systemuser_request_id:
            return {}
        return {orgnr: self._l10n_no_altinn_external_ref()}

    def _l10n_no_altinn_redirect_url(self):
        """Where Altinn sends the person back after answering: this Odoo, https only."""
        url = f"{self.get_base_url()}/odoo"
        return url if urlsplit(url).scheme == "https" else None

    def _l10n_no_altinn_client(self, cache=None):
        """The Altinn client for this company, from the credentials that apply."""
        return self._l10n_no_altinn_client_and_source(cache=cache)[1]

    def _l10n_no_altinn_client_and_source(self, client=None, cache=None):
        """(company owning the credentials, client). ``UserError`` when not set up."""
        self.ensure_one()
        credentials = self._l10n_no_altinn_credentials()
        if not credentials or not credentials["private_key"]:
            raise UserError(
                _(
                    "Altinn is not set up for %(company)s: enter its Maskinporten credentials "
                    "or those of its organisation.",
                    company=self.name,
                )
            )
        source = self.browse(credentials["company_id"]).sudo()
        refs = self._l10n_no_altinn_external_refs()
        return source, client or self._l10n_no_altinn_build_client(credentials, cache, refs)

    def _l10n_no_altinn_environment(self):
        """The Altinn environment (URLs) that applies to this company, or None."""
        self.ensure_one()
        credentials = self._l10n_no_altinn_credentials()
        if not credentials:
            return None
        return get_environment(
            credentials["environment"], simulator_url=credentials["simulator_url"] or ""
        )

    @api.model
    def _l10n_no_altinn_build_client(self, credentials, cache=None, external_refs=None):
        """The one place an Altinn client is built; ``credentials`` as given by
        ``_l10n_no_altinn_credentials``. ``cache``: a private token cache; ``external_refs``:
        orgnr -> the externalRef its system-user request carried."""
        environment = get_environment(
            credentials["environment"], simulator_url=credentials["simulator_url"] or ""
        )
        read_timeout = float(
            self.env["ir.config_parameter"].sudo().get_param(TIMEOUT_PARAM, DEFAULT_READ_TIMEOUT)
        )
        return AltinnClient(
            environment,
            credentials["client_id"],
            credentials["key_id"] or "",
            credentials["private_key"],
            timeout=(5, read_timeout),
            cache=cache,
            external_refs=external_refs,
        )

    def _l10n_no_altinn_check_admin(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators can set up the Altinn connection."))


def _next_reference(reference):
    """A new externalRef after ``reference``: "912345678-odoo-7" -> "...-7-2" -> "...-7-3"."""
    found = re.fullmatch(r"(.*-odoo-\d+)-(\d+)", reference)
    if found:
        return f"{found.group(1)}-{int(found.group(2)) + 1}"
    return f"{reference}-2"


def _notification(title, message, kind, sticky=False):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"title": title, "message": message, "type": kind, "sticky": sticky},
    }
