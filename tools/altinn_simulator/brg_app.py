"""The BRG annual-accounts app: instances and the process (Altinn/app-lib-dotnet
``InstancesController``, ``ProcessController``, ``ProcessEngine``; deletes as
Altinn/altinn-storage ``InstancesController.Delete``). Data elements: ``brg_data``."""

import uuid
from datetime import datetime, timedelta

from werkzeug.routing import Rule

from ..altinn_environments import SIM_APPS
from . import brg_checks
from .brg_metadata import NEXT_TASK, TASKS
from .http import fail_with, json_response, problem, read_json, text_response
from .maskinporten import require_token
from .state import SimInstance, iso_now

READ, WRITE = "altinn:instances.read", "altinn:instances.write"
APP = f"{SIM_APPS}/<org>/<app>"
INSTANCE = f"{APP}/instances/<int:party>/<guid>"


# ------------------------------------------------------------------ who may do what


def acting_orgnr(claims):
    """The organisation a system user acts for; other tokens act for nobody here (BRG's
    policy grants the app to roles and system users, not to bare organisation tokens)."""
    return claims.get("urn:altinn:systemuser:orgNumber")


def authorise(sim, request, org, app, orgnr, scope):
    """The token's system user must belong to the owner and hold the app's right."""
    claims = require_token(sim, request, "altinn", scope)
    if acting_orgnr(claims) != orgnr:
        fail_with(text_response("", 403))
    with sim.state.lock:
        user = sim.state.system_users.get(claims.get("urn:altinn:systemuser:id")) or {}
    rights = {r.get("value") for right in user.get("rights", []) for r in right.get("resource", [])}
    if f"app_{org}_{app}" not in rights:
        fail_with(text_response("", 403))
    return claims


def allowed(sim, inst, action):
    """BRG's policy for a system user in the instance's current step (``ended`` after
    signing), as configured in ``system_user_actions``."""
    step = "ended" if inst.doc["process"]["ended"] else inst.task_type
    return action in sim.state.config["system_user_actions"].get(step, [])


def who(claims):
    return claims.get("urn:altinn:systemuser:id") or claims["client_id"]


def load_instance(sim, request, org, app, party, guid, scope):
    require_token(sim, request, "altinn", scope)  # 401 before telling whether it exists
    with sim.state.lock:
        inst = sim.state.instances.get(f"{party}/{guid}")
    if inst is None or inst.doc["appId"] != f"{org}/{app}":
        fail_with(text_response(f"Unable to find instance {guid}", 404))
    claims = authorise(sim, request, org, app, inst.orgnr, scope)
    return inst, claims


# ------------------------------------------------------------------ documents


def links(request, org, app, path):
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
        "selfLinks": links(request, org, app, f"{instance_doc['id']}/data/{element_id}"),
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


def task(sim, element_id, flow):
    return {
        "flow": flow,
        "started": iso_now(),
        "elementId": element_id,
        "name": sim.state.config["task_names"].get(element_id),
        "altinnTaskType": TASKS[element_id],
        "ended": None,
        "validated": None,
        "flowType": "CompleteCurrentMoveToNext",
    }


# ------------------------------------------------------------------ instances


def instance_create(sim, request, org, app):
    """``POST instances/create`` (BRG's "1.0 Opprett instanse") or ``POST instances`` with
    an instance template; both answer 201 with the instance."""
    body = read_json(request) or {}
    orgnr = str((body.get("instanceOwner") or {}).get("organisationNumber") or "")
    if not orgnr:
        return text_response(
            "Error: instanceOwnerPartyId query parameter is empty and InstanceOwner is missing "
            "from instance template. You must populate instanceOwnerPartyId or InstanceOwner",
            400,
        )
    claims = authorise(sim, request, org, app, orgnr, WRITE)
    party = sim.state.party_id(orgnr)
    guid = str(uuid.uuid4())
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
        "selfLinks": links(request, org, app, f"{party}/{guid}"),
        "dueBefore": None,
        "visibleAfter": now,
        "process": {
            "started": now,
            "startEvent": "StartEvent_1",
            "currentTask": task(sim, "Task_1", 2),
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
        "createdBy": who(claims),
        "lastChanged": now,
        "lastChangedBy": who(claims),
    }
    for data_type, spec in sim.state.config["data_types"].items():  # forms come with it
        if spec["form"] and spec["minCount"]:
            new_element(request, doc, data_type, "application/xml", who(claims))
    with sim.state.lock:
        sim.state.instances[doc["id"]] = SimInstance(doc, orgnr)
    return json_response(doc, 201)


