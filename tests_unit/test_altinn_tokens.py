"""Maskinporten grant, token cache and exchange, system set-up, and the simulator's checks."""

import time
import uuid

import jwt
import pytest
import requests
from test_altinn_support import (
    CLIENT_ID,
    CLIENT_ORGNR,
    KID,
    SYSTEM_ID,
    approve_system_user,
    make_client,
    system_payload,
)

from tools import maskinporten
from tools.altinn_client import AltinnError

pytest_plugins = ["test_altinn_support"]

AUD = "https://test.maskinporten.no/"


def test_grant_claims_and_signature(rsa_key):
    before = int(time.time())
    grant = maskinporten.build_grant(CLIENT_ID, KID, rsa_key[0], AUD, "a:b c:d", "912345678")
    header = jwt.get_unverified_header(grant)
    assert header["alg"] == "RS256" and header["kid"] == KID
    claims = jwt.decode(grant, rsa_key[1], algorithms=["RS256"], audience=AUD)
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["scope"] == "a:b c:d"
    assert before <= claims["iat"] <= time.time()
    assert 0 < claims["exp"] - claims["iat"] <= 120
    uuid.UUID(claims["jti"])
    assert claims["authorization_details"] == [
        {
            "type": "urn:altinn:systemuser",
            "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": "0192:912345678"},
        }
    ]
    other = maskinporten.build_grant(CLIENT_ID, KID, rsa_key[0], AUD, "a:b")
    assert "authorization_details" not in jwt.decode(other, options={"verify_signature": False})
    assert jwt.decode(other, options={"verify_signature": False})["jti"] != claims["jti"]


def test_token_cache_reuse_and_expiry(sim, rsa_key):
    now = [1000.0]
    client = make_client(sim, rsa_key[0], clock=lambda: now[0])
    approve_system_user(sim, client)
    first = client.altinn_token(CLIENT_ORGNR)
    assert client.altinn_token(CLIENT_ORGNR) == first
    # another client object in the same process shares the cache
    other = make_client(sim, rsa_key[0], clock=lambda: now[0], external_refs=client.external_refs)
    assert other.altinn_token(CLIENT_ORGNR) == first
    # one token per admin scope set (register, requests) and one for the client's system user
    assert _count(sim, "token") == 3 and _count(sim, "exchange") == 1

    now[0] += sim.state.config["token_lifetime"] - 10  # inside the renewal margin
    assert client.altinn_token(CLIENT_ORGNR) != first
    assert _count(sim, "token") == 4 and _count(sim, "exchange") == 2


