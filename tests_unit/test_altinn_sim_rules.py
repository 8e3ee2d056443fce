"""The simulator's answers at the HTTP level, row by row of the conformance table in
docs/altinn-simulator.md: what the real services answer, codes and texts included."""

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
    hovedskjema,
    make_client,
    sign,
    system_payload,
    underskjema,
)

from tools import maskinporten

pytest_plugins = ["test_altinn_support"]

REQUESTS = "/platform/authentication/api/v1/systemuser/request/vendor"


@pytest.fixture
def client(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    approve_system_user(sim, client)
    return client


def admin(sim, client, method, path, **kwargs):
    token = client.maskinporten_token(maskinporten.SYSTEM_USER_SCOPE)
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return requests.request(method, f"{sim.url}{path}", headers=headers, timeout=5, **kwargs)


def app(sim, client, method, suffix, **kwargs):
    headers = {"Authorization": f"Bearer {client.altinn_token(CLIENT_ORGNR)}"}
    headers.update(kwargs.pop("headers", {}))
    url = f"{client.env.app_url}/instances/{suffix}"
    return requests.request(method, url, headers=headers, timeout=5, **kwargs)


def request_body(**changes):
    body = {
        "externalRef": "x1",
        "systemId": SYSTEM_ID,
        "partyOrgNo": "923456789",
        "rights": [
            {
                "resource": [
                    {"id": "urn:altinn:resource", "value": "app_brg_aarsregnskap-vanlig-202406"}
                ]
            }
        ],
    }
    return {**body, **changes}


@pytest.mark.parametrize(
    "changes, status, code",
    [
        ({"redirectUrl": "https://elsewhere.example/odoo"}, 400, "AUTH-00021"),
        ({"systemId": "910000001_other"}, 404, "AUTH-00011"),
        ({"partyOrgNo": "12345"}, 400, "AUTH-00000"),
        ({"rights": None}, 400, "AUTH-00001"),
        ({"rights": []}, 400, "AUTH-00059"),
        (
            {"rights": [{"resource": [{"id": "urn:altinn:resource", "value": "app_skd_other"}]}]},
            400,
            "AUTH-00001",
        ),
    ],
)
def test_system_user_request_refusals(sim, client, changes, status, code):
    answer = admin(sim, client, "POST", REQUESTS, json=request_body(**changes))
    assert answer.status_code == status
    problem = answer.json()
    assert problem["code"] == code and problem["type"] == f"urn:altinn:error:{code}"
    assert problem["status"] == status and problem["title"]


def test_system_user_request_lookups_and_delete(sim, client):
    created = admin(sim, client, "POST", REQUESTS, json=request_body())
    assert created.status_code == 201 and created.headers["Location"].endswith(created.json()["id"])
    assert "DONTCHOOSEREPORTEE=true" in created.json()["confirmUrl"]
    request_id = created.json()["id"]
    by_ref = admin(sim, client, "GET", f"{REQUESTS}/byexternalref/{SYSTEM_ID}/923456789/x1")
    assert by_ref.json()["id"] == request_id
    assert admin(sim, client, "DELETE", f"{REQUESTS}/{request_id}").status_code == 202
    gone = admin(sim, client, "GET", f"{REQUESTS}/{request_id}")
    assert gone.status_code == 404 and gone.json()["code"] == "AUTH-00010"
    assert admin(sim, client, "DELETE", f"{REQUESTS}/{request_id}").json()["code"] == "AUTH-00010"


def test_a_request_is_answered_once(sim, client):
    confirm = client.system_user_request(next(iter(sim.state.user_requests))).confirm_url
    again = requests.post(confirm, data={"decision": "reject"}, timeout=5)
    assert again.status_code == 409 and "not New" in again.text  # AUTH-00013


def test_system_register_checks(sim, client):
    token = client.maskinporten_token(maskinporten.SYSTEM_REGISTER_SCOPE)
    url = f"{sim.url}/platform/authentication/api/v1/systemregister/vendor"
    auth = {"Authorization": f"Bearer {token}"}
    other_vendor = {**system_payload(client), "id": "999999999_x", "clientId": ["new"]}
    other_vendor["vendor"] = {"authority": "iso6523-actorid-upis", "ID": "0192:999999999"}
    assert requests.post(url, json=other_vendor, headers=auth, timeout=5).status_code == 403
    bad = {**system_payload(client), "id": "odoo system", "clientId": [CLIENT_ID]}
    answer = requests.post(url, json=bad, headers=auth, timeout=5)
    codes = [e["code"] for e in answer.json()["validationErrors"]]
    assert answer.json()["code"] == "STD-00000" and codes == [
        "AUTH-00013",
        "AUTH-00001",
        "AUTH-00004",
    ]
    missing = requests.post(url, json={"id": "910000001_y"}, headers=auth, timeout=5)
    assert missing.status_code == 400 and "vendor" in missing.json()["errors"]
    unknown = requests.put(
        f"{url}/910000001_nope", json=system_payload(client), headers=auth, timeout=5
    )
    assert unknown.status_code == 404 and "not found" in unknown.text


def _grant(rsa_key, sim, details):
    now = int(time.time())
    claims = {
        "iss": CLIENT_ID,
        "aud": f"{sim.url}/maskinporten/",
        "scope": "altinn:instances.read",
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
        "authorization_details": details,
    }
    grant = jwt.encode(claims, rsa_key[0], algorithm="RS256", headers={"kid": KID})
    form = {"grant_type": maskinporten.GRANT_TYPE, "assertion": grant}
    return requests.post(f"{sim.url}/maskinporten/token", data=form, timeout=5).json()


@pytest.mark.parametrize(
    "detail, error, mp_id",
    [
        ({"type": "urn:altinn:consent"}, "invalid_request", "MP-301"),
        ({"type": "urn:altinn:systemuser", "reportee": "x"}, "invalid_request", "MP-302"),
        ({"externalRef": "wrong-ref"}, "invalid_altinn_customer_configuration", "MP-303"),
        ({}, "invalid_altinn_customer_configuration", "MP-303"),  # the request had a ref
    ],
)
def test_system_user_grants(sim, client, rsa_key, detail, error, mp_id):
    base = {
        "type": "urn:altinn:systemuser",
        "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": f"0192:{CLIENT_ORGNR}"},
    }
    answer = _grant(rsa_key, sim, [{**base, **detail}])
    assert answer["error"] == error and answer["error_description"].startswith(mp_id)
    right = _grant(rsa_key, sim, [{**base, "externalRef": f"ref-{CLIENT_ORGNR}"}])
    assert right["access_token"]