def instances_active(sim, request, org, app, party):
    """Not archived and not soft-deleted (app-lib ``GetActiveInstances``)."""
    with sim.state.lock:
        orgnr = next((o for o, p in sim.state.parties.items() if p == party), None)
        if orgnr is None:
            return json_response([])
        authorise(sim, request, org, app, orgnr, READ)
        active = [
            i.doc
            for i in sim.state.instances.values()
            if i.orgnr == orgnr
            and i.doc["appId"] == f"{org}/{app}"
            and not i.doc["status"]["isArchived"]
            and not i.doc["status"]["isSoftDeleted"]
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
    """app-lib 8.10 and later: the system user's own organisation (older versions do not
    know system users here; the client does not depend on this call)."""
    claims = require_token(sim, request, "altinn", READ)
    orgnr = acting_orgnr(claims)
    party = sim.state.party_id(orgnr)
    return json_response([{"partyId": party, "partyTypeName": 2, "orgNumber": orgnr}])


def instance(sim, request, org, app, party, guid):
    """GET answers deleted instances too (Storage keeps them until its clean-up); DELETE
    soft-deletes, or hard-deletes with ``?hard=true``, signed instances included."""
    scope = READ if request.method == "GET" else WRITE
    inst, claims = load_instance(sim, request, org, app, party, guid, scope)
    with sim.state.lock:
        inst.refresh_scans()
        if request.method == "GET":
            return json_response(inst.doc)
        if not allowed(sim, inst, "delete"):
            return text_response("", 403)
        if _prevented_from_deletion(sim, inst):
            return text_response(
                "Instance cannot be deleted yet due to application restrictions.", 403
            )
        now = iso_now()
        status = inst.doc["status"]
        if request.args.get("hard", "").lower() == "true":
            status.update(isHardDeleted=True, hardDeleted=now, isSoftDeleted=True)
            status["softDeleted"] = status["softDeleted"] or now
        else:
            status.update(isSoftDeleted=True, softDeleted=now)
        inst.doc.update(lastChanged=now, lastChangedBy=who(claims))
        return json_response(inst.doc)


def _prevented_from_deletion(sim, inst):
    """Storage ``InstanceHelper.IsPreventedFromDeletion``."""
    days = sim.state.config["prevent_instance_deletion_for_days"]
    archived = inst.doc["status"]["archived"]
    if not archived or days is None:
        return False
    archived_at = datetime.fromisoformat(archived.replace("Z", "+00:00"))
    return datetime.now(archived_at.tzinfo) < archived_at + timedelta(days=days)


# ------------------------------------------------------------------ process


def process_next(sim, request, org, app, party, guid):
    inst, _claims = load_instance(sim, request, org, app, party, guid, WRITE)
    body = read_json(request) if request.get_data() else None
    action = (body or {}).get("action")
    with sim.state.lock:
        if inst.doc["process"]["ended"]:
            return problem(409, None, "Process is ended.", validationIssues=None)
        task_id, task_type = inst.current_task["elementId"], inst.task_type
        # ProcessEngineAuthorizer: the action given, else one that moves this task type on
        wanted = (
            [action] if action else {"data": ["write"], "signing": ["sign", "write"]}[task_type]
        )
        if not any(allowed(sim, inst, a) for a in wanted):
            return problem(
                403,
                "Unauthorized",
                f"User is not authorized to perform process next. Task ID: {task_id}. "
                f"Task type: {task_type}. Action: {action or 'none'}.",
            )
        issues = brg_checks.instance_issues(inst, sim.state.config["data_types"])[0]
        errors = [i for i in issues if i["severity"] == 1]
        if errors:
            return problem(
                409,
                "Validation failed for task",
                f"{len(errors)} validation errors found for task {task_id}",
                validationIssues=issues,
            )
        end_task(inst, task_id, sim.state.config["data_types"])
        inst.doc["process"]["currentTask"] = task(sim, NEXT_TASK[task_id], 3)
        return json_response(process_state(sim, inst))


def end_task(inst, task_id, data_types):
    """EndTaskEventHandler: the data of the task's data types are locked."""
    for element in inst.doc["data"]:
        if data_types.get(element["dataType"], {}).get("taskId") == task_id:
            element["locked"] = True


def process_state(sim, inst):
    """``AppProcessState``: the current task with what this caller may do in it."""
    state = dict(inst.doc["process"])
    current = state.get("currentTask")
    if current:
        moves = ["confirm"] if current["altinnTaskType"] == "data" else ["sign", "reject"]
        state["currentTask"] = {
            **current,
            "actions": {action: allowed(sim, inst, action) for action in moves},
            "read": allowed(sim, inst, "read"),
            "write": allowed(sim, inst, "write"),
            "elementType": "Task",
        }
    state["processTasks"] = [
        {"altinnTaskType": task_type, "elementId": task_id, "elementType": "Task"}
        for task_id, task_type in TASKS.items()
    ]
    return state


def process(sim, request, org, app, party, guid):
    inst, _claims = load_instance(sim, request, org, app, party, guid, READ)
    with sim.state.lock:
        return json_response(process_state(sim, inst))


RULES = [
    Rule(f"{APP}/api/v1/parties", endpoint=parties, methods=["GET"]),
    Rule(f"{APP}/instances", endpoint=instance_create, methods=["POST"]),
    Rule(f"{APP}/instances/create", endpoint=instance_create, methods=["POST"]),
    Rule(f"{APP}/instances/<int:party>/active", endpoint=instances_active, methods=["GET"]),
    Rule(INSTANCE, endpoint=instance, methods=["GET", "DELETE"]),
    Rule(f"{INSTANCE}/process", endpoint=process, methods=["GET"]),
    Rule(f"{INSTANCE}/process/next", endpoint=process_next, methods=["PUT"]),
]
