"""Altinn platform: token exchange, system register, system-user requests and their
confirm page."""

import re
import uuid

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from ..altinn_environments import SIM_PLATFORM
from . import pages
from .http import fail, html_response, json_response, read_json
from .maskinporten import require_token, systemuser_orgnr
from .state import iso_now

API = f"{SIM_PLATFORM}/authentication/api/v1"
REGISTER_SCOPE = "altinn:authentication/systemregister.write"
REQUEST_WRITE_SCOPE = "altinn:authentication/systemuser.request.write"
REQUEST_READ_SCOPE = "altinn:authentication/systemuser.request.read"
ORGNR = re.compile(r"^\d{9}$")


def exchange(sim, request):
    """Maskinporten token in, Altinn token (plain-text JWT) out, expiring with it."""
    claims = require_token(sim, request, "maskinporten", None)
    orgnr = systemuser_orgnr(claims.get("authorization_details"))
    details = claims.get("authorization_details") or [{}]
    altinn_claims = {
        "iss": f"{request.url_root.rstrip('/')}{SIM_PLATFORM}/authentication/api/v1/openid/",
        "scope": claims["scope"],
        "client_id": claims["client_id"],
        "urn:altinn:orgNumber": claims["consumer"]["ID"].removeprefix("0192:"),
        "urn:altinn:systemuser:orgNumber": orgnr,
        "urn:altinn:systemuser:id": (details[0].get("systemuser_id") or [None])[0],
    }
    lifetime = max(1, int(claims["exp"] - claims["iat"]))
    token = sim.issuer.issue("altinn", altinn_claims, lifetime)
    return Response(token, content_type="text/plain; charset=utf-8")


def _vendor_orgnr(claims):
    return claims["consumer"]["ID"].removeprefix("0192:")


def _check_system(system, vendor_orgnr):
    """Problems of a system register entry, as the register would refuse it."""
    errors = []
    if not str(system.get("id", "")).startswith(f"{vendor_orgnr}_"):
        errors.append("id must be '<vendor orgnr>_<name>'")
    if (system.get("vendor") or {}).get("ID") != f"0192:{vendor_orgnr}":
        errors.append("vendor.ID must be '0192:<vendor orgnr>'")
    if not system.get("clientId"):
        errors.append("clientId must list at least one Maskinporten client")
    if not isinstance(system.get("name"), dict) or not system["name"]:
        errors.append("name must be a translation map")
    if not _resources(system.get("rights")):
        errors.append("rights must name at least one resource")
    return errors


def _resources(rights):
    return {
        res.get("value")
        for right in rights or []
        for res in right.get("resource") or []
        if res.get("id") == "urn:altinn:resource"
    }


def system_create(sim, request):
    claims = require_token(sim, request, "maskinporten", REGISTER_SCOPE)
    system = read_json(request) or {}
    errors = _check_system(system, _vendor_orgnr(claims))
    with sim.state.lock:
        if system.get("id") in sim.state.systems:
            errors.append("a system with this id exists; use PUT to update it")
        if errors:
            fail(400, "Invalid system", "; ".join(errors))
        sim.state.systems[system["id"]] = system
    return json_response(system["id"])


def system_update(sim, request, system_id):
    claims = require_token(sim, request, "maskinporten", REGISTER_SCOPE)
    with sim.state.lock:
        if system_id not in sim.state.systems:
            fail(404, "System not found")
        if request.method == "GET":
            return json_response(sim.state.systems[system_id])
        system = read_json(request) or {}
        errors = _check_system(system, _vendor_orgnr(claims))
        if system.get("id") != system_id:
            errors.append("id in the body differs from the URL")
        if errors:
            fail(400, "Invalid system", "; ".join(errors))
        sim.state.systems[system_id] = system
    return json_response(True)


def user_request_create(sim, request):
    require_token(sim, request, "maskinporten", REQUEST_WRITE_SCOPE)
    body = read_json(request) or {}
    with sim.state.lock:
        system = sim.state.systems.get(body.get("systemId"))
        if not system:
            fail(400, "Unknown systemId")
        if not ORGNR.match(str(body.get("partyOrgNo", ""))):
            fail(400, "partyOrgNo must be 9 digits")
        asked = _resources(body.get("rights"))
        if not asked or not asked <= _resources(system.get("rights")):
            fail(400, "rights must be among the system's rights")
        request_id = str(uuid.uuid4())
        entry = {
            "id": request_id,
            "externalRef": body.get("externalRef") or body["partyOrgNo"],
            "systemId": body["systemId"],
            "partyOrgNo": body["partyOrgNo"],
            "rights": body["rights"],
            "status": "New",
            "redirectUrl": body.get("redirectUrl"),
            "confirmUrl": f"{request.url_root.rstrip('/')}{CONFIRM_PATH}?id={request_id}",
            "created": iso_now(),
        }
        sim.state.user_requests[request_id] = entry
    return json_response(entry, 201)


def user_request_status(sim, request, request_id):
    require_token(sim, request, "maskinporten", REQUEST_READ_SCOPE)
    with sim.state.lock:
        entry = sim.state.user_requests.get(request_id)
        if not entry:
            fail(404, "Request not found")
        return json_response(entry)


def confirm_page(sim, request):
    """What the client's daglig leder sees after logging in: approve or reject."""
    with sim.state.lock:
        entry = sim.state.user_requests.get(request.args.get("id", ""))
        if not entry:
            return html_response(pages.message("Unknown request", "No such request."), 404)
        if request.method == "POST" and entry["status"] == "New":
            decision = request.form.get("decision")
            if decision not in ("approve", "reject"):
                return html_response(pages.message("Bad request", "Choose approve or reject."), 400)
            entry["status"] = "Accepted" if decision == "approve" else "Rejected"
        system = sim.state.systems.get(entry["systemId"], {})
        return html_response(pages.confirm_request(entry, system))


CONFIRM_PATH = f"{SIM_PLATFORM}/authfront/ui/auth/vendorrequest"

RULES = [
    Rule(f"{API}/exchange/maskinporten", endpoint=exchange, methods=["GET"]),
    Rule(f"{API}/systemregister/vendor", endpoint=system_create, methods=["POST"]),
    Rule(
        f"{API}/systemregister/vendor/<system_id>", endpoint=system_update, methods=["GET", "PUT"]
    ),
    Rule(f"{API}/systemuser/request/vendor", endpoint=user_request_create, methods=["POST"]),
    Rule(
        f"{API}/systemuser/request/vendor/<request_id>",
        endpoint=user_request_status,
        methods=["GET"],
    ),
    Rule(CONFIRM_PATH, endpoint=confirm_page, methods=["GET", "POST"]),
]
