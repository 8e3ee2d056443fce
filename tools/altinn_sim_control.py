"""Client of the Altinn simulator's control API (``/_sim/``, see docs/altinn-simulator.md).

Used by the product to register a company's public key with the bundled simulator (what
Digdir's self-service portal does for Maskinporten) and by tests to inject faults and read
back what the simulator holds. Only ever talks to the simulator.
"""

import requests

from .altinn_http import AltinnError

__all__ = ["SimulatorControl"]


class SimulatorControl:
    def __init__(self, base_url, timeout=5, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def _call(self, method, path, **kwargs):
        url = f"{self.base_url}/_sim/{path}"
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise AltinnError(
                "connection",
                f"The Altinn simulator at {self.base_url} does not answer; start it "
                "(scripts/run starts it on port 8090).",
                {"url": url, "error": type(exc).__name__},
            ) from exc
        if response.status_code >= 400:
            raise AltinnError(
                "bad_request",
                f"The Altinn simulator refused {path}: {response.text[:200]}",
                {"status": response.status_code},
            )
        return response.json()

    def register_client(self, client_id, kid, public_key_pem, scopes, orgnr):
        """What Digdir's portal does: the client may log in with this key and these scopes;
        ``orgnr`` is the vendor (owner of the integration)."""
        body = {
            "client_id": client_id,
            "kid": kid,
            "public_key_pem": public_key_pem,
            "scopes": list(scopes),
            "orgnr": orgnr,
        }
        return self._call("POST", "clients", json=body)

    def config(self, **settings):
        return self._call("POST", "config", json=settings)

    def add_fault(self, endpoint, **fault):
        return self._call("POST", "faults", json={"endpoint": endpoint, **fault})

    def clear_faults(self):
        return self._call("DELETE", "faults")

    def requests_log(self):
        return self._call("GET", "requests")

    def instances(self):
        return self._call("GET", "instances")

    def decide(self, instance_id, approved=True, reason=""):
        return self._call(
            "POST", f"decisions/{instance_id}", json={"approved": approved, "reason": reason}
        )

    def answer_confirm_page(self, confirm_url, decision="approve"):
        """What the client's daglig leder does on the system-user confirm page (demo and
        tests only: in Altinn a person logs in with BankID)."""
        try:
            response = self.session.post(
                confirm_url, data={"decision": decision}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise AltinnError(
                "connection", "The Altinn simulator does not answer.", {"url": confirm_url}
            ) from exc
        if response.status_code >= 400:
            raise AltinnError(
                "bad_request",
                "The simulator's confirm page refused the answer.",
                {"status": response.status_code},
            )

    def set_request_status(self, request_id, status):
        """What Altinn does on its own to a system-user request: ``Timedout`` (180 days) or
        ``Denied``."""
        return self._call("POST", f"user_requests/{request_id}", json={"status": status})

    def reset(self):
        return self._call("POST", "reset")
