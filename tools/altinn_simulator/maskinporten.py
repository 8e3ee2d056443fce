"""Maskinporten's token endpoint, and the tokens the simulator issues and checks."""

import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.exceptions import abort
from werkzeug.routing import Rule

from ..altinn_environments import SIM_MASKINPORTEN
from .http import bearer, json_response

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
MAX_GRANT_LIFETIME = 120
CLOCK_SKEW = 10


class TokenIssuer:
    """Signs the simulator's own tokens; only tokens it issued are accepted back."""

    def __init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._public = self._key.public_key()
        self._pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def issue(self, kind, claims, lifetime):
        now = int(time.time())
        claims = {"iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4()), **claims}
        claims["token_kind"] = kind
        return jwt.encode(claims, self._pem, algorithm="RS256", headers={"kid": "altinn-sim"})

    def verify(self, token, kind):
        """Claims of a valid, unexpired token of ``kind``, else None."""
        try:
            claims = jwt.decode(
                token, self._public, algorithms=["RS256"], options={"verify_aud": False}
            )
        except jwt.PyJWTError:
            return None
        return claims if claims.get("token_kind") == kind else None


def require_token(sim, request, kind, scope):
    """Claims of the request's bearer token, or abort 401/403 as Altinn does."""
    token = bearer(request)
    claims = sim.issuer.verify(token, kind) if token else None
    if not claims:
        abort(
            json_response(
                {"error": "invalid_token"},
                401,
                **{"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        )
    if scope and scope not in claims.get("scope", "").split():
        abort(json_response({"error": "insufficient_scope", "scope": scope}, 403))
    return claims


def audience(request):
    return f"{request.url_root.rstrip('/')}{SIM_MASKINPORTEN}/"


def _oauth_error(error, description):
    return json_response({"error": error, "error_description": description}, 400)


def token(sim, request):
    if request.form.get("grant_type") != GRANT_TYPE:
        return _oauth_error("unsupported_grant_type", "grant_type must be jwt-bearer")
    assertion = request.form.get("assertion")
    if not assertion:
        return _oauth_error("invalid_request", "Missing assertion")
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return _oauth_error("invalid_grant", "Invalid assertion: not a JWT")
    with sim.state.lock:
        client = sim.state.clients.get(unverified.get("iss"))
    if not client:
        return _oauth_error("invalid_client", "Unknown client id (iss)")
    if header.get("alg") != "RS256":
        return _oauth_error("invalid_grant", "Invalid assertion: alg must be RS256")
    key = client["keys"].get(header.get("kid"))
    if key is None:
        return _oauth_error("invalid_grant", "Invalid assertion: unknown kid for this client")
    try:
        claims = jwt.decode(
            assertion,
            key,
            algorithms=["RS256"],
            audience=audience(request),
            options={"require": ["iss", "aud", "iat", "exp", "jti", "scope"]},
        )
    except jwt.ExpiredSignatureError:
        return _oauth_error("invalid_grant", "Invalid assertion: expired")
    except jwt.InvalidAudienceError:
        return _oauth_error("invalid_grant", "Invalid assertion: wrong aud")
    except jwt.PyJWTError as exc:
        return _oauth_error("invalid_grant", f"Invalid assertion: {exc}")
    return _grant_checked(sim, claims, client) or _issue(sim, request, claims, client)


def _grant_checked(sim, claims, client):
    """An error response when the verified grant breaks Maskinporten's rules, else None."""
    if claims.get("sub", claims["iss"]) != claims["iss"]:
        return _oauth_error("invalid_grant", "Invalid assertion: sub must equal iss")
    if claims["exp"] - claims["iat"] > MAX_GRANT_LIFETIME:
        return _oauth_error("invalid_grant", "Invalid assertion: lifetime over 120 seconds")
    if claims["iat"] > time.time() + CLOCK_SKEW:
        return _oauth_error("invalid_grant", "Invalid assertion: iat in the future")
    with sim.state.lock:
        now = time.time()
        used = sim.state.used_jti
        for jti in [j for j, exp in used.items() if exp < now - CLOCK_SKEW]:
            del used[jti]
        if claims["jti"] in used:
            return _oauth_error("invalid_grant", "Invalid assertion: jti already used")
        used[claims["jti"]] = claims["exp"]
    if not set(claims["scope"].split()) <= client["scopes"]:
        return _oauth_error("invalid_scope", "Scope not allowed for this client")
    orgnr = systemuser_orgnr(claims.get("authorization_details"))
    if orgnr and not sim.state.approved_system_user(claims["iss"], orgnr):
        return _oauth_error("invalid_grant", f"No approved system user for 0192:{orgnr}")
    return None


def systemuser_orgnr(details):
    for detail in details or []:
        if detail.get("type") == "urn:altinn:systemuser":
            party = (detail.get("systemuser_org") or {}).get("ID", "")
            return party.removeprefix("0192:")
    return None


def _issue(sim, request, claims, client):
    orgnr = systemuser_orgnr(claims.get("authorization_details"))
    issued = {
        "iss": audience(request),
        "client_id": claims["iss"],
        "scope": claims["scope"],
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{client['orgnr']}"},
    }
    if orgnr:
        request = sim.state.approved_system_user(claims["iss"], orgnr)
        issued["authorization_details"] = [
            {
                "type": "urn:altinn:systemuser",
                "systemuser_id": [request["id"]],
                "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgnr}"},
                "system_id": request["systemId"],
            }
        ]
    lifetime = int(sim.state.config["token_lifetime"])
    access_token = sim.issuer.issue("maskinporten", issued, lifetime)
    return json_response(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": claims["scope"],
        }
    )


RULES = [Rule(f"{SIM_MASKINPORTEN}/token", endpoint=token, methods=["POST"])]
