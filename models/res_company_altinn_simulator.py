import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo import _, models
from odoo.exceptions import UserError

from ..tools import keys, maskinporten
from ..tools.altinn_client import AltinnError
from ..tools.altinn_sim_control import SimulatorControl
from .res_company_altinn import _notification

SIMULATOR_KID = "odoo-simulator"


class ResCompany(models.Model):
    """The bundled Altinn simulator standing in for Digdir's self-service portal (key
    registration) and, for the demo only, for the person who approves the system user."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_l10n_no_altinn_connect_simulator(self):
        self.ensure_one()
        self._l10n_no_altinn_check_admin()
        self._l10n_no_altinn_connect_simulator()
        message = _("The simulator knows this company's key now.")
        return _notification(_("Altinn simulator"), message, "success")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _l10n_no_altinn_connect_simulator(self):
        """Give the company a key and a client id if it has none and register the public key
        with the simulator's control API, as Digdir's portal does for Maskinporten."""
        self.ensure_one()
        company = self.sudo()
        if company.l10n_no_altinn_environment != "simulator":
            raise UserError(_("Only a company using the local simulator can do this."))
        orgnr = company._l10n_no_altinn_orgnr()
        if not orgnr:
            raise UserError(
                _("Enter the organisation number of %(company)s first.", company=company.name)
            )
        values = {}
        if not company.l10n_no_altinn_client_id:
            values["l10n_no_altinn_client_id"] = str(uuid.uuid4())
        if not company.l10n_no_altinn_key_id:
            values["l10n_no_altinn_key_id"] = SIMULATOR_KID
        if not company.l10n_no_altinn_private_key:
            values["l10n_no_altinn_private_key"] = _new_private_key()
        if values:
            company.write(values)
        scopes = [*maskinporten.FILING_SCOPE.split(), maskinporten.SYSTEM_REGISTER_SCOPE]
        scopes += maskinporten.SYSTEM_USER_SCOPE.split()
        try:
            self._l10n_no_altinn_simulator_control().register_client(
                company.l10n_no_altinn_client_id,
                company.l10n_no_altinn_key_id,
                keys.public_key_pem(company.l10n_no_altinn_private_key),
                scopes,
                orgnr,
            )
        except AltinnError as error:
            raise UserError(_("Altinn simulator: %(message)s", message=error.message)) from None

    def _l10n_no_altinn_simulator_demo(self):
        """scripts/run: the simulator forgets everything when it stops. Introduce the company
        again, register the system and approve its system user on the simulator's confirm
        page, playing the daglig leder. Simulator only; raises UserError or AltinnError."""
        self.ensure_one()
        self._l10n_no_altinn_connect_simulator()
        source, client = self._l10n_no_altinn_client_and_source()
        source._l10n_no_altinn_register_system(client)
        answer = self._l10n_no_altinn_request_system_user(client)
        if answer is not None and answer.status == "New":
            self._l10n_no_altinn_simulator_control().answer_confirm_page(answer.confirm_url)
        return self._l10n_no_altinn_poll_system_user()

    def _l10n_no_altinn_simulator_control(self):
        return SimulatorControl(self.sudo().l10n_no_altinn_simulator_url)


def _new_private_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
