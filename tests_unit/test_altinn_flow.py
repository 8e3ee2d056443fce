"""The filing flow, client against the simulator over real HTTP."""

import logging

import pytest
import requests
from test_altinn_support import (
    CLIENT_ORGNR,
    approve_system_user,
    hovedskjema,
    make_client,
    sign,
    underskjema,
)

from tools.altinn_client import AltinnError

pytest_plugins = ["test_altinn_support"]  # fixtures: rsa_key, sim_server, sim

PDF = b"%PDF-1.4\n% notes\n"


@pytest.fixture
def client(sim, rsa_key):
    client = make_client(sim, rsa_key[0])
    approve_system_user(sim, client)
    return client


def fill(client, instance, hoved=None, under=None):
    client.put_data(CLIENT_ORGNR, instance.id, instance.element_id("Hovedskjema"), hoved)
    client.put_data(CLIENT_ORGNR, instance.id, instance.element_id("Underskjema"), under)


def test_full_flow_to_signed_receipt(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    assert instance.filling and instance.task_type == "data"
    assert instance.raw["instanceOwner"]["organisationNumber"] == CLIENT_ORGNR
    assert instance.element_id("Hovedskjema") and instance.element_id("Underskjema")
    # medium-sized company: an attachment is required
    fill(client, instance, hovedskjema(small="nei"), underskjema())
    issues = client.validate(CLIENT_ORGNR, instance.id)
    assert [i["code"] for i in issues] == ["VAL_FileAttachments"]

    element = client.add_attachment(
        CLIENT_ORGNR, instance.id, "Noter og revisjonsberetning 2025.pdf", PDF, "application/pdf"
    )
    assert element["fileScanResult"] == "Pending"
    assert element["filename"] == "Noter og revisjonsberetning 2025.pdf"
    clean = client.wait_for_file_scan(CLIENT_ORGNR, instance.id, element["id"])
    assert clean["fileScanResult"] == "Clean"
    assert client.validate(CLIENT_ORGNR, instance.id) == []

    state = client.process_next(CLIENT_ORGNR, instance.id)
    assert state["currentTask"]["altinnTaskType"] == "signing"
    locked = client.get_instance(CLIENT_ORGNR, instance.id)
    assert locked.awaiting_signature
    assert all(d["locked"] for d in locked.raw["data"])
    assert client.download_receipt(CLIENT_ORGNR, instance.id) is None
    with pytest.raises(AltinnError) as refused:
        fill(client, instance, hovedskjema(), underskjema())
    assert refused.value.code == "forbidden"  # the policy grants no write while signing

    sign(sim, instance.id)
    done = client.get_instance(CLIENT_ORGNR, instance.id)
    assert done.ended and done.archived and done.signed and done.task_type is None
    receipt = client.download_receipt(CLIENT_ORGNR, instance.id)
    assert receipt.startswith(b"%PDF-") and receipt.rstrip().endswith(b"%%EOF")
    assert CLIENT_ORGNR.encode() in receipt


def test_attachment_with_non_ascii_name_and_infected_file(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    name = "Årsberetning «styret».pdf"
    element = client.add_attachment(CLIENT_ORGNR, instance.id, name, PDF, "application/pdf")
    assert element["filename"] == name
    eicar = sim.state.config["infected_marker"].encode() + b"-TEST-FILE!"
    bad = client.add_attachment(CLIENT_ORGNR, instance.id, "virus.pdf", eicar, "application/pdf")
    with pytest.raises(AltinnError) as infected:
        client.wait_for_file_scan(CLIENT_ORGNR, instance.id, bad["id"])
    assert infected.value.code == "file_infected"


def test_validation_issues_come_back_on_the_error(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    # another company's number and a period running into the wrong year
    fill(client, instance, hovedskjema(orgnr="987654321", year="2024"), underskjema())
    with pytest.raises(AltinnError) as failed:
        client.process_next(CLIENT_ORGNR, instance.id)
    assert failed.value.code == "validation_failed"
    codes = {i["code"] for i in failed.value.issues}
    assert codes == {"val_18", "VAL_17102"}
    assert all(i["severity"] == 1 for i in failed.value.issues)
    assert client.get_instance(CLIENT_ORGNR, instance.id).filling


def test_soft_balance_warning_does_not_stop_the_filing(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    fill(client, instance, hovedskjema(), underskjema(assets=900000, equity_debt=900005))
    [warning] = client.validate(CLIENT_ORGNR, instance.id)
    assert warning["code"] == "MYK_VAL_251" and warning["severity"] == 2
    state = client.process_next(CLIENT_ORGNR, instance.id)
    assert state["currentTask"]["altinnTaskType"] == "signing"


def test_a_form_the_apps_model_cannot_read_is_refused(sim, client):
    """app-lib ModelSerializationService: not XML, or not BRG's <melding>."""
    instance = client.create_instance(CLIENT_ORGNR)
    element = instance.element_id("Hovedskjema")
    for content, content_type, status in (
        (b"<melding><x/></melding>", "application/xml", 400),  # no namespace
        (b"<melding", "application/xml", 400),
        (hovedskjema(), "text/xml", 415),
    ):
        with pytest.raises(AltinnError) as refused:
            client.put_data(CLIENT_ORGNR, instance.id, element, content, content_type)
        assert refused.value.params["status"] == status


def test_register_lookup_before_and_after_approval(sim, client):
    assert client.published_accounts(CLIENT_ORGNR) == []
    instance = client.create_instance(CLIENT_ORGNR)
    # audited: BRG does not approve automatically
    fill(client, instance, hovedskjema(audited=True), underskjema(result=1234, assets=5678))
    element = client.add_attachment(CLIENT_ORGNR, instance.id, "rev.pdf", PDF, "application/pdf")
    client.wait_for_file_scan(CLIENT_ORGNR, instance.id, element["id"])
    client.process_next(CLIENT_ORGNR, instance.id)
    sign(sim, instance.id)
    assert client.published_accounts(CLIENT_ORGNR) == []

    decision = requests.post(
        f"{sim.url}/_sim/decisions/{instance.id}", json={"approved": True}, timeout=5
    )
    assert decision.json()["approved"] is True
    [accounts] = client.published_accounts(CLIENT_ORGNR)
    assert accounts["virksomhet"]["organisasjonsnummer"] == CLIENT_ORGNR
    assert accounts["regnskapsperiode"] == {"fraDato": "2025-01-01", "tilDato": "2025-12-31"}
    assert accounts["eiendeler"]["sumEiendeler"] == 5678
    assert accounts["journalnr"] and accounts["mottaksdag"]


def test_small_unaudited_as_is_approved_at_once(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    fill(client, instance, hovedskjema(), underskjema())
    client.process_next(CLIENT_ORGNR, instance.id)
    assert client.published_accounts(CLIENT_ORGNR) == []
    sign(sim, instance.id)
    assert len(client.published_accounts(CLIENT_ORGNR)) == 1


def test_no_secret_in_the_logs(sim, client, rsa_key, caplog):
    caplog.set_level(logging.DEBUG)
    test_full_flow_to_signed_receipt(sim, client)
    with pytest.raises(AltinnError) as failed:
        client.get_instance(CLIENT_ORGNR, "50100001/00000000-0000-0000-0000-000000000000")
    tokens = _tokens(client)
    assert len(tokens) >= 3  # admin, Maskinporten and Altinn tokens were cached
    secrets = [rsa_key[0], *tokens]
    secrets += [line for line in rsa_key[0].splitlines() if "PRIVATE" not in line][:3]
    text = caplog.text + repr(failed.value.details) + str(failed.value)
    text += "".join(repr(r.args) for r in caplog.records)
    assert caplog.records, "the flow should log"
    for secret in secrets:
        assert secret not in text
    assert "eyJ" not in text  # no JWT (token or assertion) at all


def _tokens(client):
    with client.cache._lock:
        return [token for token, _expires in client.cache._tokens.values()]


def test_brg_rejection_publishes_nothing(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    fill(client, instance, hovedskjema(audited=True), underskjema())
    element = client.add_attachment(CLIENT_ORGNR, instance.id, "r.pdf", PDF, "application/pdf")
    client.wait_for_file_scan(CLIENT_ORGNR, instance.id, element["id"])
    client.process_next(CLIENT_ORGNR, instance.id)
    too_early = requests.post(f"{sim.url}/_sim/decisions/{instance.id}", json={}, timeout=5)
    sign(sim, instance.id)
    reason = "Revisjonsberetning mangler"
    requests.post(
        f"{sim.url}/_sim/decisions/{instance.id}",
        json={"approved": False, "reason": reason},
        timeout=5,
    ).raise_for_status()
    [listed] = requests.get(f"{sim.url}/_sim/instances", timeout=5).json()
    assert listed["decision"]["approved"] is False and listed["decision"]["reason"] == reason
    assert client.published_accounts(CLIENT_ORGNR) == []
    assert too_early.status_code == 409  # BRG decides only on a signed filing


def test_request_log_redacts_authorization(sim, client):
    client.create_instance(CLIENT_ORGNR)
    log = requests.get(f"{sim.url}/_sim/requests", timeout=5).json()
    created = next(entry for entry in log if entry["endpoint"] == "instance_create")
    assert created["headers"]["Authorization"] == "<redacted>"
    assert created["method"] == "POST" and created["status"] == 201 and created["body_size"] > 0
    assert "eyJ" not in str(log)
