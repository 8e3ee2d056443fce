"""System-user requests, vendor side, and the page where the customer answers one
(Altinn/altinn-authentication ``RequestSystemUserController`` and
``RequestSystemUserService``). Requests have a ``kind``: ``standard`` now; the client system
user of a bureau (``agent``, ``vendor/agent`` routes) can be added beside it."""

import re
import uuid
from urllib.parse import urlsplit

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from ..altinn_environments import SIM_PLATFORM
from . import pages, problems
from .http import altinn_problem, fail_with, html_response, json_response, problem, read_json
from .maskinporten import require_token
from .platform import API
from .state import iso_now
from .system_register import resources, vendor_orgnr

REQUEST_WRITE_SCOPE = "altinn:authentication/systemuser.request.write"
REQUEST_READ_SCOPE = "altinn:authentication/systemuser.request.read"
ORGNR = re.compile(r"^\d{9}$")
# CONFIRMURL_STANDARD_REQUEST, under the simulator's platform prefix
CONFIRM_PATH = f"{SIM_PLATFORM}/accessmanagement/ui/systemuser/request"
PUBLIC_FIELDS = (
    "id",
    "integrationTitle",
    "externalRef",
    "systemId",
    "partyOrgNo",
    "rights",
    "accessPackages",
    "status",
    "redirectUrl",
    "escalated",
    "created",
)


def _vendor(sim, request, scope):
    claims = require_token(sim, request, "maskinporten", scope)
    if not claims.get("consumer"):
        fail_with(altinn_problem(problems.VENDOR_ORGNO_NOT_FOUND))
    return vendor_orgnr(claims)


def _answer(request, entry, status=200):
    """``RequestSystemResponse`` with the confirm URL the controller adds."""
    body = {key: entry.get(key) for key in PUBLIC_FIELDS}
    root = request.url_root.rstrip("/")
    body["confirmUrl"] = f"{root}{CONFIRM_PATH}?id={entry['id']}&DONTCHOOSEREPORTEE=true"
    headers = {"Location": f"{root}{API}/systemuser/request/{entry['id']}"} if status == 201 else {}
    return json_response(body, status, **headers)


def _by_external_ref(sim, system_id, orgnr, external_ref):
    for entry in sim.state.user_requests.values():
        if (
            not entry["deleted"]
            and entry["kind"] == "standard"
            and (entry["systemId"], entry["partyOrgNo"], entry["externalRef"])
            == (system_id, orgnr, external_ref)
        ):
            return entry
    return None


def _redirect_problem(system, redirect_url):
    """AuthenticationHelper.ValidateRedirectUrl: listed by scheme, host, port and path."""
    allowed = system.get("allowedRedirectUrls") or []
    if not allowed:
        return problems.NO_REDIRECT_URIS
    wanted = urlsplit(redirect_url)
    for url in allowed:
        listed = urlsplit(url)
        if (listed.scheme, listed.netloc, listed.path) == (
            wanted.scheme,
            wanted.netloc,
            wanted.path,
        ):
            return None
    return problems.REDIRECT_URI_NOT_FOUND


def _rights_problem(body, system):
    rights, packages = body.get("rights"), body.get("accessPackages")
    if rights is None and packages is None:
        return problems.RIGHTS_NOT_FOUND
    if not rights and not packages:
        return problems.MISSING_RIGHTS_OR_PACKAGES
    if rights and not resources(rights) <= resources(system.get("rights")):
        return problems.RIGHTS_NOT_FOUND  # SystemUserService.ValidateRights
    return None


def _binding_errors(body):
    """ASP.NET model binding of ``CreateRequestSystemUser``: required members, and the JSON
    types of the string and list members."""
    errors = {name: [f"The {name} field is required."] for name in ("systemId", "partyOrgNo")}
    errors = {name: text for name, text in errors.items() if not body.get(name)}
    for name in ("externalRef", "systemId", "partyOrgNo", "redirectUrl", "integrationTitle"):
        if body.get(name) is not None and not isinstance(body[name], str):
            errors[f"$.{name}"] = ["The JSON value could not be converted to System.String."]
    for name in ("rights", "accessPackages"):
        if body.get(name) is not None and not isinstance(body[name], list):
            errors[f"$.{name}"] = ["The JSON value could not be converted to a list."]
    return errors


