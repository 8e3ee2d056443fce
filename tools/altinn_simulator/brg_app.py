"""The BRG annual-accounts app (Altinn 3 app library API, paths under /{org}/{app}/)."""

import time
import uuid

from lxml import etree
from werkzeug.http import parse_options_header
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from ..altinn_environments import SIM_APPS
from . import brg_checks
from .http import fail, json_response, problem, read_json
from .maskinporten import require_token
from .state import SimInstance, iso_now

READ, WRITE = "altinn:instances.read", "altinn:instances.write"
FORMS = ("Hovedskjema", "Underskjema")
XML_TYPES = ("application/xml", "text/xml")
APP = f"{SIM_APPS}/<org>/<app>"
INSTANCE = f"{APP}/instances/<int:party>/<guid>"


def _acting_orgnr(claims):
    return claims.get("urn:altinn:systemuser:orgNumber") or claims.get("urn:altinn:orgNumber")


def _authorise(sim, request, org, app, orgnr, scope):
    """The token's party must be the owner, and a system user must hold the app's right."""
    claims = require_token(sim, request, "altinn", scope)
    if _acting_orgnr(claims) != orgnr:
        fail(403, "Forbidden", "The token does not represent the instance owner.")
    user_id = claims.get("urn:altinn:systemuser:id")
    if user_id:
        with sim.state.lock:
            rights = sim.state.user_requests.get(user_id, {}).get("rights", [])
        resources = {r.get("value") for right in rights for r in right.get("resource", [])}
        if f"app_{org}_{app}" not in resources:
            fail(403, "Forbidden", "The system user has no right for this app.")
    return claims


def _who(claims):
    return claims.get("urn:altinn:systemuser:id") or claims["client_id"]


def _instance(sim, request, org, app, party, guid, scope):
    require_token(sim, request, "altinn", scope)  # 401 before telling whether it exists
    with sim.state.lock:
        instance = sim.state.instances.get(f"{party}/{guid}")
    if instance is None or instance.doc["appId"] != f"{org}/{app}":
        fail(404, "Not Found", f"Instance {party}/{guid} not found")
    claims = _authorise(sim, request, org, app, instance.orgnr, scope)
    return instance, claims


def _links(request, org, app, path):
    root = request.url_root.rstrip("/")
    return {
        "apps": f"{root}{SIM_APPS}/{org}/{app}/instances/{path}",
        "platform": f"{root}/platform/storage/api/v1/instances/{path}",
    }


def new_element(request, instance_doc, data_type, content_type, who, filename=None):
    org, app = instance_doc["appId"].split("/")
    guid = instance_doc["id"].split("/")[1]
    element_id = str(uuid.uuid4())
    now = iso_now()
    element = {
        "id": element_id,
        "instanceGuid": guid,
        "dataType": data_type,
        "filename": filename,
        "contentType": content_type,
        "blobStoragePath": f"{org}/{app}/{guid}/data/{element_id}",
        "selfLinks": _links(request, org, app, f"{instance_doc['id']}/data/{element_id}"),
        "size": 0,
        "contentHash": None,
        "locked": False,
        "refs": [],
        "isRead": True,
        "tags": [],
        "fileScanResult": "NotApplicable",
        "created": now,
        "createdBy": who,
        "lastChanged": now,
        "lastChangedBy": who,
    }
    instance_doc["data"].append(element)
    return element


def _task(element_id, name, task_type, flow):
    return {
        "flow": flow,
        "started": iso_now(),
        "elementId": element_id,
        "name": name,
        "altinnTaskType": task_type,
        "ended": None,
        "validated": None,
        "flowType": "CompleteCurrentMoveToNext",
    }


def instance_create(sim, request, org, app):
    body = read_json(request) or {}
    orgnr = str((body.get("instanceOwner") or {}).get("organisationNumber") or "")
    if not orgnr:
        fail(400, "Bad Request", "instanceOwner.organisationNumber is required")
    claims = _authorise(sim, request, org, app, orgnr, WRITE)
    party = sim.state.party_id(orgnr)
    guid = str(uuid.uuid4())
    who = _who(claims)
    now = iso_now()
    doc = {
        "id": f"{party}/{guid}",
        "instanceOwner": {
            "partyId": str(party),
            "personNumber": None,
            "organisationNumber": orgnr,
            "username": None,
        },
        "appId": f"{org}/{app}",
        "org": org,
        "selfLinks": _links(request, org, app, f"{party}/{guid}"),
        "dueBefore": None,
        "visibleAfter": now,
        "process": {
            "started": now,
            "startEvent": "StartEvent_1",
            "currentTask": _task("Task_1", "Utfylling", "data", 2),
            "ended": None,
            "endEvent": None,
        },
        "status": {
            "isArchived": False,
            "archived": None,
            "isSoftDeleted": False,
            "softDeleted": None,
            "isHardDeleted": False,
            "hardDeleted": None,
            "readStatus": "Unread",
            "substatus": None,
        },
        "completeConfirmations": [],
        "data": [],
        "presentationTexts": {},
        "dataValues": {},
        "created": now,
        "createdBy": who,
        "lastChanged": now,
        "lastChangedBy": who,
    }
    for data_type in FORMS:
        new_element(request, doc, data_type, "application/xml", who)
    with sim.state.lock:
        sim.state.instances[doc["id"]] = SimInstance(doc, orgnr)
    return json_response(doc, 201)


