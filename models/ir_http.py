import werkzeug.exceptions

from odoo import models

from ..controllers import api_common


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _match(cls, path_info):
        """A method that no /api/v2 route serves (TRACE, PATCH on a GET route) goes to the
        fallback like an unknown path: werkzeug's MethodNotAllowed would escape before any
        handler and be answered with its HTML page."""
        try:
            return super()._match(path_info)
        except werkzeug.exceptions.MethodNotAllowed:
            if not api_common.is_api_path(path_info):
                raise
            raise werkzeug.exceptions.NotFound() from None

    @classmethod
    def _serve_fallback(cls):
        """Any /api/v2 request no route takes: the API's JSON 404, or 405 with ``Allow``."""
        if api_common.is_api_request():
            return api_common.unrouted_response()
        return super()._serve_fallback()

    @classmethod
    def _handle_error(cls, exception):
        """Errors of /api/v2 requests that no endpoint answered (authentication, unexpected
        failures) as the API's JSON error body, never Odoo's HTML page or login redirect."""
        if api_common.is_api_request():
            return api_common.error_response(exception)
        return super()._handle_error(exception)