def test_exchange_gives_an_altinn_token_for_the_system_user(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    approve_system_user(sim, client)
    token = client.altinn_token(CLIENT_ORGNR)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["urn:altinn:systemuser:orgNumber"] == CLIENT_ORGNR
    assert claims["scope"] == maskinporten.FILING_SCOPE
    # the simulator takes only tokens it issued
    forged = jwt.encode({**claims, "exp": time.time() + 60}, rsa_key[0], algorithm="RS256")
    url = f"{client.env.app_url}/instances"
    body = {"instanceOwner": {"organisationNumber": CLIENT_ORGNR}}
    answer = requests.post(url, json=body, headers={"Authorization": f"Bearer {forged}"}, timeout=5)
    assert answer.status_code == 401


def test_altinn2_enterprise_user_header_is_gone(sim, rsa_key):
    env = make_client(sim, rsa_key[0]).env
    answer = requests.get(
        f"{env.platform_url}/authentication/api/v1/exchange/maskinporten",
        headers={"X-Altinn-EnterpriseUser-Authentication": "dXNlcjpwYXNz"},
        timeout=5,
    )
    assert answer.status_code == 410


def test_system_register_and_user_request_statuses(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    assert (
        client.create_system(system_payload(client)) == sim.state.systems[SYSTEM_ID]["internalId"]
    )
    renamed = {**system_payload(client), "name": {"nb": "Nytt navn"}}
    client.update_system(SYSTEM_ID, renamed)
    assert sim.state.systems[SYSTEM_ID]["name"] == {"nb": "Nytt navn"}
    with pytest.raises(AltinnError) as duplicate:
        client.create_system(system_payload(client))
    assert duplicate.value.code == "bad_request"
    assert duplicate.value.params["problem"] == "STD-00000"

    answer = client.request_system_user(SYSTEM_ID, CLIENT_ORGNR, "ref-1", client.app_rights())
    assert answer.new and answer.status == "New" and answer.confirm_url.startswith(sim.url)
    assert client.system_user_request(answer.id).status == "New"
    # no token for the client before its system user is approved
    client.external_refs[CLIENT_ORGNR] = "ref-1"
    with pytest.raises(AltinnError) as refused:
        client.altinn_token(CLIENT_ORGNR)
    assert refused.value.code == "systemuser_not_found"
    assert refused.value.params["mp_id"] == "MP-303"
    assert refused.value.params["orgnr"] == CLIENT_ORGNR

    requests.post(answer.confirm_url, data={"decision": "approve"}, timeout=5)
    assert client.system_user_request(answer.id).status == "Accepted"
    assert client.altinn_token(CLIENT_ORGNR)

    rejected = approve_system_user(sim, client, orgnr="998877665", decision="reject")
    assert client.system_user_request(rejected.id).status == "Rejected"
    with pytest.raises(AltinnError):
        client.altinn_token("998877665")


def _post_grant(sim, grant):
    return requests.post(
        f"{sim.url}/maskinporten/token",
        data={"grant_type": maskinporten.GRANT_TYPE, "assertion": grant},
        timeout=5,
    )


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"aud": "https://maskinporten.no/"}, "MP-110"),
        ({"iat": -300, "exp": -200}, "MP-130"),
        ({"exp": 200}, "120 s after iat"),
        ({"scope": "altinn:superuser"}, "MP-200"),
    ],
)
def test_simulator_refuses_bad_grants(sim, rsa_key, change, reason):
    now = int(time.time())
    claims = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": f"{sim.url}/maskinporten/",
        "scope": "altinn:instances.read",
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
    }
    for key, value in change.items():
        claims[key] = now + value if key in ("iat", "exp") else value
    grant = jwt.encode(claims, rsa_key[0], algorithm="RS256", headers={"kid": KID})
    answer = _post_grant(sim, grant)
    assert answer.status_code == 400
    assert reason in answer.json()["error_description"]
    assert answer.json()["error"] in ("invalid_grant", "invalid_scope")


def test_simulator_refuses_reused_jti_and_unknown_kid(sim, rsa_key):
    aud = f"{sim.url}/maskinporten/"
    grant = maskinporten.build_grant(CLIENT_ID, KID, rsa_key[0], aud, "altinn:instances.read")
    assert _post_grant(sim, grant).status_code == 200
    replay = _post_grant(sim, grant)
    assert replay.status_code == 400 and "MP-012" in replay.json()["error_description"]

    unknown = maskinporten.build_grant(CLIENT_ID, "other", rsa_key[0], aud, "altinn:instances.read")
    answer = _post_grant(sim, unknown)
    assert answer.status_code == 400 and "MP-120" in answer.json()["error_description"]


def test_simulator_checks_the_signature(sim):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    aud = f"{sim.url}/maskinporten/"
    grant = maskinporten.build_grant(CLIENT_ID, KID, stranger, aud, "altinn:instances.read")
    answer = _post_grant(sim, grant)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert answer.json()["error_description"].startswith("MP-124")


def test_unusable_key_is_a_clear_error(sim):
    client = make_client(sim, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    with pytest.raises(AltinnError) as failed:
        client.maskinporten_token("altinn:instances.read")
    assert failed.value.code == "key_unusable" and failed.value.__cause__ is not None
    assert "nope" not in repr(failed.value.details)


def _count(sim, endpoint):
    return sum(1 for entry in sim.state.log if entry["endpoint"] == endpoint)