def instances_active(sim, request, org, app, party):
    with sim.state.lock:
        orgnr = next((o for o, p in sim.state.parties.items() if p == party), None)
        if orgnr is None:
            fail(404, "Not Found", "Unknown party")
        _authorise(sim, request, org, app, orgnr, READ)
        active = [
            i.doc
            for i in sim.state.instances.values()
            if i.orgnr == orgnr
            and i.doc["appId"] == f"{org}/{app}"
            and not i.doc["process"]["ended"]
        ]
    return json_response(
        [
            {
                "id": doc["id"],
                "presentationTexts": doc["presentationTexts"],
                "dueBefore": doc["dueBefore"],
                "lastChanged": doc["lastChanged"],
                "lastChangedBy": doc["lastChangedBy"],
            }
            for doc in active
        ]
    )


def parties(sim, request, org, app):
    """The parties the caller may instantiate for: the system user's organisation."""
    claims = require_token(sim, request, "altinn", READ)
    orgnr = _acting_orgnr(claims)
    party = sim.state.party_id(orgnr)
    return json_response([{"partyId": party, "partyTypeName": 2, "orgNumber": orgnr}])


def instance(sim, request, org, app, party, guid):
    scope = READ if request.method == "GET" else WRITE
    inst, _claims = _instance(sim, request, org, app, party, guid, scope)
    with sim.state.lock:
        inst.refresh_scans()
        if request.method == "GET":
            return json_response(inst.doc)
        if inst.doc["process"]["ended"]:
            fail(409, "Conflict", "A signed and submitted instance cannot be deleted.")
        del sim.state.instances[inst.doc["id"]]
        inst.doc["status"].update(isHardDeleted=True, hardDeleted=iso_now())
        return json_response(inst.doc)


def data(sim, request, org, app, party, guid, element_id):
    scope = READ if request.method == "GET" else WRITE
    inst, claims = _instance(sim, request, org, app, party, guid, scope)
    with sim.state.lock:
        element = inst.element(element_id)
        if element is None:
            fail(404, "Not Found", "Data element not found")
        if request.method == "GET":
            return Response(inst.contents.get(element_id, b""), content_type=element["contentType"])
        if inst.task != "Utfylling" or element["locked"]:
            fail(409, "Conflict", "The instance is locked for changes in its current task.")
        if element["dataType"] in FORMS and request.mimetype not in XML_TYPES:
            fail(415, "Unsupported Media Type", "Form data must be application/xml")
        content = request.get_data()
        try:
            brg_checks.read_fields(content)
        except etree.XMLSyntaxError:
            fail(400, "Bad Request", "The body is not well-formed XML")
        _store(inst, element, content, claims)
        return json_response(element)


def _store(inst, element, content, claims):
    inst.contents[element["id"]] = content
    who = _who(claims)
    element.update(size=len(content), lastChanged=iso_now(), lastChangedBy=who)
    inst.doc.update(lastChanged=element["lastChanged"], lastChangedBy=who)


def data_post(sim, request, org, app, party, guid):
    inst, claims = _instance(sim, request, org, app, party, guid, WRITE)
    data_type = request.args.get("dataType")
    if data_type != "Vedlegg":
        fail(400, "Bad Request", "Only dataType=Vedlegg can be added")
    _kind, options = parse_options_header(request.headers.get("Content-Disposition", ""))
    filename = options.get("filename")
    if not filename:
        fail(400, "Bad Request", "Content-Disposition with a filename is required")
    content = request.get_data()
    with sim.state.lock:
        if inst.task != "Utfylling":
            fail(409, "Conflict", "The instance is locked for changes in its current task.")
        who = _who(claims)
        element = new_element(request, inst.doc, data_type, request.mimetype, who, filename)
        _store(inst, element, content, claims)
        infected = sim.state.config["infected_marker"].encode() in content
        element["fileScanResult"] = "Pending"
        ready = time.monotonic() + float(sim.state.config["scan_seconds"])
        inst.scans[element["id"]] = (ready, "Infected" if infected else "Clean")
        return json_response(element, 201)


