"""Altinn 3 client: Maskinporten login, token exchange, system register and system users,
the BRG annual-accounts app and the open register lookup.

Every failure comes out as ``AltinnError``. Secrets (key, assertion, tokens) never reach a log
line, a message or ``details``: tokens appear at most as a short fingerprint.
"""

import logging
import time
from dataclasses import dataclass
from urllib.parse import quote

import jwt

from . import maskinporten
from .altinn_http import AltinnError, HttpTransport, content_disposition, json_or_none
from .maskinporten import FILING_SCOPE, SYSTEM_REGISTER_SCOPE, SYSTEM_USER_SCOPE, fingerprint

__all__ = ["AltinnClient", "AltinnError", "AltinnInstance"]

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AltinnInstance:
    """An app instance document as Altinn returns it, with the lookups callers need."""

    raw: dict

    @property
    def id(self):
        return self.raw["id"]

    @property
    def party_id(self):
        return self.id.split("/")[0]

    @property
    def current_task(self):
        return ((self.raw.get("process") or {}).get("currentTask") or {}).get("name")

    @property
    def ended(self):
        return (self.raw.get("process") or {}).get("ended")

    @property
    def archived(self):
        return bool((self.raw.get("status") or {}).get("isArchived"))

    def elements(self, data_type):
        return [d for d in self.raw.get("data") or [] if d.get("dataType") == data_type]

    def element_id(self, data_type):
        found = self.elements(data_type)
        return found[0]["id"] if found else None


def _asks_for_confirm(response):
    """The app wants ``{"action": "confirm"}``: a refusal without validation issues whose text
    names the confirm action (see docs/altinn-simulator.md)."""
    if response.status_code not in (400, 403, 409):
        return False
    text = response.text
    return "validationIssues" not in text and "confirm" in text.lower()


