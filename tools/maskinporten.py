"""Maskinporten JWT grant (RFC 7523) and the process-wide token cache.

Nothing here talks HTTP: ``altinn_client`` posts the grant and stores what it gets back.
"""

import base64
import hashlib
import json
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


def systemuser_details(orgnr):
    """``authorization_details`` for acting for ``orgnr`` through its system user."""
    return [
        {
            "type": "urn:altinn:systemuser",
            "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgnr}"},
        }
    ]


def build_grant(client_id, kid, private_key_pem, audience, scope, orgnr=None, now=None):
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
        claims["authorization_details"] = systemuser_details(orgnr)
    key = private_key_pem.encode() if isinstance(private_key_pem, str) else private_key_pem
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


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