def filescan(sim, request, org, app, party, guid):
    inst, _claims = _instance(sim, request, org, app, party, guid, READ)
    with sim.state.lock:
        inst.refresh_scans()
        results = [
            {"id": d["id"], "fileScanResult": d["fileScanResult"]}
            for d in inst.doc["data"]
            if d["fileScanResult"] != "NotApplicable"
        ]
    overall = "NotApplicable"
    for state in ("Clean", "Pending", "Infected"):
        if any(r["fileScanResult"] == state for r in results):
            overall = state
    return json_response({"id": inst.doc["id"], "fileScanResult": overall, "data": results})


def validation_issues(inst):
    """Everything the app checks before leaving Utfylling (state lock held)."""
    inst.refresh_scans()
    documents = {}
    for data_type in FORMS:
        element = inst.elements(data_type)[0]
        documents[data_type] = (element["id"], inst.contents.get(element["id"], b""))
    attachments = inst.elements("Vedlegg")
    issues, fields = brg_checks.check_filing(documents, inst.orgnr, len(attachments))
    for element in attachments:
        scan = element["fileScanResult"]
        if scan == "Pending":
            issues.append(brg_checks.issue("DataElementFileScanPending", "Scan pending", None))
        elif scan == "Infected":
            issues.append(brg_checks.issue("DataElementFileInfected", "File infected", None))
    return issues, fields


def validate(sim, request, org, app, party, guid):
    inst, _claims = _instance(sim, request, org, app, party, guid, READ)
    with sim.state.lock:
        issues, _fields = validation_issues(inst)
    return json_response(issues)


def process_next(sim, request, org, app, party, guid):
    inst, _claims = _instance(sim, request, org, app, party, guid, WRITE)
    body = read_json(request) if request.get_data() else None
    action = (body or {}).get("action")
    with sim.state.lock:
        if inst.task == "Signering":
            return problem(403, "Forbidden", "Signing needs a person logged in with ID-porten.")
        if inst.task != "Utfylling":
            return problem(409, "Conflict", "The process has ended.")
        if sim.state.config["require_confirm_action"] and action != "confirm":
            return problem(409, "Process next failed", 'This task needs the action "confirm".')
        issues, _fields = validation_issues(inst)
        if any(i["severity"] == 1 for i in issues):
            return problem(
                409,
                "Validation failed for task",
                "Validation issues found for task Task_1",
                validationIssues=issues,
            )
        inst.doc["process"]["currentTask"] = _task("Task_2", "Signering", "signing", 3)
        for element in inst.doc["data"]:
            element["locked"] = True
        return json_response(_process_state(inst))


def _process_state(inst):
    state = dict(inst.doc["process"])
    task = state.get("currentTask")
    if task:
        signing = task["name"] == "Signering"
        state["currentTask"] = {
            **task,
            "actions": {"sign": signing, "write": not signing},
            "read": True,
            "write": not signing,
            "elementType": "Task",
        }
    state["processTasks"] = [
        {"altinnTaskType": "data", "elementId": "Task_1"},
        {"altinnTaskType": "signing", "elementId": "Task_2"},
    ]
    return state


def process(sim, request, org, app, party, guid):
    inst, _claims = _instance(sim, request, org, app, party, guid, READ)
    with sim.state.lock:
        return json_response(_process_state(inst))


RULES = [
    Rule(f"{APP}/api/v1/parties", endpoint=parties, methods=["GET"]),
    Rule(f"{APP}/instances", endpoint=instance_create, methods=["POST"]),
    Rule(f"{APP}/instances/create", endpoint=instance_create, methods=["POST"]),
    Rule(f"{APP}/instances/<int:party>/active", endpoint=instances_active, methods=["GET"]),
    Rule(INSTANCE, endpoint=instance, methods=["GET", "DELETE"]),
    Rule(f"{INSTANCE}/data", endpoint=data_post, methods=["POST"]),
    Rule(f"{INSTANCE}/data/<element_id>", endpoint=data, methods=["GET", "PUT"]),
    Rule(f"{INSTANCE}/filescanresult", endpoint=filescan, methods=["GET"]),
    Rule(f"{INSTANCE}/validate", endpoint=validate, methods=["GET"]),
    Rule(f"{INSTANCE}/process", endpoint=process, methods=["GET"]),
    Rule(f"{INSTANCE}/process/next", endpoint=process_next, methods=["PUT"]),
]
