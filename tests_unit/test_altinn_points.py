"""Issue 12, one test per numbered point: the product's client against the strict simulator
over real HTTP. Each failed on the client as it was before (see the issue)."""

import time

import pytest
import requests
from test_altinn_support import (
    CLIENT_ORGNR,
    REDIRECT_URL,
    SYSTEM_ID,
    answer_request,
    approve_system_user,
    hovedskjema,
    make_client,
    sign,
    system_payload,
    underskjema,
)

from tools.altinn_client import AltinnError

pytest_plugins = ["test_altinn_support"]

PDF = b"%PDF-1.4\n% notes\n"
GROUP = underskjema(result=900, assets=5000).replace(b'orid="25942">S<', b'orid="25942">K<')


@pytest.fixture
def client(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    approve_system_user(sim, client)
    return client


def log(sim, endpoint):
    return [entry for entry in sim.state.log if entry["endpoint"] == endpoint]


def fill(client, instance, hoved=None):
    client.put_data(
        CLIENT_ORGNR, instance.id, instance.element_id("Hovedskjema"), hoved or hovedskjema()
    )
    client.put_data(CLIENT_ORGNR, instance.id, instance.element_id("Underskjema"), underskjema())


def test_point_1_redirect_url_only_when_the_system_lists_it(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    client.create_system(system_payload(client, redirect_urls=()))
    # registered without allowedRedirectUrls: Altinn refuses the URL (AUTH-00026); the
    # client asks again without one
    answer = client.request_system_user(
        SYSTEM_ID, CLIENT_ORGNR, "r1", client.app_rights(), REDIRECT_URL
    )
    assert answer.new and answer.raw["redirectUrl"] is None
    assert [e["status"] for e in log(sim, "user_request_create")] == [400, 201]

    client.update_system(SYSTEM_ID, system_payload(client))
    listed = client.request_system_user(
        SYSTEM_ID, "923456789", "r2", client.app_rights(), f"{REDIRECT_URL}?company=7"
    )
    assert listed.raw["redirectUrl"] == f"{REDIRECT_URL}?company=7"  # the query does not count
    with pytest.raises(AltinnError) as refused:
        client.create_system(
            {
                **system_payload(client),
                "id": f"{SYSTEM_ID}2",
                "allowedRedirectUrls": ["http://odoo.example/odoo"],
            }
        )
    assert refused.value.params["problem"] == "STD-00000"  # AUTH-00005: https only


def test_point_2_grant_carries_the_requests_external_ref(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    answer = approve_system_user(sim, client)
    assert answer.external_ref == f"ref-{CLIENT_ORGNR}"
    assert client.altinn_token(CLIENT_ORGNR)
    other = make_client(sim, rsa_key[0], cache=type(client.cache)())
    with pytest.raises(AltinnError) as refused:
        other.altinn_token(CLIENT_ORGNR)  # no externalRef in the grant
    assert refused.value.code == "systemuser_not_found"
    assert refused.value.params["mp_id"] == "MP-303"


def test_point_3_form_upload_accepts_201_and_200(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    element = client.put_data(
        CLIENT_ORGNR, instance.id, instance.element_id("Hovedskjema"), hovedskjema()
    )
    assert element["dataType"] == "Hovedskjema" and log(sim, "data")[-1]["status"] == 201
    sim.state.config["changed_fields_on_put"] = {"melding.x": "1"}
    changed = client.put_data(
        CLIENT_ORGNR, instance.id, instance.element_id("Underskjema"), underskjema()
    )
    assert changed["changedFields"] and log(sim, "data")[-1]["status"] == 200


def test_point_4_process_next_confirms_and_names_the_refusal(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    fill(client, instance)
    state = client.process_next(CLIENT_ORGNR, instance.id)
    assert state["currentTask"]["altinnTaskType"] == "signing"
    [call] = log(sim, "process_next")
    assert call["body_size"] == len(b'{"action": "confirm"}')
    with pytest.raises(AltinnError) as refused:  # a system user cannot sign
        client.process_next(CLIENT_ORGNR, instance.id, action="sign")
    assert refused.value.code == "action_not_allowed"
    assert refused.value.params == {
        "action": "sign",
        "task_type": "signing",
        "task_id": "Task_2",
        "status": 403,
    }
    # BRG's policy is unpublished: if it does not grant confirm, a bare next goes through write
    sim.state.config["system_user_actions"]["data"].remove("confirm")
    other = client.create_instance(CLIENT_ORGNR)
    fill(client, other)
    client.process_next(CLIENT_ORGNR, other.id)
    assert [c["status"] for c in log(sim, "process_next")][-2:] == [403, 200]


def test_point_5_step_from_task_type_not_task_name(sim, client):
    sim.state.config["task_names"] = {"Task_1": "Fyll ut skjema", "Task_2": "Signer skjema"}
    instance = client.create_instance(CLIENT_ORGNR)
    assert instance.filling and not instance.awaiting_signature
    fill(client, instance)
    client.process_next(CLIENT_ORGNR, instance.id)
    waiting = client.get_instance(CLIENT_ORGNR, instance.id)
    assert waiting.awaiting_signature and not waiting.filling and not waiting.signed
    sign(sim, instance.id)
    assert client.get_instance(CLIENT_ORGNR, instance.id).signed


def test_point_6_group_accounts_as_a_second_underskjema(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    fill(client, instance, hovedskjema(parent=True, group_accounts=True))
    codes = [i["code"] for i in client.validate(CLIENT_ORGNR, instance.id)]
    assert codes == ["VAL_Konsernregnskap"]  # konsernregnskap = ja, no group accounts yet
    element = client.add_form(CLIENT_ORGNR, instance.id, "Underskjema", GROUP)
    assert element["dataType"] == "Underskjema" and log(sim, "data_post")[-1]["status"] == 200
    stored = client.get_instance(CLIENT_ORGNR, instance.id)
    assert [e["id"] for e in stored.elements("Underskjema")][1] == element["id"]
    assert client.validate(CLIENT_ORGNR, instance.id) == []
    with pytest.raises(AltinnError) as third:
        client.add_form(CLIENT_ORGNR, instance.id, "Underskjema", GROUP)
    assert third.value.code == "conflict"  # Max Count Exceeded
    assert (
        client.process_next(CLIENT_ORGNR, instance.id)["currentTask"]["altinnTaskType"] == "signing"
    )


def test_point_7_cancel_reads_first_and_hard_deletes(sim, client):
    unsigned = client.create_instance(CLIENT_ORGNR)
    deleted = client.delete_unsigned_instance(CLIENT_ORGNR, unsigned.id)
    assert deleted.deleted and deleted.raw["status"]["isHardDeleted"]
    again = client.get_instance(CLIENT_ORGNR, unsigned.id)  # Storage still answers 200
    assert again.deleted and not again.filling
    assert client.active_instances(CLIENT_ORGNR) == []

    signed = client.create_instance(CLIENT_ORGNR)
    fill(client, signed)
    client.process_next(CLIENT_ORGNR, signed.id)
    sign(sim, signed.id)
    with pytest.raises(AltinnError) as refused:
        client.delete_unsigned_instance(CLIENT_ORGNR, signed.id)
    assert refused.value.code == "instance_signed"
    assert not client.get_instance(CLIENT_ORGNR, signed.id).deleted
    assert [e["method"] for e in log(sim, "instance")].count("DELETE") == 1


def test_point_8_attachments_checked_before_sending(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    refused = {}
    for name, content, content_type in (
        ("Noter", PDF, "application/pdf"),
        ("noter.pdf", PDF, "application/octet-stream"),
        ("noter.docx", PDF, "application/pdf"),
        ("noter.pdf", b"", "application/pdf"),
        ("noter.pdf", b"%PDF" + b"0" * 31 * 1024 * 1024, "application/pdf"),
    ):
        with pytest.raises(AltinnError) as error:
            client.add_attachment(CLIENT_ORGNR, instance.id, name, content, content_type)
        assert error.value.code == "attachment_refused"
        refused[name, len(content)] = error.value.params["reason"]
    assert sorted(refused.values()) == [
        "empty",
        "no_extension",
        "too_large",
        "type_mismatch",
        "type_not_allowed",
    ]
    assert log(sim, "data_post") == []  # nothing went to Altinn
    element = client.add_attachment(
        CLIENT_ORGNR, instance.id, "Noter 2025.pdf", PDF, "application/pdf"
    )
    assert element["filename"] == "Noter 2025.pdf"


def test_point_9_asking_again(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    client.create_system(system_payload(client))
    rights = client.app_rights()
    first = client.request_system_user(SYSTEM_ID, CLIENT_ORGNR, "odoo-1", rights)
    same = client.request_system_user(SYSTEM_ID, CLIENT_ORGNR, "odoo-1", rights)
    assert first.new and not same.new and same.id == first.id  # 201, then 200
    answer_request(first, "reject")
    assert (
        client.request_system_user(SYSTEM_ID, CLIENT_ORGNR, "odoo-1", rights).status == "Rejected"
    )

    renewed = client.renew_system_user_request(first.id, SYSTEM_ID, CLIENT_ORGNR, "odoo-2", rights)
    assert renewed.new and renewed.status == "New" and renewed.id != first.id
    assert client.find_system_user_request(SYSTEM_ID, CLIENT_ORGNR, "odoo-1") is None  # deleted
    assert (
        client.renew_system_user_request(renewed.id, SYSTEM_ID, CLIENT_ORGNR, "odoo-3", rights).id
        == renewed.id
    )

    answer_request(renewed)
    with pytest.raises(AltinnError) as exists:
        client.request_system_user(SYSTEM_ID, CLIENT_ORGNR, "odoo-2", rights)
    assert exists.value.code == "systemuser_exists"  # AUTH-00004

    timed_out = client.request_system_user(SYSTEM_ID, "923456789", "odoo-9", rights)
    requests.post(
        f"{sim.url}/_sim/user_requests/{timed_out.id}", json={"status": "Timedout"}, timeout=5
    )
    fresh = client.request_system_user(SYSTEM_ID, "923456789", "odoo-9", rights)
    assert fresh.new and fresh.id != timed_out.id  # a timed-out request is not answered again


def test_point_10_resume_after_a_lost_create_without_parties(sim, rsa_key):
    client = make_client(sim, rsa_key[0], timeout=(5, 3))
    approve_system_user(sim, client)
    requests.post(
        f"{sim.url}/_sim/faults",
        json={"endpoint": "parties", "status": 403, "count": 99},
        timeout=5,
    )
    requests.post(
        f"{sim.url}/_sim/faults", json={"endpoint": "instance_create", "delay": 6.0}, timeout=5
    )
    with pytest.raises(AltinnError) as lost:
        client.create_instance(CLIENT_ORGNR)
    assert lost.value.code == "timeout"
    deadline = time.monotonic() + 10
    while not sim.state.instances and time.monotonic() < deadline:
        time.sleep(0.05)
    [found] = client.active_instances(CLIENT_ORGNR)
    assert client.get_instance(CLIENT_ORGNR, found["id"]).filling
    party = found["id"].split("/")[0]
    assert [a["id"] for a in client.active_instances(CLIENT_ORGNR, party)] == [found["id"]]
    assert log(sim, "parties") == []


@pytest.mark.parametrize(
    "change, code, mp_id",
    [
        ("key", "mp_key_rejected", "MP-124"),
        ("client_id", "mp_unknown_client", "MP-100"),
        ("kid", "mp_key_rejected", "MP-120"),
    ],
)
def test_maskinporten_refusals_come_back_as_codes(sim, rsa_key, change, code, mp_id):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    client = make_client(sim, stranger if change == "key" else rsa_key[0])
    if change == "client_id":
        client.client_id = "typo-client"
    if change == "kid":
        client.kid = "other-key"
    with pytest.raises(AltinnError) as refused:
        client.maskinporten_token("altinn:instances.read")
    assert refused.value.code == code
    assert refused.value.params["mp_id"] == mp_id
    assert refused.value.params["client_id"] == client.client_id
    assert "eyJ" not in repr(refused.value.params)  # no grant or token in what comes back
