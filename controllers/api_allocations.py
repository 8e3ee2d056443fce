"""Annual allocations (årsdisponering): the seed's GET and POST. The model validates the
inputs and applies the law (rule 6); this layer checks the scope and shapes the JSON."""

from decimal import Decimal

from odoo import http
from odoo.http import request
from odoo.tools import float_repr

from ..tools.allocation_inputs import to_json
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
        allocation, calc = request.env["annual.allocation"]._calculation(company, year)
        return json_response(allocation_json(company, allocation, calc))

    @http.route(PATH, type="http", auth="bearer", methods=["POST"], csrf=False)
    @api_endpoint
    def post_allocations(self, **_params):
        Query(set())
        body = api.json_body(dict)
        # The scope is checked here (rule 2); the model refuses unknown fields and checks the
        # rest, naming each field, before it writes anything.
        api.require_fields(body, ("client_account_id", "reporting_year"))
        company, year = api.body_scope(body)
        Allocation = request.env["annual.allocation"]
        allocation, reversals = Allocation._save_request(company, year, body)
        return json_response(journal_entry_json(allocation, reversals))


# ------------------------------------------------------------------------------------------
# Shapes
# ------------------------------------------------------------------------------------------


def allocation_json(company, allocation, calc):
    """ "Get Annual Allocations": the saved document (or null) and the calculation."""
    return to_json(
        {
            "document": document_json(allocation) if allocation else None,
            "max_dividend": calc["max_dividend"],
            "group_contribution": calc["group_contribution"],
            "suggested_lines": calc["suggested_lines"],
            "currency_code": company.currency_id.name,
        }
    )


def document_json(allocation):
    """The document; ``is_draft`` is its state not being "posted", its period the
    fields ``date_from``/``date_to``."""
    currency = allocation.currency_id.name
    return {
        "id": allocation.id,
        "document_number": allocation.document_number,
        "is_draft": allocation.state != "posted",
        "period_start": api.iso_date(allocation.date_from),
        "period_end": api.iso_date(allocation.date_to),
        "currency_code": currency,
        "description": allocation.description,
        "structured_data": allocation.structured_data,
        "lines": [
            {**line, "currency_code": currency} for line in allocation.line_ids._to_payload()
        ],
        "journal_entry_id": allocation.move_id.id or None,
        "journal_entry_state": allocation.move_id.state or None,
        "reversal_ids": allocation.reversal_move_ids.ids,
        "pdf_attachment_id": allocation.pdf_attachment_id.id or None,
    }


def journal_entry_json(allocation, reversals):
    """ "Post Annual Allocations": the journal entry made (with its lines), or the lines
    saved when a draft's lines form no entry yet."""
    move, currency = allocation.move_id, allocation.currency_id.name
    lines = [
        {
            "account_code": line.account_id.code,
            "description": line.name or "",
            "debit": Decimal(float_repr(line.debit, 2)),
            "credit": Decimal(float_repr(line.credit, 2)),
            "partner_id": line.partner_id.id or None,
            "currency_code": currency,
        }
        for line in move.line_ids.sorted("id")
    ]
    return to_json(
        {
            "id": move.id or None,
            "name": move.name if move else None,
            "date": api.iso_date(allocation.date_to),
            "state": move.state or None,
            "journal_id": move.journal_id.id or None,
            "ref": allocation.description,
            "currency_code": currency,
            "lines": lines
            or [{**x, "currency_code": currency} for x in allocation.line_ids._to_payload()],
            "document_id": allocation.id,
            "document_number": allocation.document_number,
            "is_draft": allocation.state != "posted",
            "reversal_ids": reversals.ids,
            "pdf_attachment_id": allocation.pdf_attachment_id.id or None,
        }
    )
