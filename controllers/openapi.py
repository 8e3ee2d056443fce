"""The OpenAPI 3.1 document. Any other path or method under /api/v2 is answered by
``ir.http._serve_fallback`` (JSON 404, or 405 with ``Allow``)."""

from odoo import http
from odoo.http import request

from ..tools import openapi_spec
from . import api_common as api
from .api_common import api_endpoint, json_response


class OpenApi(http.Controller):
    @http.route("/api/v2/openapi.json", type="http", auth="none", methods=["GET"], readonly=True)
    @api_endpoint
    def openapi(self, **_params):
        api.Query(set())
        return json_response(openapi_spec.document(server_url=request.httprequest.host_url))
