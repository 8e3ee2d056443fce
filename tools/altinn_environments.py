"""Base URLs of Maskinporten, Altinn 3 and the open accounts register, per environment.

Every URL the Altinn client uses comes from here. The local simulator serves all hosts
under one base URL, each behind its own path prefix (see ``docs/altinn-simulator.md``).
"""

from dataclasses import dataclass

# BRG publishes a new edition of the app (new suffix) from time to time: keep it configurable.
DEFAULT_APP = "aarsregnskap-vanlig-202406"
SERVICE_OWNER = "brg"
SIMULATOR_DEFAULT_URL = "http://127.0.0.1:8090"

# Path prefixes under which the simulator plays each host.
SIM_MASKINPORTEN = "/maskinporten"
SIM_PLATFORM = "/platform"
SIM_APPS = "/apps"
SIM_INBOX = "/inbox"
SIM_REGISTER = "/register"


@dataclass(frozen=True)
class AltinnEnvironment:
    name: str
    token_url: str  # Maskinporten token endpoint
    audience: str  # `aud` of the JWT grant
    platform_url: str  # authentication, exchange, system register, system users
    apps_url: str  # host of the service owner's apps, without org/app
    app: str  # BRG app name (edition suffix included)
    inbox_url: str  # where a person signs (ID-porten/BankID)
    register_url: str  # open register: {register_url}/{orgnr}
    org: str = SERVICE_OWNER

    @property
    def app_url(self):
        return f"{self.apps_url}/{self.org}/{self.app}"

    @property
    def app_resource(self):
        """Altinn resource id of the app, as used in system rights."""
        return f"app_{self.org}_{self.app}"

    def register_lookup_url(self, orgnr):
        return f"{self.register_url}/{orgnr}"


def get_environment(name, app=DEFAULT_APP, simulator_url=SIMULATOR_DEFAULT_URL):
    """Return the environment ``prod``, ``test`` (tt02) or ``simulator``."""
    if name == "prod":
        return AltinnEnvironment(
            name="prod",
            token_url="https://maskinporten.no/token",
            audience="https://maskinporten.no/",
            platform_url="https://platform.altinn.no",
            apps_url="https://brg.apps.altinn.no",
            app=app,
            inbox_url="https://af.altinn.no/inbox",
            register_url="https://data.brreg.no/regnskapsregisteret/regnskap",
        )
    if name == "test":
        return AltinnEnvironment(
            name="test",
            token_url="https://test.maskinporten.no/token",
            audience="https://test.maskinporten.no/",
            platform_url="https://platform.tt02.altinn.no",
            apps_url="https://brg.apps.tt02.altinn.no",
            app=app,
            inbox_url="https://af.tt02.altinn.no/inbox",
            # No public test copy of data.brreg.no is known: tt02 filings do not appear.
            register_url="https://data.brreg.no/regnskapsregisteret/regnskap",
        )
    if name == "simulator":
        base = simulator_url.rstrip("/")
        return AltinnEnvironment(
            name="simulator",
            token_url=f"{base}{SIM_MASKINPORTEN}/token",
            audience=f"{base}{SIM_MASKINPORTEN}/",
            platform_url=f"{base}{SIM_PLATFORM}",
            apps_url=f"{base}{SIM_APPS}",
            app=app,
            inbox_url=f"{base}{SIM_INBOX}",
            register_url=f"{base}{SIM_REGISTER}/regnskapsregisteret/regnskap",
        )
    raise ValueError(f"Unknown Altinn environment: {name!r}")
