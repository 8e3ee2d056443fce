"""Annual allocations (årsdisponering): the seed's GET and POST, served by the model's
``_api_get`` / ``_api_post``, which validate the inputs and apply the law (rule 6)."""

from odoo import http
from odoo.http import request

from . import api_common as api
from .api_common import Query, api_endpoint, json_response

PATH = "/api/v2/annual-accounts/annual-allocations"


class AnnualAllocationsApi(http.Controller):
    @http.route(PATH, type="http", auth="bearer", methods=["GET"], readonly=True)
    @api_endpoint
    def get_allocations(self, **_params):
        query = Query({"client_account_id", "reporting_year"})
        company_id = query.int("client_account_id", required=True, minimum=1, maximum=api.MAX_ID)
        year = query.year("reporting_year", required=True)
        company = api.company(company_id)
        return json_response(request.env["annual.allocation"]._api_get(company, year))

    @http.route(PATH, type="http", auth="bearer", methods=["POST"], csrf=False)
    @api_endpoint
    def post_allocations(self, **_params):
        Query(set())
        body = api.json_body(dict)
        # The scope is checked here (rule 2); the model refuses unknown fields and checks the
        # rest, naming each field, before it writes anything.
        api.require_fields(body, ("client_account_id", "reporting_year"))
        company, year = api.body_scope(body)
        return json_response(request.env["annual.allocation"]._api_post(company, year, body))
