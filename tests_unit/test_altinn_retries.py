"""Retries, time-outs and injected faults, client against the simulator."""

import time

import pytest
import requests
from test_altinn_support import CLIENT_ORGNR, approve_system_user, hovedskjema, make_client

from tools.altinn_client import AltinnError

pytest_plugins = ["test_altinn_support"]


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sim, rsa_key, sleeps):
    client = make_client(sim, rsa_key[0], sleep=sleeps.append, timeout=(5, 3))
    approve_system_user(sim, client)
    return client


def fault(sim, **spec):
    requests.post(f"{sim.url}/_sim/faults", json=spec, timeout=5).raise_for_status()


def calls(sim, endpoint):
    return [entry["status"] for entry in sim.state.log if entry["endpoint"] == endpoint]


def test_429_honours_retry_after(sim, client, sleeps):
    instance = client.create_instance(CLIENT_ORGNR)
    fault(sim, endpoint="instance", status=429, retry_after=7, count=1)
    assert client.get_instance(CLIENT_ORGNR, instance.id).id == instance.id
    assert calls(sim, "instance") == [429, 200]
    assert sleeps == [7]


def test_server_errors_back_off_then_succeed(sim, client, sleeps):
    instance = client.create_instance(CLIENT_ORGNR)
    fault(sim, endpoint="data", status=500, count=1)
    fault(sim, endpoint="data", status=503, count=1)
    element = instance.element_id("Hovedskjema")
    client.put_data(CLIENT_ORGNR, instance.id, element, hovedskjema())
    assert calls(sim, "data") == [500, 503, 201]
    assert sleeps[0] < sleeps[1]  # exponential


def test_dropped_connection_is_retried(sim, client, sleeps):
    instance = client.create_instance(CLIENT_ORGNR)
    fault(sim, endpoint="validate", drop=True, count=1)
    assert isinstance(client.validate(CLIENT_ORGNR, instance.id), list)
    assert calls(sim, "validate") == [0, 200]
    assert len(sleeps) == 1


def test_retries_are_bounded(sim, client, sleeps):
    instance = client.create_instance(CLIENT_ORGNR)
    fault(sim, endpoint="instance", status=503, count=50)
    with pytest.raises(AltinnError) as failed:
        client.get_instance(CLIENT_ORGNR, instance.id)
    assert failed.value.code == "server_error"
    assert failed.value.__cause__ is not None
    assert len(calls(sim, "instance")) == client.http.max_retries + 1


def test_instance_creation_is_not_retried(sim, client, sleeps):
    fault(sim, endpoint="instance_create", status=503, count=1)
    with pytest.raises(AltinnError) as failed:
        client.create_instance(CLIENT_ORGNR)
    assert failed.value.code == "server_error"
    assert calls(sim, "instance_create") == [503]
    assert sleeps == []


def test_timeout_on_creation_then_resume_the_same_instance(sim, client):
    # the app is slow but does create the instance; the client gives up waiting
    fault(sim, endpoint="instance_create", delay=6.0, count=1)
    with pytest.raises(AltinnError) as failed:
        client.create_instance(CLIENT_ORGNR)
    assert failed.value.code == "timeout"
    deadline = time.monotonic() + 10
    while not calls(sim, "instance_create") and time.monotonic() < deadline:
        time.sleep(0.05)
    active = client.active_instances(CLIENT_ORGNR)
    assert len(active) == 1 and len(calls(sim, "instance_create")) == 1
    assert client.get_instance(CLIENT_ORGNR, active[0]["id"]).filling


def test_expired_token_is_renewed_once(sim, client):
    instance = client.create_instance(CLIENT_ORGNR)
    tokens_before = len(calls(sim, "token"))
    fault(sim, endpoint="instance", expired_token=True, count=1)
    assert client.get_instance(CLIENT_ORGNR, instance.id).id == instance.id
    assert calls(sim, "instance") == [401, 200]
    assert len(calls(sim, "token")) == tokens_before + 1

    fault(sim, endpoint="instance", expired_token=True, count=2)
    with pytest.raises(AltinnError) as failed:
        client.get_instance(CLIENT_ORGNR, instance.id)
    assert failed.value.code == "forbidden"


def test_token_endpoint_is_retried_with_a_fresh_grant(sim, client, sleeps):
    fault(sim, endpoint="token", status=500, count=1)
    client.cache.clear()
    assert client.altinn_token(CLIENT_ORGNR)
    assert calls(sim, "token")[-2:] == [500, 200]


def test_connection_refused_is_connection_error(sim, rsa_key, sleeps):
    client = make_client(sim, rsa_key[0], sleep=sleeps.append)
    client.env = type(client.env)(**{**client.env.__dict__, "register_url": "http://127.0.0.1:9"})
    with pytest.raises(AltinnError) as failed:
        client.published_accounts(CLIENT_ORGNR)
    assert failed.value.code == "connection"
    assert len(sleeps) == client.http.max_retries
