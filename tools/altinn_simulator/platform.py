"""Altinn platform authentication: the Maskinporten token exchange."""

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from ..altinn_environments import SIM_PLATFORM
from .maskinporten import require_token, systemuser_orgnr

API = f"{SIM_PLATFORM}/authentication/api/v1"


def exchange(sim, request):
    """Maskinporten token in, Altinn token (plain-text JWT) out, expiring with it."""
    claims = require_token(sim, request, "maskinporten", None)
    orgnr = systemuser_orgnr(claims.get("authorization_details"))
    details = claims.get("authorization_details") or [{}]
    altinn_claims = {
        "iss": f"{request.url_root.rstrip('/')}{API}/openid/",
        "scope": claims["scope"],
        "client_id": claims["client_id"],
        "urn:altinn:orgNumber": claims["consumer"]["ID"].removeprefix("0192:"),
        "urn:altinn:systemuser:orgNumber": orgnr,
        "urn:altinn:systemuser:id": (details[0].get("systemuser_id") or [None])[0],
    }
    lifetime = max(1, int(claims["exp"] - claims["iat"]))
    token = sim.issuer.issue("altinn", altinn_claims, lifetime)
    return Response(token, content_type="text/plain; charset=utf-8")


RULES = [Rule(f"{API}/exchange/maskinporten", endpoint=exchange, methods=["GET"])]
