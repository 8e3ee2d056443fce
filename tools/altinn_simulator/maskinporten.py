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


# Maskinporten's refusals with their ids (docs.digdir.no "Feilsøking i Maskinporten");
# where the page gives no id, the text is the simulator's own (docs/altinn-simulator.md).
UNKNOWN_CLIENT = ("invalid_grant", "MP-100: Invalid assertion. Client authentication failed.")
WRONG_AUD = (
    "invalid_grant",
    "MP-110: Invalid assertion. Client authentication failed. Invalid JWT claim aud",
)
# Not settled: no page names the answer for an unknown kid; MP-120 is the nearest (the client
# takes MP-120..124 as one refusal of the key).
UNKNOWN_KEY = (
    "invalid_grant",
    "MP-120: Invalid assertion. Client authentication failed. The JWT is signed with an "
    "invalid certificate.",
)
BAD_SIGNATURE = ("invalid_grant", "MP-124: Invalid JWT signature")
EXPIRED = ("invalid_grant", "MP-130: JWT is expired")
REUSED = ("invalid_grant", "MP-012: Grant is used before")
BAD_PARAMETER = ("invalid_request", "MP-011: Invalid assertion. Invalid parameter value")
BAD_SCOPE = ("invalid_scope", "MP-200: Token request contains invalid scopes for client")
DETAILS_TYPE = ("invalid_request", "MP-301: Unknown authorization details type")
DETAILS_FIELDS = ("invalid_request", "MP-302: Unknown fields in the authorization details")
SYSTEMUSER_DETAILS = {"type", "systemuser_org", "externalRef"}
ALGORITHMS = ["RS256", "RS384", "RS512"]


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
        return _oauth_error(*BAD_PARAMETER)
    with sim.state.lock:
        client = sim.state.clients.get(unverified.get("iss"))
    if not client:
        return _oauth_error(*UNKNOWN_CLIENT)
    if header.get("alg") not in ALGORITHMS:
        return _oauth_error(*BAD_PARAMETER)
    key = client["keys"].get(header.get("kid"))
    if key is None:
        return _oauth_error(*UNKNOWN_KEY)
    try:
        claims = jwt.decode(
            assertion,
            key,
            algorithms=ALGORITHMS,
            audience=audience(request),
            options={"require": ["iss", "aud", "iat", "exp", "jti", "scope"]},
        )
    except jwt.InvalidSignatureError:
        return _oauth_error(*BAD_SIGNATURE)
    except jwt.ExpiredSignatureError:
        return _oauth_error(*EXPIRED)
    except jwt.InvalidAudienceError:
        return _oauth_error(*WRONG_AUD)
    except jwt.PyJWTError:
        return _oauth_error(*BAD_PARAMETER)
    return _grant_checked(sim, claims, client) or _issue(sim, request, claims, client)


def _grant_checked(sim, claims, client):
    """An error response when the verified grant breaks Maskinporten's rules, else None."""
    if claims.get("sub", claims["iss"]) != claims["iss"]:
        return _oauth_error(*BAD_PARAMETER)
    if claims["exp"] - claims["iat"] > MAX_GRANT_LIFETIME:
        # the limit is Digdir's ("JWT grant"); the wording is not published
        return _oauth_error("invalid_grant", "Invalid assertion: exp more than 120 s after iat")
    if claims["iat"] > time.time() + CLOCK_SKEW:
        return _oauth_error("invalid_grant", "Issue time is after now")
    with sim.state.lock:
        now = time.time()
        used = sim.state.used_jti
        for jti in [j for j, exp in used.items() if exp < now - CLOCK_SKEW]:
            del used[jti]
        if claims["jti"] in used:
            return _oauth_error(*REUSED)
        used[claims["jti"]] = claims["exp"]
    if not set(claims["scope"].split()) <= client["scopes"]:
        return _oauth_error(*BAD_SCOPE)
    details = claims.get("authorization_details")
    if details is None:
        return None
    if not isinstance(details, list) or len(details) != 1:
        return _oauth_error(*DETAILS_FIELDS)  # one party at a time (Maskinporten's guide)
    detail = details[0]
    if detail.get("type") != "urn:altinn:systemuser":
        return _oauth_error(*DETAILS_TYPE)
    if set(detail) - SYSTEMUSER_DETAILS:
        return _oauth_error(*DETAILS_FIELDS)
    orgnr, external_ref = systemuser_of(detail)
    if not sim.state.system_user(claims["iss"], orgnr, external_ref):
        # Altinn's MP-303 page: no ClientId on the system, no system user for the org, or
        # an externalRef in the request that the grant does not repeat
        return _oauth_error(
            "invalid_altinn_customer_configuration",
            f"MP-303: No system user for systemuser_org 0192:{orgnr} with externalRef "
            f"{external_ref!r} on a system of this client",
        )
    return None


def systemuser_of(detail):
    """(orgnr, externalRef) of an ``urn:altinn:systemuser`` detail; the externalRef of a
    request made without one is the organisation number (RequestSystemUserService)."""
    party = (detail.get("systemuser_org") or {}).get("ID", "")
    orgnr = party.removeprefix("0192:")
    return orgnr, detail.get("externalRef") or orgnr


def systemuser_orgnr(details):
    for detail in details or []:
        if detail.get("type") == "urn:altinn:systemuser":
            return systemuser_of(detail)[0]
    return None


def _issue(sim, request, claims, client):
    details = claims.get("authorization_details")
    issued = {
        "iss": audience(request),
        "client_id": claims["iss"],
        "scope": claims["scope"],
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{client['orgnr']}"},
    }
    if details:
        orgnr, external_ref = systemuser_of(details[0])
        user = sim.state.system_user(claims["iss"], orgnr, external_ref)
        issued["authorization_details"] = [
            {
                "type": "urn:altinn:systemuser",
                "systemuser_id": [user["id"]],
                "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgnr}"},
                "system_id": user["systemId"],
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