def user_request_create(sim, request):
    vendor = _vendor(sim, request, REQUEST_WRITE_SCOPE)
    body = read_json(request)
    body = body if isinstance(body, dict) else {}
    errors = _binding_errors(body)
    if errors:
        return problem(400, "One or more validation errors occurred.", errors=errors)
    orgnr, system_id = str(body["partyOrgNo"]), body["systemId"]
    external_ref = body.get("externalRef") or orgnr
    with sim.state.lock:
        system = sim.state.systems.get(system_id)
        owned = system is not None and system["vendor"]["ID"] == f"0192:{vendor}"
        if any(
            (user["systemId"], user["partyOrgNo"], user["externalRef"])
            == (system_id, orgnr, external_ref)
            for user in sim.state.system_users.values()
        ):
            return altinn_problem(problems.SYSTEMUSER_ALREADY_EXISTS)
        existing = _by_external_ref(sim, system_id, orgnr, external_ref)
        if owned and existing and existing["status"] != "Timedout":
            return _answer(request, existing)  # the same request again, whatever its status
        if not owned:
            return altinn_problem(problems.SYSTEM_ID_NOT_FOUND)
        if not ORGNR.match(orgnr):
            return altinn_problem(problems.REPORTEE_ORGNO_NOT_FOUND)
        refused = body.get("redirectUrl") and _redirect_problem(system, body["redirectUrl"])
        refused = refused or _rights_problem(body, system)
        if refused:
            return altinn_problem(refused)
        entry = {
            "id": str(uuid.uuid4()),
            "kind": "standard",
            "integrationTitle": body.get("integrationTitle")
            or (system.get("name") or {}).get("nb"),
            "externalRef": external_ref,
            "systemId": system_id,
            "partyOrgNo": orgnr,
            "rights": body.get("rights") or [],
            "accessPackages": body.get("accessPackages") or [],
            "status": "New",
            "redirectUrl": body.get("redirectUrl"),
            "escalated": False,
            "created": iso_now(),
            "vendor": vendor,
            "deleted": False,
        }
        sim.state.user_requests[entry["id"]] = entry
    return _answer(request, entry, 201)


def _vendor_request(sim, vendor, request_id):
    entry = sim.state.user_requests.get(request_id)
    if entry is None or entry["deleted"] or entry["vendor"] != vendor:
        fail_with(altinn_problem(problems.REQUEST_NOT_FOUND))
    return entry


def user_request_status(sim, request, request_id):
    vendor = _vendor(sim, request, REQUEST_READ_SCOPE)
    with sim.state.lock:
        return _answer(request, _vendor_request(sim, vendor, request_id))


def user_request_by_ref(sim, request, system_id, orgnr, external_ref):
    vendor = _vendor(sim, request, REQUEST_READ_SCOPE)
    with sim.state.lock:
        entry = _by_external_ref(sim, system_id, orgnr, external_ref)
        if entry is None or entry["vendor"] != vendor:
            return altinn_problem(problems.REQUEST_NOT_FOUND)
        return _answer(request, entry)


def user_request_delete(sim, request, request_id):
    vendor = _vendor(sim, request, REQUEST_WRITE_SCOPE)
    with sim.state.lock:
        _vendor_request(sim, vendor, request_id)["deleted"] = True  # RequestRepository: is_deleted
    return Response(status=202)


def confirm_page(sim, request):
    """What the customer's daglig leder sees after logging in: approve or reject. A
    request no longer New cannot be answered again (AUTH-00013)."""
    with sim.state.lock:
        entry = sim.state.user_requests.get(request.args.get("id", ""))
        if not entry or entry["deleted"]:
            return html_response(pages.message("Unknown request", "No such request."), 404)
        if request.method == "POST":
            decision = request.form.get("decision")
            if decision not in ("approve", "reject"):
                return html_response(pages.message("Bad request", "Choose approve or reject."), 400)
            if entry["status"] != "New":
                return html_response(
                    pages.message("Not new", problems.REQUEST_STATUS_NOT_NEW[2]), 409
                )
            entry["status"] = "Accepted" if decision == "approve" else "Rejected"
            if decision == "approve":
                _create_system_user(sim, entry)
        system = sim.state.systems.get(entry["systemId"], {})
        return html_response(pages.confirm_request(entry, system))


def _create_system_user(sim, entry):
    user_id = str(uuid.uuid4())
    sim.state.system_users[user_id] = {
        "id": user_id,
        "systemId": entry["systemId"],
        "partyOrgNo": entry["partyOrgNo"],
        "externalRef": entry["externalRef"],
        "rights": entry["rights"],
        "requestId": entry["id"],
        "created": iso_now(),
    }


RULES = [
    Rule(f"{API}/systemuser/request/vendor", endpoint=user_request_create, methods=["POST"]),
    Rule(
        f"{API}/systemuser/request/vendor/<request_id>",
        endpoint=user_request_status,
        methods=["GET"],
    ),
    Rule(
        f"{API}/systemuser/request/vendor/<request_id>",
        endpoint=user_request_delete,
        methods=["DELETE"],
    ),
    Rule(
        f"{API}/systemuser/request/vendor/byexternalref/<system_id>/<orgnr>/<path:external_ref>",
        endpoint=user_request_by_ref,
        methods=["GET"],
    ),
    Rule(CONFIRM_PATH, endpoint=confirm_page, methods=["GET", "POST"]),
]
