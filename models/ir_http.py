from odoo import models

from ..controllers import api_common


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Errors of /api/v2 requests that no endpoint answered (authentication, unexpected
        failures) as the API's JSON error body, never Odoo's HTML page or login redirect."""
        if api_common.is_api_request():
            return api_common.error_response(exception)
        return super()._handle_error(exception)
