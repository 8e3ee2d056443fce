"""Altinn 3 client: Maskinporten login, token exchange, system register and system users,
the BRG annual-accounts app and the open register lookup.

Every failure comes out as ``AltinnError`` with a ``code`` and the ``params`` a caller words
its message from (docs/altinn-simulator.md, "Errors"). Secrets (key, assertion, tokens) never
reach a log line, a message or ``details``: tokens appear at most as a short fingerprint.
"""

import logging
import time
from urllib.parse import quote

import jwt

from . import maskinporten
from .altinn_attachments import check_attachment
from .altinn_http import AltinnError, HttpTransport, content_disposition, json_or_none
from .altinn_instance import AltinnInstance, new_element, refusal_of, signed_error
from .altinn_system_users import SystemUserRequest, SystemUsersMixin
from .maskinporten import FILING_SCOPE, fingerprint

__all__ = ["AltinnClient", "AltinnError", "AltinnInstance", "SystemUserRequest"]

_logger = logging.getLogger(__name__)

STORAGE_OWNER_HEADER = "X-Ai-InstanceOwnerIdentifier"


class AltinnClient(SystemUsersMixin):
    """``external_refs``: orgnr -> the externalRef its system-user request carried; the
    grant for that organisation carries the same one (Maskinporten: MP-303 otherwise)."""

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
        external_refs=None,
    ):
        self.env = environment
        self.client_id = client_id
        self.kid = kid
        self._private_key = private_key_pem
        self.http = HttpTransport(session, timeout, max_retries, sleep)
        self._sleep = sleep
        self._clock = clock
        self.cache = cache if cache is not None else maskinporten.TOKEN_CACHE
        self.external_refs = dict(external_refs or {})

    def __repr__(self):
        return f"<AltinnClient {self.env.name} client={self.client_id}>"

    # ------------------------------------------------------------------ tokens

    def _token_key(self, kind, scope, orgnr):
        return (
            kind,
            self.env.token_url,
            self.client_id,
            scope,
            orgnr,
            self.external_refs.get(orgnr),
        )

    def maskinporten_token(self, scope, orgnr=None):
        """A raw Maskinporten token (cached); with ``orgnr``, for that client's system user."""
        key = self._token_key("maskinporten", scope, orgnr)
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
            self.http.raise_chained(response, self._token_error(response, scope, orgnr))
        body = self.http.json(response, what)
        token = body.get("access_token")
        if not token:
            raise AltinnError("bad_response", f"{what}: no token in the answer.", {})
        self.cache.put(key, token, self._clock() + int(body.get("expires_in", 60)))
        _logger.info("Maskinporten token %s for %s (org %s)", fingerprint(token), scope, orgnr)
        return token

    def _token_error(self, response, scope, orgnr):
        """Maskinporten's refusal as a code (``maskinporten.MP_CODES``) with its facts."""
        body = json_or_none(response)
        body = body if isinstance(body, dict) else {}
        code, mp_id = maskinporten.token_error(body)
        reason = body.get("error_description") or body.get("error") or response.status_code
        params = {
            "status": response.status_code,
            "error": body.get("error"),
            "mp_id": mp_id,
            "description": body.get("error_description"),
            "client_id": self.client_id,
            "environment": self.env.name,
            "scope": scope,
            "orgnr": orgnr,
            "external_ref": self.external_refs.get(orgnr),
        }
        message = f"Logging in to Maskinporten failed: {reason}."
        details = {"status": response.status_code, "error": body.get("error"), "reason": reason}
        return AltinnError(code, message, details, params)

    def _grant(self, scope, orgnr):
        try:
            return maskinporten.build_grant(
                self.client_id,
                self.kid,
                self._private_key,
                self.env.audience,
                scope,
                orgnr,
                self.external_refs.get(orgnr),
            )
        except (ValueError, TypeError, jwt.PyJWTError) as exc:
            raise AltinnError(
                "key_unusable",
                "The Maskinporten private key could not be used; upload the key again.",
                {"error": type(exc).__name__},
            ) from exc

    def altinn_token(self, orgnr=None, scope=FILING_SCOPE):
        """An Altinn token exchanged from a Maskinporten token (cached)."""
        key = self._token_key("altinn", scope, orgnr)
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
                {"status": response.status_code},
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
            self.cache.discard(self._token_key(kind, scope, orgnr))

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

    def _admin(self, method, path, what, scope, expected, **kw):
        url = f"{self.env.platform_url}/authentication/api/v1/{path}"
        token = self.maskinporten_token(scope)  # admin scopes are used raw
        retry = method in ("GET", "PUT", "DELETE")
        return self.http.check(
            self.http.send(method, url, what, retry, token=token, **kw), what, expected
        )

    def app_rights(self):
        return [{"resource": [{"id": "urn:altinn:resource", "value": self.env.app_resource}]}]

    # ------------------------------------------------------------------ BRG app: instances

    def _instance_url(self, instance_id, suffix=""):
        return f"{self.env.app_url}/instances/{instance_id}{suffix}"

    def create_instance(self, orgnr):
        """BRG's "Opprett instanse" (``instances/create``). Never retried: after a failure
        look for ``active_instances`` before creating another."""
        what = "Creating the filing in Altinn"
        body = {"instanceOwner": {"organisationNumber": orgnr}}
        url = f"{self.env.app_url}/instances/create"
        response = self._authed("POST", url, what, orgnr, retry=False, expected=(201,), json=body)
        return AltinnInstance(self.http.json(response, what))

    def get_instance(self, orgnr, instance_id):
        """The instance; a deleted one still answers, with ``deleted`` true (Storage keeps
        it until its clean-up runs)."""
        what = "Reading the filing in Altinn"
        response = self._authed("GET", self._instance_url(instance_id), what, orgnr, retry=True)
        return AltinnInstance(self.http.json(response, what))

    def delete_unsigned_instance(self, orgnr, instance_id, hard=True):
        """Delete an instance nobody has signed. It is read first: a signed one raises
        ``instance_signed`` (Storage would soft-delete it, not refuse: a filed årsregnskap
        is corrected by filing again). ``hard``: unrecoverable; a soft-deleted instance can
        be restored in Altinn's inbox and then signed. The deleted instance is answered;
        one deleted already is answered as it is."""
        instance = self.get_instance(orgnr, instance_id)
        if instance.signed:
            raise signed_error(instance)
        if instance.deleted:
            return instance
        what = "Deleting the unsigned filing in Altinn"
        url = self._instance_url(instance_id, "?hard=true" if hard else "")
        try:
            response = self._authed("DELETE", url, what, orgnr, retry=True)
        except AltinnError as error:
            if error.code == "forbidden" and "application restrictions" in str(error.details):
                error.code = "delete_prevented"
            raise
        deleted = AltinnInstance(self.http.json(response, what))
        if deleted.signed:  # signed between our read and the delete
            raise signed_error(deleted)
        return deleted

    def active_instances(self, orgnr, party_id=None):
        """The owner's unfinished instances of this app as ``[{"id", "lastChanged", ...}]``.
        With ``party_id``, the app's ``instances/{partyId}/active``; without, Storage's
        instance query by organisation number, which needs no party id (the app's
        ``api/v1/parties`` answers system users only from app-lib 8.10)."""
        what = "Looking for unfinished filings in Altinn"
        if party_id:
            url = f"{self.env.app_url}/instances/{party_id}/active"
            return self.http.json(self._authed("GET", url, what, orgnr, retry=True), what)
        url = f"{self.env.platform_url}/storage/api/v1/instances"
        params = {
            "appId": f"{self.env.org}/{self.env.app}",
            "status.isArchived": "false",
            "status.isSoftDeleted": "false",
        }
        headers = {STORAGE_OWNER_HEADER: f"organisation:{orgnr}"}
        found = []
        while url:
            response = self._authed(
                "GET", url, what, orgnr, retry=True, params=params, headers=headers
            )
            page = self.http.json(response, what)
            found += page.get("instances") or []
            url, params = page.get("next"), None
        return found

    # ------------------------------------------------------------------ BRG app: data

    def put_data(self, orgnr, instance_id, element_id, content, content_type="application/xml"):
        """Replace a form; app-lib answers 201 with the data element, or 200 with the element
        and its ``changedFields`` when the app's data processors changed it."""
        what = "Uploading the form to Altinn"
        url = self._instance_url(instance_id, f"/data/{element_id}")
        headers = {"Content-Type": content_type}
        response = self._authed(
            "PUT", url, what, orgnr, retry=True, expected=(200, 201), headers=headers, data=content
        )
        return self.http.json(response, what)

    def add_form(self, orgnr, instance_id, data_type, content, content_type="application/xml"):
        """Create and fill another form element, as BRG's "Opprett konsernregnskap"
        (``POST data/Underskjema`` with the XML). Not retried. Returns the new element."""
        what = f"Adding a {data_type} to the filing in Altinn"
        url = self._instance_url(instance_id, f"/data/{quote(data_type)}")
        headers = {"Content-Type": content_type}
        response = self._authed(
            "POST", url, what, orgnr, False, expected=(200, 201), headers=headers, data=content
        )
        return new_element(self.http.json(response, what), what)

    def add_attachment(self, orgnr, instance_id, filename, content, content_type, data_type=None):
        """Upload a file (BRG's "Last opp vedlegg"); checked first with ``check_attachment``,
        so only what the app takes is sent. Not retried (a repeat would add a second copy)."""
        data_type = data_type or "Vedlegg"
        check_attachment(filename, content, content_type, data_type)
        what = f"Uploading the attachment {filename} to Altinn"
        url = self._instance_url(instance_id, f"/data?dataType={quote(data_type)}")
        headers = {
            "Content-Type": content_type,
            "Content-Disposition": content_disposition(filename),
        }
        response = self._authed(
            "POST", url, what, orgnr, retry=False, expected=(201,), headers=headers, data=content
        )
        return self.http.json(response, what)

    def delete_data(self, orgnr, instance_id, element_id):
        """Delete a data element (app-lib ``DataController.Delete``), as a rejected attachment
        is before it is replaced. Answers the instance as it is after."""
        what = "Removing a file from the filing in Altinn"
        url = self._instance_url(instance_id, f"/data/{element_id}")
        body = self.http.json(self._authed("DELETE", url, what, orgnr, retry=True), what)
        return AltinnInstance(body.get("instance") or {})

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
                    {"filename": name},
                )
            if waited >= max_wait:
                raise AltinnError(
                    "timeout",
                    f"Altinn's virus scan of {name} has not finished; try again later.",
                    {"element": element_id, "waited": waited},
                    {"filename": name},
                )
            self._sleep(delay)
            waited += delay
            delay = min(delay * 2, 10)

    # ------------------------------------------------------------------ BRG app: process

    def validate(self, orgnr, instance_id):
        what = "Validating the filing in Altinn"
        url = self._instance_url(instance_id, "/validate")
        return self.http.json(self._authed("GET", url, what, orgnr, retry=True), what)

    def process_next(self, orgnr, instance_id, action="confirm"):
        """Move the instance on: ``confirm`` to signing, as BRG documents (Postman "Neste
        prosess (til signering)"). Refusals: 409 with ``validationIssues`` ->
        ``validation_failed``; 403 -> ``action_not_allowed`` (params ``action``,
        ``task_type``, ``task_id`` from app-lib's "... Action: none."); 409 on an ended
        process -> ``process_ended``. BRG's policy is not published: if it does not grant
        ``confirm``, the call goes once more without an action, which app-lib authorizes
        through ``write`` on a data task."""
        what = "Sending the filing for signing" if action == "confirm" else f"Process {action}"
        url = self._instance_url(instance_id, "/process/next")
        body = {"json": {"action": action}} if action else {}
        response = self._authed("PUT", url, what, orgnr, retry=False, raw=True, **body)
        refusal = refusal_of(response)
        if action == "confirm" and refusal.get("action") == "confirm":
            _logger.info(
                "Instance %s: confirm not granted; process/next without action", instance_id
            )
            response = self._authed("PUT", url, what, orgnr, retry=False, raw=True)
            refusal = refusal_of(response)
        if refusal:
            error = AltinnError(
                "action_not_allowed",
                f"{what}: Altinn does not let this system do {refusal['action']!r} in the "
                f"filing's current step ({refusal['task_type']}).",
                {"status": response.status_code, "body": response.text[:500]},
                {**refusal, "status": response.status_code},
            )
            self.http.raise_chained(response, error)
        body = json_or_none(response)
        if (
            response.status_code == 409
            and isinstance(body, dict)
            and not body.get("validationIssues")
        ):
            error = AltinnError(
                "process_ended",
                f"{what}: the filing in Altinn has no step left ({body.get('detail')}).",
                {"status": 409, "body": response.text[:500]},
                {"detail": body.get("detail"), "status": 409},
            )
            self.http.raise_chained(response, error)
        return self.http.json(self.http.check(response, what), what)

    def get_data(self, orgnr, instance_id, element_id):
        """The content of a data element, as bytes."""
        what = "Reading the filing's data in Altinn"
        url = self._instance_url(instance_id, f"/data/{element_id}")
        return self._authed("GET", url, what, orgnr, retry=True).content

    def download_receipt(self, orgnr, instance_id):
        """Altinn's receipt PDF (``ref-data-as-pdf``), or None before it exists."""
        element_id = self.get_instance(orgnr, instance_id).element_id("ref-data-as-pdf")
        return self.get_data(orgnr, instance_id, element_id) if element_id else None

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
