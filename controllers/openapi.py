"""The OpenAPI 3.1 document, and the JSON answer for any other path or method under /api/v2."""

import werkzeug.routing

from odoo import http
from odoo.http import request

from ..tools import openapi_spec
from . import api_common as api
from .api_common import ApiError, api_endpoint, json_response

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class OpenApi(http.Controller):
    @http.route("/api/v2/openapi.json", type="http", auth="none", methods=["GET"], readonly=True)
    @api_endpoint
    def openapi(self, **_params):
        api.Query(set())
        return json_response(openapi_spec.document(server_url=request.httprequest.host_url))

    @http.route(
        "/api/v2/<path:subpath>",
        type="http",
        auth="none",
        methods=ALL_METHODS,
        csrf=False,
        readonly=True,
    )
    @api_endpoint
    def fallback(self, subpath, **_params):
        """No route for this method: 405 naming the allowed ones (OPTIONS: 204), else 404."""
        allowed = allowed_methods(request.httprequest.path)
        if not allowed:
            raise ApiError(404, "Not found")
        headers = {"Allow": ", ".join(allowed)}
        if request.httprequest.method == "OPTIONS":
            return request.make_response(b"", headers=list(headers.items()), status=204)
        response = json_response({"error": "Method not allowed", "status": 405}, 405, headers)
        return response


def api_routes():
    """``{path template: methods}`` of every API route but the fallback, from Odoo's routing
    map: what is really served."""
    routes = {}
    for rule in request.env["ir.http"].routing_map().iter_rules():
        if rule.rule.startswith(api.API_PREFIX) and "<path:" not in rule.rule:
            methods = set(rule.methods or ()) - {"OPTIONS", "HEAD"}
            routes.setdefault(rule.rule, set()).update(methods)
    return routes


def allowed_methods(path):
    rules = [
        werkzeug.routing.Rule(rule, methods=sorted(methods), endpoint=rule)
        for rule, methods in api_routes().items()
    ]
    adapter = werkzeug.routing.Map(rules, strict_slashes=False).bind("localhost")
    methods = set(adapter.allowed_methods(path)) - {"HEAD"}
    return sorted(methods | {"OPTIONS"}) if methods else []
