"""Shared fixtures and documents for the Altinn tests (no tests here).

The XML is written by hand on purpose: the simulator must check it independently of the
product's builders.
"""

import json

import pytest
import requests
from conftest import SHARED
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tools import altinn_environments, maskinporten
from tools.altinn_client import AltinnClient
from tools.altinn_simulator import running_simulator

BRG_POSTMAN = SHARED / "specs" / "altinn" / "brg-postman"

VENDOR_ORGNR = "910000001"
CLIENT_ORGNR = "912345678"
CLIENT_ID = "3f1c2a9e-client"
KID = "vendor-key-1"
SYSTEM_ID = f"{VENDOR_ORGNR}_odoo"
ALL_SCOPES = [
    "altinn:instances.read",
    "altinn:instances.write",
    maskinporten.SYSTEM_REGISTER_SCOPE,
    *maskinporten.SYSTEM_USER_SCOPE.split(),
]

H = 'xmlns="http://schema.brreg.no/regnsys/aarsregnskap_vanlig"'
U = 'xmlns="http://schema.brreg.no/regnsys/aarsregnskap_vanlig/underskjema"'


def hovedskjema(
    orgnr=CLIENT_ORGNR,
    small="ja",
    audited=False,
    start="2025-01-01",
    year="2025",
    parent=False,
    group_accounts=False,
):
    not_audited = "nei" if audited else "ja"
    group = f'<morselskap orid="4168">{"ja" if parent else "nei"}</morselskap>'
    if parent:
        group += (
            f'<konsernregnskap orid="25943">{"ja" if group_accounts else "nei"}</konsernregnskap>'
        )

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<melding {H} dataFormatId="1266" dataFormatVersion="51820"
 tjenestehandling="aarsregnskap_vanlig" tjeneste="regnskap">
 <Innsender>
  <enhet>
   <organisasjonsnummer orid="18">{orgnr}</organisasjonsnummer>
   <organisasjonsform orid="756">AS</organisasjonsform>
   <navn orid="1">FJELLTOPP RÅD AS</navn>
  </enhet>
  <opplysningerInnsending>
   <noteMaskinellBehandling orid="37499">20</noteMaskinellBehandling>
   <systemNavn orid="39007">Odoo</systemNavn>
  </opplysningerInnsending>
 </Innsender>
 <Skjemainnhold>
  <regnskapsperiode>
   <regnskapsaar orid="17102">{year}</regnskapsaar>
   <regnskapsstart orid="17103">{start}</regnskapsstart>
   <regnskapsslutt orid="17104">2025-12-31</regnskapsslutt>
  </regnskapsperiode>
  <konsern>{group}</konsern>
  <regnskapsprinsipper>
   <smaaForetak orid="8079">{small}</smaaForetak>
   <regnskapsreglerSelskap orid="25021">nei</regnskapsreglerSelskap>
  </regnskapsprinsipper>
  <fastsettelse>
   <fastsettelsedato orid="17105">2026-05-20</fastsettelsedato>
   <bekreftendeSelskapsrepresentant orid="19023">Kari Nordmann</bekreftendeSelskapsrepresentant>
  </fastsettelse>
  <revisjonRegnskapsfoerer>
   <aarsregnskapIkkeRevideres orid="34669">{not_audited}</aarsregnskapIkkeRevideres>
  </revisjonRegnskapsfoerer>
 </Skjemainnhold>
