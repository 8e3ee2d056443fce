"""The vendor's side of Altinn's system register and system-user requests, as a mixin of
``AltinnClient`` (it needs the client's ``_admin`` call).

The rules come from Altinn/altinn-authentication (``RequestSystemUserController.CreateRequest``
and ``RequestSystemUserService``): a request for the same (system, organisation, externalRef)
answers the request already there (200, whatever its status) unless it timed out, and
AUTH-00004 once that request made a system user; a ``redirectUrl`` must be one of the
system's https ``allowedRedirectUrls`` (AUTH-00026 when there are none, AUTH-00021 when it is
not listed). A request that was rejected is asked again by deleting it or by a new
externalRef; ``renew_system_user_request`` does both.
"""

import logging
from dataclasses import dataclass
from urllib.parse import quote

from .altinn_http import AltinnError
from .maskinporten import SYSTEM_REGISTER_SCOPE, SYSTEM_USER_SCOPE

_logger = logging.getLogger(__name__)

STATUSES = ("New", "Accepted", "Rejected", "Denied", "Timedout")
# a request in one of these can only be asked again as a new request
ENDED_STATUSES = ("Rejected", "Denied", "Timedout")
SYSTEMUSER_EXISTS = "AUTH-00004"
REQUEST_NOT_FOUND = "AUTH-00010"
REDIRECT_REFUSED = ("AUTH-00021", "AUTH-00026")


@dataclass(frozen=True)
class SystemUserRequest:
    """Altinn's answer on a system-user request; ``new`` when this call created it (201),
    False when Altinn answered a request it already had (200)."""

    raw: dict
    new: bool = False

    @property
    def id(self):
        return self.raw.get("id")

    @property
    def status(self):
        return self.raw.get("status")

    @property
    def confirm_url(self):
        return self.raw.get("confirmUrl")

    @property
    def external_ref(self):
        return self.raw.get("externalRef")


class SystemUsersMixin:
    def create_system(self, system):
        """Register the vendor's system; ``system`` is the register's JSON (``id``,
        ``vendor``, ``name``, ``description``, ``rights``, ``clientId``,
        ``allowedRedirectUrls`` (https only), ``isVisible``). Returns Altinn's answer, the
        system's internal GUID."""
        what = "Registering the system in Altinn"
        path = "systemregister/vendor"
        response = self._admin("POST", path, what, SYSTEM_REGISTER_SCOPE, (200,), json=system)
        return response.text.strip().strip('"')

    def update_system(self, system_id, system):
        what = "Updating the system in Altinn"
        path = f"systemregister/vendor/{quote(system_id)}"
        self._admin("PUT", path, what, SYSTEM_REGISTER_SCOPE, (200,), json=system)

    def request_system_user(self, system_id, party_orgnr, external_ref, rights, redirect_url=None):
        """Ask ``party_orgnr`` to approve a system user: a ``SystemUserRequest``, new (201)
        or the one Altinn already had for this externalRef (200). ``redirect_url`` must be
        listed on the system; if Altinn refuses it anyway (the system was registered
        elsewhere), the request goes again without one. AUTH-00004 (the system user exists
        already) raises ``systemuser_exists``."""
        what = "Requesting a system user in Altinn"
        body = {
            "externalRef": external_ref,
            "systemId": system_id,
            "partyOrgNo": party_orgnr,
            "rights": rights,
        }
        if redirect_url:
            body["redirectUrl"] = redirect_url
        path = "systemuser/request/vendor"
        try:
            response = self._admin("POST", path, what, SYSTEM_USER_SCOPE, (200, 201), json=body)
        except AltinnError as error:
            problem = error.params.get("problem")
            if problem == SYSTEMUSER_EXISTS:
                raise AltinnError(
                    "systemuser_exists",
                    f"{what}: {party_orgnr} has approved this system user already.",
                    error.details,
                    {"orgnr": party_orgnr, "external_ref": external_ref},
                ) from error
            if problem not in REDIRECT_REFUSED or "redirectUrl" not in body:
                raise
            _logger.info("Altinn refused the redirect URL (%s); asking without one", problem)
            del body["redirectUrl"]
            response = self._admin("POST", path, what, SYSTEM_USER_SCOPE, (200, 201), json=body)
        return SystemUserRequest(self.http.json(response, what), new=response.status_code == 201)

    def system_user_request(self, request_id):
        """The request as Altinn has it now; status New | Accepted | Rejected | Denied |
        Timedout. A request Altinn no longer has raises ``not_found``."""
        what = "Reading the system user request"
        path = f"systemuser/request/vendor/{quote(request_id)}"
        response = self._admin("GET", path, what, SYSTEM_USER_SCOPE, (200,))
        return SystemUserRequest(self.http.json(response, what))

    def find_system_user_request(self, system_id, party_orgnr, external_ref):
        """The request Altinn holds for (system, organisation, externalRef), or None: how a
        request whose answer was lost is found again."""
        what = "Looking up the system user request"
        path = (
            f"systemuser/request/vendor/byexternalref/{quote(system_id)}/"
            f"{quote(party_orgnr)}/{quote(external_ref, safe='')}"
        )
        try:
            response = self._admin("GET", path, what, SYSTEM_USER_SCOPE, (200,))
        except AltinnError as error:
            if error.code == "not_found":
                return None
            raise
        return SystemUserRequest(self.http.json(response, what))

    def delete_system_user_request(self, request_id):
        """Delete the request (Altinn answers 202); False when Altinn had no such request."""
        what = "Deleting the system user request"
        path = f"systemuser/request/vendor/{quote(request_id)}"
        try:
            self._admin("DELETE", path, what, SYSTEM_USER_SCOPE, (200, 202, 204))
        except AltinnError as error:
            if error.code == "not_found":
                return False
            raise
        return True

    def renew_system_user_request(
        self, request_id, system_id, party_orgnr, external_ref, rights, redirect_url=None
    ):
        """Ask again after ``request_id``: a pending one is answered as it is (its link still
        works), an accepted one raises ``systemuser_exists``; a rejected, denied or timed-out
        one is deleted and a new request made with ``external_ref`` (a new reference, so the
        new request never meets the old one)."""
        old = None
        if request_id:
            try:
                old = self.system_user_request(request_id)
            except AltinnError as error:
                if error.code != "not_found":
                    raise
        if old and old.status == "New":
            return old
        if old and old.status == "Accepted":
            raise AltinnError(
                "systemuser_exists",
                f"{party_orgnr} has approved this system user already.",
                {},
                {"orgnr": party_orgnr, "external_ref": old.external_ref},
            )
        if old:
            self.delete_system_user_request(old.id)
        return self.request_system_user(system_id, party_orgnr, external_ref, rights, redirect_url)
