"""The control API under /_sim/ for tests and demos: clients, config, faults, decisions,
the request log, reset. Never subject to fault injection."""

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from werkzeug.routing import Rule

from . import register
from .http import fail, json_response, read_json
from .state import DEFAULT_CONFIG


def control_clients(sim, request):
    """Register a Maskinporten client: client_id, kid, public_key_pem, scopes, orgnr."""
    body = read_json(request) or {}
    try:
        key = load_pem_public_key(body["public_key_pem"].encode())
        entry = {"client_id": body["client_id"], "kid": body["kid"], "orgnr": body["orgnr"]}
    except (KeyError, ValueError, AttributeError) as exc:
        fail(400, "Bad client", f"client_id, kid, orgnr and public_key_pem are required ({exc})")
    scopes = body.get("scopes") or []
    scopes = set(scopes.split() if isinstance(scopes, str) else scopes)
    with sim.state.lock:
        client = sim.state.clients.setdefault(
            entry["client_id"], {"keys": {}, "scopes": set(), "orgnr": entry["orgnr"]}
        )
        client["keys"][entry["kid"]] = key
        client["scopes"] |= scopes
        client["orgnr"] = entry["orgnr"]
    return json_response({**entry, "scopes": sorted(client["scopes"])}, 201)


def control_user_request(sim, request, request_id):
    """Set a system-user request's status as Altinn would on its own: ``Timedout`` after
    180 days (RequestRepository), ``Denied`` after an escalation. Body ``{"status"}``."""
    body = read_json(request) or {}
    with sim.state.lock:
        entry = sim.state.user_requests.get(request_id)
        if entry is None:
            fail(404, "Not Found", "Request not found")
        if body.get("status") not in ("Timedout", "Denied"):
            fail(400, "Bad status", "status must be Timedout or Denied")
        entry["status"] = body["status"]
        return json_response(entry)


def control_config(sim, request):
    with sim.state.lock:
        if request.method == "POST":
            body = read_json(request) or {}
            unknown = set(body) - set(DEFAULT_CONFIG)
            if unknown:
                fail(400, "Unknown settings", ", ".join(sorted(unknown)))
            sim.state.config.update(body)
        return json_response(sim.state.config)


def control_faults(sim, request):
    """POST one fault ({endpoint, count, status, delay, drop, expired_token, retry_after});
    GET lists them; DELETE clears them."""
    with sim.state.lock:
        if request.method == "POST":
            fault = sim.state.add_fault(read_json(request) or {})
            return json_response(fault, 201)
        if request.method == "DELETE":
            sim.state.faults.clear()
        return json_response(sim.state.faults)


def control_requests(sim, request):
    with sim.state.lock:
        if request.method == "DELETE":
            sim.state.log.clear()
        return json_response(sim.state.log)


def control_reset(sim, request):
    sim.state.reset()
    return json_response({"reset": True})


def control_decision(sim, request, party, guid):
    """BRG's decision on a signed filing: {"approved": bool, "reason": str}."""
    body = read_json(request) or {}
    with sim.state.lock:
        inst = sim.state.instances.get(f"{party}/{guid}")
        if inst is None:
            fail(404, "Not Found", "Instance not found")
        register.decide(sim, inst, body.get("approved", True), body.get("reason", ""))
        return json_response(inst.decision)


def control_instances(sim, request):
    """Every instance with its owner, task and BRG decision."""
    with sim.state.lock:
        return json_response(
            [
                {
                    "id": i.doc["id"],
                    "orgnr": i.orgnr,
                    "task": i.current_task.get("name"),
                    "task_type": i.task_type,
                    "deleted": i.doc["status"]["isSoftDeleted"],
                    "ended": i.doc["process"]["ended"],
                    "decision": i.decision,
                }
                for i in sim.state.instances.values()
            ]
        )


RULES = [
    Rule("/_sim/clients", endpoint=control_clients, methods=["POST"]),
    Rule("/_sim/config", endpoint=control_config, methods=["GET", "POST"]),
    Rule("/_sim/faults", endpoint=control_faults, methods=["GET", "POST", "DELETE"]),
    Rule("/_sim/requests", endpoint=control_requests, methods=["GET", "DELETE"]),
    Rule("/_sim/reset", endpoint=control_reset, methods=["POST"]),
    Rule("/_sim/instances", endpoint=control_instances, methods=["GET"]),
    Rule("/_sim/user_requests/<request_id>", endpoint=control_user_request, methods=["POST"]),
    Rule("/_sim/decisions/<int:party>/<guid>", endpoint=control_decision, methods=["POST"]),
]