</melding>""".encode()


def underskjema(result=150000, assets=900000, equity_debt=None, transfers=None):
    equity_debt = assets if equity_debt is None else equity_debt
    transfers = result if transfers is None else transfers
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<melding {U} dataFormatId="758" dataFormatVersion="51980"
 tjenestehandling="aarsregnskap_vanlig_underskjema" tjeneste="regnskap">
 <Rapport-RR0002U>
  <aarsregnskap>
   <regnskapstype orid="25942">S</regnskapstype>
   <valuta orid="34984">NOK</valuta>
   <valoer orid="28974">H</valoer>
  </aarsregnskap>
 </Rapport-RR0002U>
 <Skjemainnhold-RR0002U>
  <resultatregnskapResultat>
   <resultat><aarsresultat><aarets orid="172">{result}</aarets></aarsresultat></resultat>
   <overfoeringer>
    <sumOverfoeringerOgDisponeringer><aarets orid="7071">{transfers}</aarets>
    </sumOverfoeringerOgDisponeringer>
   </overfoeringer>
  </resultatregnskapResultat>
  <balanseAnleggsmidlerOmloepsmidler>
   <sumEiendeler><aarets orid="219">{assets}</aarets></sumEiendeler>
  </balanseAnleggsmidlerOmloepsmidler>
  <balanseEgenkapitalGjeld>
   <sumEgenkapitalGjeld><aarets orid="251">{equity_debt}</aarets></sumEgenkapitalGjeld>
  </balanseEgenkapitalGjeld>
 </Skjemainnhold-RR0002U>
</melding>""".encode()


def brg_environment():
    """BRG's TT02 environment for Postman: variable -> value."""
    path = BRG_POSTMAN / "TT02 - RR0002 - Vanlig - AS.postman_environment.json"
    return {v["key"]: v["value"] for v in json.loads(path.read_text())["values"] if v["key"]}


@pytest.fixture(scope="session")
def rsa_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


@pytest.fixture(scope="session")
def sim_server():
    with running_simulator() as server:
        yield server


@pytest.fixture
def sim(sim_server, rsa_key):
    """A reset simulator that knows the vendor's Maskinporten client."""
    sim_server.state.reset()
    sim_server.state.config["scan_seconds"] = 0.2
    maskinporten.TOKEN_CACHE.clear()
    register_client(sim_server, rsa_key[1])
    yield sim_server
    maskinporten.TOKEN_CACHE.clear()


def register_client(server, public_pem, kid=KID, scopes=ALL_SCOPES):
    response = requests.post(
        f"{server.url}/_sim/clients",
        json={
            "client_id": CLIENT_ID,
            "kid": kid,
            "public_key_pem": public_pem,
            "scopes": scopes,
            "orgnr": VENDOR_ORGNR,
        },
        timeout=5,
    )
    response.raise_for_status()


def make_client(server, private_pem, **kwargs):
    env = altinn_environments.get_environment("simulator", simulator_url=server.url)
    kwargs.setdefault("timeout", (2, 5))
    return AltinnClient(env, CLIENT_ID, KID, private_pem, **kwargs)


REDIRECT_URL = "https://odoo.example/odoo"


def system_payload(client, redirect_urls=(REDIRECT_URL,)):
    return {
        "id": SYSTEM_ID,
        "vendor": {"authority": "iso6523-actorid-upis", "ID": f"0192:{VENDOR_ORGNR}"},
        "name": {"nb": "Odoo årsregnskap", "en": "Odoo annual accounts"},
        "description": {"nb": "Innsending av årsregnskap", "en": "Annual accounts filing"},
        "rights": client.app_rights(),
        "clientId": [CLIENT_ID],
        "allowedRedirectUrls": list(redirect_urls),
        "isVisible": True,
    }


def answer_request(answer, decision="approve"):
    """What the customer's daglig leder does on the confirm page."""
    page = requests.get(answer.confirm_url, timeout=5)
    assert "Approve" in page.text
    requests.post(answer.confirm_url, data={"decision": decision}, timeout=5).raise_for_status()


def approve_system_user(server, client, orgnr=CLIENT_ORGNR, decision="approve"):
    """Register the system, request a system user and answer it on the confirm page; the
    client's grants for ``orgnr`` carry the request's externalRef from then on."""
    if SYSTEM_ID not in server.state.systems:
        client.create_system(system_payload(client))
    answer = client.request_system_user(
        SYSTEM_ID, orgnr, f"ref-{orgnr}", client.app_rights(), REDIRECT_URL
    )
    answer_request(answer, decision)
    client.external_refs[orgnr] = answer.external_ref
    return answer


def sign(server, instance_id, signer="Kari Nordmann"):
    url = f"{server.url}{altinn_environments.SIM_INBOX}/{instance_id}"
    response = requests.post(url, data={"signer": signer}, timeout=5)
    response.raise_for_status()
    return response