class AltinnClient:
    def __init__(
        self,
        environment,
        client_id,
        kid,
        private_key_pem,
        session=None,
        timeout=(5, 30),
        max_retries=3,
        sleep=time.sleep,
        clock=time.time,
        cache=None,
    ):
        self.env = environment
        self.client_id = client_id
        self.kid = kid
        self._private_key = private_key_pem
        self.http = HttpTransport(session, timeout, max_retries, sleep)
        self._sleep = sleep
        self._clock = clock
        self.cache = cache if cache is not None else maskinporten.TOKEN_CACHE

    def __repr__(self):
        return f"<AltinnClient {self.env.name} client={self.client_id}>"

    # ------------------------------------------------------------------ tokens

    def maskinporten_token(self, scope, orgnr=None):
        """A raw Maskinporten token (cached); with ``orgnr``, for that client's system user."""
        key = ("maskinporten", self.env.token_url, self.client_id, scope, orgnr)
        token = self.cache.get(key, self._clock())
        if token:
            return token
        what = "Logging in to Maskinporten"
        response = self.http.send(
            "POST",
            self.env.token_url,
            what,
            retry=True,
            # a fresh grant per attempt: Maskinporten refuses a reused jti
            build=lambda: {
                "data": {
                    "grant_type": maskinporten.GRANT_TYPE,
                    "assertion": self._grant(scope, orgnr),
                }
            },
        )
        if response.status_code != 200:
            body = json_or_none(response) or {}
            reason = body.get("error_description") or body.get("error") or response.status_code
            error = AltinnError(
                "token_failed",
                f"{what} failed: {reason}. Check the client id, the key id and that the "
                "client's system user is approved.",
                {"status": response.status_code, "error": body.get("error"), "reason": reason},
            )
            self.http.raise_chained(response, error)
        body = self.http.json(response, what)
        token = body.get("access_token")
        if not token:
            raise AltinnError("bad_response", f"{what}: no token in the answer.", {})
        self.cache.put(key, token, self._clock() + int(body.get("expires_in", 60)))
        _logger.info("Maskinporten token %s for %s (org %s)", fingerprint(token), scope, orgnr)
        return token

    def _grant(self, scope, orgnr):
        try:
            return maskinporten.build_grant(
                self.client_id, self.kid, self._private_key, self.env.audience, scope, orgnr
            )
        except (ValueError, TypeError, jwt.PyJWTError) as exc:
            raise AltinnError(
                "token_failed",
                "The Maskinporten private key could not be used; upload the key again.",
                {"error": type(exc).__name__},
            ) from exc

    def altinn_token(self, orgnr=None, scope=FILING_SCOPE):
        """An Altinn token exchanged from a Maskinporten token (cached)."""
        key = ("altinn", self.env.token_url, self.client_id, scope, orgnr)
        token = self.cache.get(key, self._clock())
        if token:
            return token
        what = "Exchanging the Maskinporten token for an Altinn token"
        mp_token = self.maskinporten_token(scope, orgnr)
        url = f"{self.env.platform_url}/authentication/api/v1/exchange/maskinporten"
        response = self.http.send("GET", url, what, retry=True, token=mp_token)
        if response.status_code != 200:
            error = AltinnError(
                "exchange_failed",
                f"{what} failed; try again later or check the Altinn set-up.",
                {"status": response.status_code, "body": response.text[:200]},
            )
            self.http.raise_chained(response, error)
        token = response.text.strip().strip('"')
        lifetime = maskinporten.jwt_lifetime(token)
        if not lifetime:
            raise AltinnError("bad_response", f"{what}: the answer is not a token.", {})
        self.cache.put(key, token, self._clock() + lifetime)
        _logger.info("Altinn token %s for org %s", fingerprint(token), orgnr)
        return token

    def _forget_tokens(self, scope, orgnr):
        for kind in ("maskinporten", "altinn"):
            self.cache.discard((kind, self.env.token_url, self.client_id, scope, orgnr))

    def _authed(self, method, url, what, orgnr, retry, expected=(200,), raw=False, **kw):
        """A call with an Altinn token for ``orgnr``; a 401 (token expired or revoked
        early) is answered once with a fresh token: the request was not processed."""
        response = self.http.send(method, url, what, retry, token=self.altinn_token(orgnr), **kw)
        if response.status_code == 401:
            self._forget_tokens(FILING_SCOPE, orgnr)
            response = self.http.send(
                method, url, what, retry, token=self.altinn_token(orgnr), **kw
            )
        if raw:
            return response
        return self.http.check(response, what, expected)

    # ------------------------------------------------------------------ system set-up

    def _admin(self, method, path, what, scope, expected, **kw):
        url = f"{self.env.platform_url}/authentication/api/v1/{path}"
        token = self.maskinporten_token(scope)  # admin scopes are used raw
        retry = method in ("GET", "PUT")
        return self.http.check(
            self.http.send(method, url, what, retry, token=token, **kw), what, expected
        )

    def create_system(self, system):
        """Register the vendor's system; ``system`` is the register's JSON. Returns its id."""
        what = "Registering the system in Altinn"
        response = self._admin(
            "POST", "systemregister/vendor", what, SYSTEM_REGISTER_SCOPE, (200, 201), json=system
        )
        return response.text.strip().strip('"') or system.get("id")

    def update_system(self, system_id, system):
        what = "Updating the system in Altinn"
        path = f"systemregister/vendor/{quote(system_id)}"
        self._admin("PUT", path, what, SYSTEM_REGISTER_SCOPE, (200, 204), json=system)

    def request_system_user(self, system_id, party_orgnr, external_ref, redirect_url, rights):
        """Ask ``party_orgnr`` to approve a system user; answer has id, status, confirmUrl."""
        what = "Requesting a system user in Altinn"
        body = {
            "externalRef": external_ref,
            "systemId": system_id,
            "partyOrgNo": party_orgnr,
            "rights": rights,
            "redirectUrl": redirect_url,
        }
        path = "systemuser/request/vendor"
        response = self._admin("POST", path, what, SYSTEM_USER_SCOPE, (200, 201), json=body)
        return self.http.json(response, what)

    def system_user_request(self, request_id):
        """Status New | Accepted | Rejected | Denied | Timedout, with the request's fields."""
        what = "Reading the system user request"
        path = f"systemuser/request/vendor/{quote(request_id)}"
        return self.http.json(self._admin("GET", path, what, SYSTEM_USER_SCOPE, (200,)), what)

    def app_rights(self):
        return [{"resource": [{"id": "urn:altinn:resource", "value": self.env.app_resource}]}]

    # ------------------------------------------------------------------ BRG app

    def _instance_url(self, instance_id, suffix=""):
        return f"{self.env.app_url}/instances/{instance_id}{suffix}"

    def create_instance(self, orgnr):
        """Never retried: after a timeout, look for ``active_instances`` before creating."""
        what = "Creating the filing in Altinn"
        body = {"instanceOwner": {"organisationNumber": orgnr}}
        url = f"{self.env.app_url}/instances"
        response = self._authed("POST", url, what, orgnr, retry=False, expected=(201,), json=body)
        return AltinnInstance(self.http.json(response, what))

    def get_instance(self, orgnr, instance_id):
        what = "Reading the filing in Altinn"
        response = self._authed("GET", self._instance_url(instance_id), what, orgnr, retry=True)
        return AltinnInstance(self.http.json(response, what))

    def delete_instance(self, orgnr, instance_id):
        what = "Deleting the unsigned filing in Altinn"
        url = self._instance_url(instance_id)
        self._authed("DELETE", url, what, orgnr, retry=True, expected=(200, 204))

    def party_id(self, orgnr):
        """The Altinn party id of ``orgnr``, as the app sees it."""
        what = "Looking up the company in Altinn"
        url = f"{self.env.app_url}/api/v1/parties?allowedToInstantiateFilter=true"
        parties = self.http.json(self._authed("GET", url, what, orgnr, retry=True), what)
        for party in parties:
            if party.get("orgNumber") == orgnr:
                return str(party["partyId"])
        raise AltinnError("not_found", f"{what}: the company is not available to this system.")

    def active_instances(self, orgnr, party_id=None):
        """The owner's unfinished instances of this app (``SimpleInstance`` dicts)."""
        what = "Looking for unfinished filings in Altinn"
        party_id = party_id or self.party_id(orgnr)
        url = f"{self.env.app_url}/instances/{party_id}/active"
        return self.http.json(self._authed("GET", url, what, orgnr, retry=True), what)

    def put_data(self, orgnr, instance_id, element_id, content, content_type="application/xml"):
        what = "Uploading the form to Altinn"
        url = self._instance_url(instance_id, f"/data/{element_id}")
        headers = {"Content-Type": content_type}
        response = self._authed("PUT", url, what, orgnr, retry=True, headers=headers, data=content)
        return self.http.json(response, what)

    def add_attachment(self, orgnr, instance_id, filename, content, content_type, data_type=None):
        """Upload a file; not retried (a repeat would add a second copy)."""
        what = f"Uploading the attachment {filename} to Altinn"
        url = self._instance_url(instance_id, f"/data?dataType={data_type or 'Vedlegg'}")
        headers = {
            "Content-Type": content_type,
            "Content-Disposition": content_disposition(filename),
        }
        response = self._authed(
            "POST", url, what, orgnr, retry=False, expected=(201,), headers=headers, data=content
        )
        return self.http.json(response, what)

    def wait_for_file_scan(self, orgnr, instance_id, element_id, max_wait=120):
        """Poll with back-off until Altinn's virus scan of the element is Clean."""
        waited, delay = 0.0, 0.5
        while True:
            instance = self.get_instance(orgnr, instance_id)
            element = next((d for d in instance.raw["data"] if d["id"] == element_id), None)
            if element is None:
                raise AltinnError("not_found", "The uploaded attachment is gone from Altinn.")
            result = element.get("fileScanResult")
            if result in (None, "Clean", "NotApplicable"):
                return element
            name = element.get("filename") or element_id
            if result == "Infected":
                raise AltinnError(
                    "file_infected",
                    f"Altinn's virus scan rejected the attachment {name}; remove it.",
                    {"element": element_id},
                )
            if waited >= max_wait:
                raise AltinnError(
                    "timeout",
                    f"Altinn's virus scan of {name} has not finished; try again later.",
                    {"element": element_id, "waited": waited},
                )
            self._sleep(delay)
            waited += delay
            delay = min(delay * 2, 10)

    def validate(self, orgnr, instance_id):
        what = "Validating the filing in Altinn"
        url = self._instance_url(instance_id, "/validate")
        return self.http.json(self._authed("GET", url, what, orgnr, retry=True), what)

    def process_next(self, orgnr, instance_id):
        """Move the instance to signing. No body first; ``{"action": "confirm"}`` only when
        the app asks for it. 409 with validation issues -> ``validation_failed``."""
        what = "Sending the filing for signing"
        url = self._instance_url(instance_id, "/process/next")
        response = self._authed("PUT", url, what, orgnr, retry=False, raw=True)
        if _asks_for_confirm(response):
            _logger.info("Instance %s: process/next asked for the confirm action", instance_id)
            response = self._authed(
                "PUT", url, what, orgnr, retry=False, raw=True, json={"action": "confirm"}
            )
        return self.http.json(self.http.check(response, what), what)

    def download_receipt(self, orgnr, instance_id):
        """Altinn's receipt PDF (``ref-data-as-pdf``), or None before it exists."""
        element_id = self.get_instance(orgnr, instance_id).element_id("ref-data-as-pdf")
        if not element_id:
            return None
        what = "Downloading the Altinn receipt"
        url = self._instance_url(instance_id, f"/data/{element_id}")
        return self._authed("GET", url, what, orgnr, retry=True).content

    # ------------------------------------------------------------------ open register

    def published_accounts(self, orgnr):
        """Accounts published in Regnskapsregisteret; [] when nothing is published."""
        what = "Looking up published accounts"
        url = self.env.register_lookup_url(orgnr)
        response = self.http.send(
            "GET", url, what, retry=True, headers={"Accept": "application/json"}
        )
        if response.status_code == 404:
            return []
        return self.http.json(self.http.check(response, what), what)