def test_attachment_refusals_as_the_app_answers_them(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    post = f"{instance.id}/data?dataType=Vedlegg"
    cases = [
        ({"Content-Type": "application/pdf"}, b"%PDF", "must include a Content-Disposition"),
        (
            {
                "Content-Type": "application/pdf",
                "Content-Disposition": 'attachment; filename="noter"',
            },
            b"%PDF",
            "Filename is expected to end with",
        ),
        (
            {"Content-Type": "text/plain", "Content-Disposition": 'attachment; filename="n.pdf"'},
            b"%PDF",
            "does not match mime type application/pdf",
        ),
        (
            {
                "Content-Type": "application/zip",
                "Content-Disposition": 'attachment; filename="n.zip"',
            },
            b"PK",
            "Permitted content types include: application/pdf",
        ),
        (
            {
                "Content-Type": "application/pdf",
                "Content-Disposition": 'attachment; filename="n.pdf"',
            },
            b"",
            "The file is zero bytes.",
        ),
    ]
    for headers, content, text in cases:
        answer = app(sim, client, "POST", post, headers=headers, data=content)
        assert answer.status_code == 400 and text in answer.text, answer.text
        assert answer.headers["Content-Type"].startswith("text/plain")  # the legacy endpoint
    sim.state.config["json_object_in_data_response"] = True
    answer = app(sim, client, "POST", post, headers=cases[1][0], data=b"%PDF")
    assert answer.json()[0]["code"] == "InvalidFileNameFormat"
    newer = app(
        sim, client, "POST", f"{instance.id}/data/Vedlegg", headers=cases[1][0], data=b"%PDF"
    )
    assert newer.json()["title"] == "File validation failed"
    assert newer.json()["uploadValidationIssues"][0]["code"] == "InvalidFileNameFormat"
    assert sim.state.instances[instance.id].elements("Vedlegg") == []


def test_data_element_rules(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    xml = {"Content-Type": "application/xml"}
    extra = app(
        sim, client, "POST", f"{instance.id}/data/Hovedskjema", headers=xml, data=hovedskjema()
    )
    assert extra.status_code == 409 and extra.json()["title"] == "Max Count Exceeded"
    unknown = app(sim, client, "POST", f"{instance.id}/data/Skjema", headers=xml, data=b"<x/>")
    assert unknown.status_code == 400 and unknown.json()["title"] == "Data Type Not Found"
    client.put_data(CLIENT_ORGNR, instance.id, instance.element_id("Hovedskjema"), hovedskjema())
    client.put_data(CLIENT_ORGNR, instance.id, instance.element_id("Underskjema"), underskjema())
    client.process_next(CLIENT_ORGNR, instance.id)
    sign(sim, instance.id)
    receipt = client.get_instance(CLIENT_ORGNR, instance.id).element_id("ref-data-as-pdf")
    written = app(sim, client, "PUT", f"{instance.id}/data/{receipt}", headers=xml, data=b"x")
    assert written.status_code == 403  # no write once signed, and never on the receipt


def test_instance_delete_and_process_rules(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    soft = app(sim, client, "DELETE", instance.id)
    assert soft.json()["status"]["isSoftDeleted"] and not soft.json()["status"]["isHardDeleted"]
    assert app(sim, client, "GET", f"{instance.party_id}/active").json() == []
    element = instance.element_id("Hovedskjema")
    put = app(
        sim,
        client,
        "PUT",
        f"{instance.id}/data/{element}",
        headers={"Content-Type": "application/xml"},
        data=hovedskjema(),
    )
    assert put.status_code == 409 and put.json()["title"] == "Instance Not Active"

    signed = client.create_instance(CLIENT_ORGNR)
    client.put_data(CLIENT_ORGNR, signed.id, signed.element_id("Hovedskjema"), hovedskjema())
    client.put_data(CLIENT_ORGNR, signed.id, signed.element_id("Underskjema"), underskjema())
    client.process_next(CLIENT_ORGNR, signed.id)
    bare = app(sim, client, "PUT", f"{signed.id}/process/next")
    assert bare.status_code == 403 and bare.json()["detail"].endswith(
        "Task type: signing. Action: none."
    )
    sign(sim, signed.id)
    ended = app(sim, client, "PUT", f"{signed.id}/process/next", json={"action": "confirm"})
    assert ended.status_code == 409 and ended.json()["detail"] == "Process is ended."
    sim.state.config["prevent_instance_deletion_for_days"] = 30
    prevented = app(sim, client, "DELETE", f"{signed.id}?hard=true")
    assert prevented.status_code == 403 and "application restrictions" in prevented.text
    sim.state.config["prevent_instance_deletion_for_days"] = None
    archived = app(sim, client, "DELETE", signed.id)  # Storage soft-deletes a signed one too
    assert archived.status_code == 200 and archived.json()["status"]["isArchived"]


def test_storage_query_needs_the_owner(sim, client):
    headers = {"Authorization": f"Bearer {client.altinn_token(CLIENT_ORGNR)}"}
    url = f"{sim.url}/platform/storage/api/v1/instances"
    assert requests.get(url, headers=headers, timeout=5).status_code == 400
    other = {**headers, "X-Ai-InstanceOwnerIdentifier": "organisation:923456789"}
    client.create_instance(CLIENT_ORGNR)
    assert requests.get(url, headers=other, timeout=5).json()["instances"] == []
