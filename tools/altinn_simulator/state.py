"""In-memory state of the simulator, shared by all request threads under one lock."""

import threading
import time
from datetime import datetime, timezone

DEFAULT_CONFIG = {
    "scan_seconds": 1.0,  # time an attachment stays in fileScanResult Pending
    "token_lifetime": 120,  # seconds a Maskinporten token lives
    "require_confirm_action": False,  # process/next wants {"action": "confirm"}
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
    def task(self):
        return (self.doc["process"].get("currentTask") or {}).get("name")


class SimState:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.config = dict(DEFAULT_CONFIG)
            self.clients = {}  # client id -> {"keys": {kid: public key}, "scopes", "orgnr"}
            self.used_jti = {}  # jti -> exp, to refuse replays
            self.systems = {}  # system id -> system register entry
            self.user_requests = {}  # system-user request id -> request
            self.parties = {}  # orgnr -> party id
            self.instances = {}  # "partyId/guid" -> SimInstance
            self.published = {}  # orgnr -> accounts in the open register
            self.faults = []
            self.log = []

    def party_id(self, orgnr):
        with self.lock:
            return self.parties.setdefault(orgnr, 50100000 + len(self.parties) + 1)

    def approved_system_user(self, client_id, orgnr):
        """The accepted system-user request of ``orgnr`` for a system of ``client_id``."""
        with self.lock:
            for request in self.user_requests.values():
                system = self.systems.get(request["systemId"]) or {}
                if (
                    request["partyOrgNo"] == orgnr
                    and request["status"] == "Accepted"
                    and client_id in system.get("clientId", [])
                ):
                    return request
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
