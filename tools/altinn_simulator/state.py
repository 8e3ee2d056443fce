"""In-memory state of the simulator, shared by all request threads under one lock.

``DEFAULT_CONFIG`` holds the settings where Altinn or BRG leave a point open (BRG's policy,
its app settings) or a test needs a knob. Each default is the strict, documented answer;
docs/altinn-simulator.md says where every one comes from.
"""

import copy
import threading
import time
from datetime import datetime, timezone

from .brg_metadata import DATA_TYPES, TASK_NAMES

DEFAULT_CONFIG = {
    "scan_seconds": 1.0,  # time an attachment stays in fileScanResult Pending
    "token_lifetime": 120,  # seconds a Maskinporten token lives
    # What BRG's policy lets a system user do per task type (policy.xml is not published):
    # fill in and confirm, never sign (BRG: signing needs a person with ID-porten); delete
    # ("Slett avgiverelement" in BRG's process sheet) in both tasks and once signed.
    "system_user_actions": {
        "data": ["read", "write", "confirm", "delete"],
        "signing": ["read", "delete"],
        "ended": ["read", "delete"],
    },
    "task_names": dict(TASK_NAMES),  # BRG's task names are not published
    "data_types": copy.deepcopy(DATA_TYPES),  # applicationmetadata.json (partly published)
    # app-lib's FeatureFlags.JsonObjectInDataResponse: off unless the app turns it on
    "json_object_in_data_response": False,
    # changedFields a data processor reports on PUT (app-lib answers 200 then, else 201)
    "changed_fields_on_put": None,
    # Application.PreventInstanceDeletionForDays (Storage refuses deleting signed instances)
    "prevent_instance_deletion_for_days": None,
    "auto_approve": True,  # BRG approves small, unaudited AS with a calendar year at once
    "infected_marker": "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR",  # start of the EICAR test file
}
FAULT_KEYS = ("endpoint", "count", "status", "delay", "drop", "expired_token", "retry_after")


def iso_now():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


class SimInstance:
    """An app instance: the instance document plus what storage keeps beside it."""

    def __init__(self, doc, orgnr):
        self.doc = doc
        self.orgnr = orgnr
        self.contents = {}  # data element id -> bytes
        self.scans = {}  # data element id -> (monotonic time the scan ends, final result)
        self.decision = None  # BRG's {"approved": bool, "reason": str}

    def element(self, element_id):
        return next((d for d in self.doc["data"] if d["id"] == element_id), None)

    def elements(self, data_type):
        return [d for d in self.doc["data"] if d["dataType"] == data_type]

    def refresh_scans(self):
        for element_id, (ready_at, result) in list(self.scans.items()):
            if time.monotonic() >= ready_at:
                self.element(element_id)["fileScanResult"] = result
                del self.scans[element_id]

    @property
    def current_task(self):
        return self.doc["process"].get("currentTask") or {}

    @property
    def task_type(self):
        return self.current_task.get("altinnTaskType")

    @property
    def active(self):
        """app-lib's ``InstanceIsActive``: not archived, soft- or hard-deleted."""
        status = self.doc["status"]
        return not (status["archived"] or status["softDeleted"] or status["hardDeleted"])


class SimState:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.config = copy.deepcopy(DEFAULT_CONFIG)
            self.clients = {}  # client id -> {"keys": {kid: public key}, "scopes", "orgnr"}
            self.used_jti = {}  # jti -> exp, to refuse replays
            self.systems = {}  # system id -> system register entry
            self.user_requests = {}  # system-user request id -> request (with "deleted")
            self.system_users = {}  # system user id -> {systemId, partyOrgNo, externalRef, ...}
            self.parties = {}  # orgnr -> party id
            self.instances = {}  # "partyId/guid" -> SimInstance
            self.published = {}  # orgnr -> accounts in the open register
            self.faults = []
            self.log = []

    def party_id(self, orgnr):
        with self.lock:
            return self.parties.setdefault(orgnr, 50100000 + len(self.parties) + 1)

    def system_user(self, client_id, orgnr, external_ref):
        """The system user Maskinporten finds for a grant: on a system listing
        ``client_id``, for ``orgnr``, with ``external_ref`` (the orgnr when the request had
        none)."""
        with self.lock:
            for user in self.system_users.values():
                system = self.systems.get(user["systemId"]) or {}
                if (
                    user["partyOrgNo"] == orgnr
                    and user["externalRef"] == external_ref
                    and client_id in (system.get("clientId") or [])
                ):
                    return user
            return None

    def add_fault(self, fault):
        fault = {key: fault[key] for key in FAULT_KEYS if key in fault}
        fault.setdefault("endpoint", "*")
        fault.setdefault("count", 1)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, endpoint):
        with self.lock:
            for fault in self.faults:
                if fault["endpoint"] in ("*", endpoint) and fault["count"] > 0:
                    fault["count"] -= 1
                    return dict(fault)
            return None

    def record(self, entry):
        with self.lock:
            self.log.append(entry)
