"""Test base for the Altinn flows: the bundled simulator runs in this process on a free
127.0.0.1 port for the test class, and a bureau company is set up to use it with a generated
key registered through the simulator's control API. Every call goes over real HTTP."""

import logging

import requests

from odoo.tests import TransactionCase

from ..models.res_company import TIMEOUT_PARAM
from ..tools import maskinporten
from ..tools.altinn_sim_control import SimulatorControl
from ..tools.altinn_simulator import RunningSimulator

VENDOR_ORGNR = "910000001"
CLIENT_ORGNR = "912345678"
OTHER_ORGNR = "923456789"


class AltinnSimulatorMixin:
    """Mix into an Odoo test class and call ``setup_simulator`` from ``setUpClass``."""

    # seconds the client waits for an answer; the time-out tests inject longer delays
    read_timeout = 3

    @classmethod
    def setup_simulator(cls, client=None):
        """Start the simulator for the class; a bureau with Maskinporten credentials for it,
        and ``client`` (created when not given) in the bureau's organisation."""
        watch_logs_for_secrets(cls)
        cls.sim = RunningSimulator().start()
        cls.addClassCleanup(cls.sim.stop)
        cls.control = SimulatorControl(cls.sim.url)
        cls.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, cls.read_timeout)
        cls.bureau = cls.env["res.company"].create(
            {
                "name": "Fjordlys Regnskap AS",
                "l10n_no_bronnoysund_number": VENDOR_ORGNR,
                "l10n_no_altinn_environment": "simulator",
                "l10n_no_altinn_simulator_url": cls.sim.url,
                "l10n_no_altinn_apply_to_children": True,
            }
        )
        if client is None:
            client = cls.env["res.company"].create(
                {"name": "Fjelltopp Råd AS", "l10n_no_bronnoysund_number": CLIENT_ORGNR}
            )
        client.l10n_no_altinn_parent_id = cls.bureau
        cls.client = client
        # generates the key and registers it with the simulator, as Digdir's portal would
        cls.bureau._l10n_no_altinn_connect_simulator()
        cls.secrets.add(cls.bureau._l10n_no_altinn_credentials()["private_key"])

    def setUp(self):
        super().setUp()
        # the simulator keeps its state across tests while the database rolls back: start
        # each test from a fresh simulator that knows the bureau's key
        self.control.reset()
        self.control.config(scan_seconds=0.1)
        self.bureau._l10n_no_altinn_connect_simulator()
        maskinporten.TOKEN_CACHE.clear()
        self.addCleanup(maskinporten.TOKEN_CACHE.clear)
        self.addCleanup(harvest_tokens, type(self))  # runs first: cleanups go last in, first out

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def calls(self, company=None, **domain):
        search = [("company_id", "=", (company or self.client).id)]
        search += [(key, "=", value) for key, value in domain.items()]
        return self.env["annual.altinn.call"].search(search, order="id")

    def sim_log(self, endpoint=None):
        return [
            entry
            for entry in self.control.requests_log()
            if not (entry["endpoint"] or "").startswith("control_")
            and (endpoint is None or entry["endpoint"] == endpoint)
        ]

    def answer_confirm_page(self, company, decision="approve"):
        """What the client's daglig leder does in Altinn: open the link and decide."""
        url = company.l10n_no_altinn_systemuser_confirm_url
        page = requests.get(url, timeout=5)
        self.assertIn("Approve", page.text)
        requests.post(url, data={"decision": decision}, timeout=5).raise_for_status()

    def approve_system_user(self, company=None):
        """Register the system, request the company's system user, approve it in Altinn
        and read the answer back: the company can file."""
        company = company or self.client
        if not self.bureau.l10n_no_altinn_system_registered:
            self.bureau._l10n_no_altinn_register_system(self.bureau._l10n_no_altinn_client())
        company._l10n_no_altinn_request_system_user()
        self.answer_confirm_page(company)
        company._l10n_no_altinn_poll_system_user()
        self.assertEqual(company.l10n_no_altinn_systemuser_state, "approved")


class AltinnSimulatorCase(AltinnSimulatorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_simulator()


def watch_logs_for_secrets(cls):
    """Capture every log line of the test class; when the class is done, none may hold a
    private key, a token or any JWT (``cls.secrets`` collects keys and tokens)."""
    cls.secrets = set()
    cls.class_logs = CaptureLogs().__enter__()
    cls.addClassCleanup(_check_class_logs, cls)


def harvest_tokens(cls):
    with maskinporten.TOKEN_CACHE._lock:
        cls.secrets.update(token for token, _exp in maskinporten.TOKEN_CACHE._tokens.values())


def _check_class_logs(cls):
    cls.class_logs.__exit__(None, None, None)
    text = cls.class_logs.text
    assert cls.class_logs.lines, "the class logged nothing: the capture does not work"
    secrets = set(cls.secrets)
    for pem in [s for s in cls.secrets if "PRIVATE KEY" in s]:
        secrets.update(line for line in pem.splitlines()[1:4])
    leaked = [secret for secret in secrets if secret and secret in text]
    # never print a secret, even in a failure
    assert not leaked, f"{len(leaked)} secret(s) in the log lines of {cls.__name__}"
    assert "eyJ" not in text, f"a JWT in the log lines of {cls.__name__}"


class CaptureLogs(logging.Handler):
    """Every log record of the process while active, formatted with its args; the module's
    own loggers and the HTTP libraries at DEBUG (kept out of the test output)."""

    VERBOSE = ("odoo.addons.l10n_no_annual_accounts", "urllib3", "requests", "werkzeug")

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r}")
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))

    def __enter__(self):
        logging.getLogger().addHandler(self)
        self._saved = {}
        for name in self.VERBOSE:
            logger = logging.getLogger(name)
            self._saved[name] = (logger.level, logger.propagate)
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
            logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)
        for name, (level, propagate) in self._saved.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self)
            logger.setLevel(level)
            logger.propagate = propagate

    @property
    def text(self):
        return "\n".join(self.lines)
