"""The OpenAPI 3.1 document, and the JSON answer for any other path or method under /api/v2."""

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
        """No route for this method: 405 naming the allowed ones, else 404."""
        allowed = api.allowed_methods(request.httprequest.path)
        if not allowed:
            raise ApiError(404, "Not found")
        return json_response(
            {"error": "Method not allowed", "status": 405}, 405, {"Allow": ", ".join(allowed)}
        )
