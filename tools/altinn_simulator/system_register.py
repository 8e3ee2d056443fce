"""Altinn's system register, vendor side (Altinn/altinn-authentication
``src/Authentication/Controllers/SystemRegisterController.cs``)."""

import re
import uuid
from urllib.parse import urlsplit

from werkzeug.routing import Rule

from . import problems
from .http import altinn_problem, fail_with, json_response, problem, read_json, text_response
from .maskinporten import require_token
from .platform import API

REGISTER_SCOPE = "altinn:authentication/systemregister.write"
ORG_IDENTIFIER = re.compile(r"^0192:")  # AuthenticationHelper.IsValidOrgIdentifier
REQUIRED = ("id", "vendor", "name", "description")
PATH = "/registersystemrequest/"  # ErrorPathConstant


def vendor_orgnr(claims):
    return claims["consumer"]["ID"].removeprefix("0192:")


def resources(rights):
    return {
        res.get("value")
        for right in rights or []
        for res in right.get("resource") or []
        if res.get("id") == "urn:altinn:resource"
    }


def _validation_problem(errors):
    """STD-00000 with ``validationErrors`` (Altinn.Authorization.ProblemDetails)."""
    validation = [{"code": code, "title": title, "paths": paths} for (code, title), paths in errors]
    return altinn_problem(problems.VALIDATION_PROBLEM, validationErrors=validation)


def _model_errors(system):
    """ASP.NET's model binding: ``required`` members missing -> 400 before the action."""
    missing = [name for name in REQUIRED if not system.get(name)]
    if not missing:
        return None
    errors = {name: [f"The {name} field is required."] for name in missing}
    return problem(400, "One or more validation errors occurred.", errors=errors)


def _rights_errors(system):
    rights = system.get("rights") or []
    ids = [res.get("id") for right in rights for res in right.get("resource") or []]
    if any(res_id != "urn:altinn:resource" for res_id in ids):
        return [(problems.INVALID_RESOURCE_ID, [PATH + "rights"])]
    return []


def _client_ids_taken(sim, system, own_id=None):
    """A client id of ``system`` already on a system (other than ``own_id``, on update)."""
    others = [s for s in sim.state.systems.values() if s["id"] != own_id]
    taken = {client for other in others for client in other.get("clientId") or []}
    return bool(taken & set(system.get("clientId") or []))


def _https(url):
    parts = urlsplit(str(url))
    return parts.scheme == "https" and bool(parts.netloc)


def system_create(sim, request):
    claims = require_token(sim, request, "maskinporten", REGISTER_SCOPE)
    system = read_json(request) or {}
    invalid = _model_errors(system)
    if invalid:
        return invalid
    vendor_id = (system.get("vendor") or {}).get("ID", "")
    if not ORG_IDENTIFIER.match(vendor_id):
        return _validation_problem([(problems.INVALID_ORG_IDENTIFIER, [PATH + "vendor/id"])])
    errors = []
    with sim.state.lock:
        if " " in system["id"]:
            errors.append((problems.SYSTEM_ID_SPACES, [PATH + "systemid"]))
        if system["id"].split("_")[0] != vendor_id.removeprefix("0192:"):
            errors.append((problems.INVALID_SYSTEM_ID_FORMAT, [PATH + "systemid"]))
        if system["id"] in sim.state.systems:
            errors.append((problems.SYSTEM_ID_EXISTS, [PATH + "systemid"]))
        if not all(_https(url) for url in system.get("allowedRedirectUrls") or []):
            errors.append((problems.INVALID_REDIRECT_URL, [PATH + "allowedredirecturls"]))
        if _client_ids_taken(sim, system):
            errors.append((problems.CLIENT_ID_EXISTS, [PATH + "clientid"]))
        errors += _rights_errors(system)
        if vendor_orgnr(claims) != vendor_id.removeprefix("0192:"):
            return text_response("", 403)  # Forbid(): the token's org is not the vendor
        if errors:
            return _validation_problem(errors)
        entry = {"isVisible": True, "allowedRedirectUrls": [], "clientId": [], **system}
        entry["internalId"] = str(uuid.uuid4())
        sim.state.systems[system["id"]] = entry
    return json_response(entry["internalId"])


def _own_system(sim, claims, system_id):
    system = sim.state.systems.get(system_id)
    if system is None:
        fail_with(text_response(f"System with ID '{system_id}' not found.", 404))
    if system["vendor"]["ID"] != f"0192:{vendor_orgnr(claims)}":
        fail_with(text_response("", 403))
    return system


def system_read(sim, request, system_id):
    claims = require_token(sim, request, "maskinporten", REGISTER_SCOPE)
    with sim.state.lock:
        return json_response(_own_system(sim, claims, system_id))


def system_update(sim, request, system_id):
    claims = require_token(sim, request, "maskinporten", REGISTER_SCOPE)
    proposed = read_json(request) or {}
    invalid = _model_errors(proposed)
    if invalid:
        return invalid
    with sim.state.lock:
        current = _own_system(sim, claims, system_id)
        if (proposed.get("vendor") or {}).get("ID") != current["vendor"]["ID"]:
            return text_response(f"System with ID '{system_id}' not found.", 404)
        if proposed["id"] != system_id:
            return _validation_problem([(problems.SYSTEM_ID_MISMATCH, [PATH + "systemid"])])
        errors = _rights_errors(proposed)
        if _client_ids_taken(sim, proposed, own_id=system_id):
            errors.append((problems.CLIENT_ID_EXISTS, [PATH + "clientid"]))
        if errors:
            return _validation_problem(errors)
        entry = {"isVisible": True, "allowedRedirectUrls": [], "clientId": [], **proposed}
        entry["internalId"] = current["internalId"]
        sim.state.systems[system_id] = entry
    return json_response({"succeeded": True})


RULES = [
    Rule(f"{API}/systemregister/vendor", endpoint=system_create, methods=["POST"]),
    Rule(f"{API}/systemregister/vendor/<system_id>", endpoint=system_read, methods=["GET"]),
    Rule(f"{API}/systemregister/vendor/<system_id>", endpoint=system_update, methods=["PUT"]),
]
