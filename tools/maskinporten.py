"""Maskinporten JWT grant (RFC 7523) and the process-wide token cache.

Nothing here talks HTTP: ``altinn_client`` posts the grant and stores what it gets back.
"""

import base64
import hashlib
import json
import re
import threading
import time
import uuid

import jwt

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Maskinporten refuses grants living longer than 120 s; stay well inside.
GRANT_LIFETIME = 100
FILING_SCOPE = "altinn:instances.read altinn:instances.write"
SYSTEM_REGISTER_SCOPE = "altinn:authentication/systemregister.write"
SYSTEM_USER_SCOPE = (
    "altinn:authentication/systemuser.request.write altinn:authentication/systemuser.request.read"
)


def systemuser_details(orgnr, external_ref=None):
    """``authorization_details`` for acting for ``orgnr`` through its system user. When the
    system-user request carried an ``externalRef``, the grant must carry the same one, or
    Maskinporten answers MP-303 (BRG's Postman "Logg inn som systembruker"; Altinn's
    troubleshooting page for MP-303)."""
    detail = {
        "type": "urn:altinn:systemuser",
        "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgnr}"},
    }
    if external_ref:
        detail["externalRef"] = external_ref
    return [detail]


def build_grant(
    client_id, kid, private_key_pem, audience, scope, orgnr=None, external_ref=None, now=None
):
    """Return the signed JWT assertion. ``private_key_pem`` is str or bytes."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "scope": scope,
        "iat": issued,
        "exp": issued + GRANT_LIFETIME,
        "jti": str(uuid.uuid4()),
    }
    if orgnr:
        claims["authorization_details"] = systemuser_details(orgnr, external_ref)
    key = private_key_pem.encode() if isinstance(private_key_pem, str) else private_key_pem
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


# Maskinporten's refusals: ``{"error", "error_description"}``, the description often opening
# with an id such as "MP-100" (docs.digdir.no, "Feilsøking i Maskinporten"). Our code per id:
MP_CODES = {
    "MP-100": "mp_unknown_client",  # client not found / client authentication failed
    "MP-110": "mp_wrong_audience",
    "MP-120": "mp_key_rejected",  # signed with an invalid certificate / key
    "MP-121": "mp_key_rejected",  # the key registered on the client has expired
    "MP-122": "mp_key_rejected",
    "MP-123": "mp_key_rejected",
    "MP-124": "mp_key_rejected",  # invalid JWT signature
    "MP-130": "mp_clock",  # the grant is expired (or the clocks differ)
    "MP-012": "mp_grant_reused",
    "MP-011": "mp_bad_grant",
    "MP-200": "mp_scope_missing",
    "MP-201": "mp_scope_missing",
    "MP-250": "mp_scope_not_granted",
    "MP-251": "mp_scope_not_granted",
    "MP-301": "mp_bad_grant",
    "MP-302": "mp_bad_grant",
    "MP-303": "systemuser_not_found",
}
# Altinn's name for MP-303 when no system user matches the grant (Altinn's MP-303 page)
SYSTEMUSER_ERROR = "invalid_altinn_customer_configuration"
_MP_ID = re.compile(r"\bMP-\d{3}\b")


def token_error(body):
    """``(code, mp_id)`` for a Maskinporten refusal body (a dict, or None when not JSON)."""
    body = body if isinstance(body, dict) else {}
    found = _MP_ID.search(str(body.get("error_description") or ""))
    mp_id = found.group(0) if found else None
    if body.get("error") == SYSTEMUSER_ERROR:
        return "systemuser_not_found", mp_id or "MP-303"
    if mp_id in MP_CODES:
        return MP_CODES[mp_id], mp_id
    if body.get("error") == "invalid_scope":
        return "mp_scope_missing", mp_id
    return "token_failed", mp_id


def fingerprint(secret):
    """A short, non-reversible tag to recognise a token in logs."""
    return hashlib.sha256(secret.encode()).hexdigest()[:10]


def jwt_lifetime(token):
    """Seconds a JWT lives (``exp`` - ``iat``), read without verifying it: we only need to
    know when to renew. None when the text is not a JWT with those claims."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
        return int(claims["exp"]) - int(claims.get("iat", time.time()))
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class TokenCache:
    """Thread-safe tokens by key until ``margin`` seconds before they expire."""

    def __init__(self, margin=30):
        self.margin = margin
        self._tokens = {}
        self._lock = threading.Lock()

    def get(self, key, now):
        with self._lock:
            entry = self._tokens.get(key)
            if entry and entry[1] - self.margin > now:
                return entry[0]
            self._tokens.pop(key, None)
            return None

    def put(self, key, token, expires_at):
        with self._lock:
            self._tokens[key] = (token, expires_at)

    def discard(self, key):
        with self._lock:
            self._tokens.pop(key, None)

    def clear(self):
        with self._lock:
            self._tokens.clear()


TOKEN_CACHE = TokenCache()
