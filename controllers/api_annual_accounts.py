"""Yearly accounts (årsregnskap): preview, submissions, drafts, notes and the PDF.

The business rules live in the models (``annual.statement.engine``, ``annual.account``); this
layer parses and checks the input, checks the caller's access to the client account (rule 2)
and shapes the output.
"""

import math
import unicodedata
from urllib.parse import quote

from odoo import http
from odoo.http import request

from . import api_common as api
from .api_common import ApiError, Query, api_endpoint, error_response, json_response

BASE = "/api/v2/annual-accounts"
MAX_PAGE_SIZE = 100
SUBMIT_FIELDS = ("approval_date", "accept_warnings")
# order_by -> field; a leading "-" sorts descending. The id breaks ties in the same direction.
ORDER_FIELDS = {
    "reporting_year": "reporting_year",
    "created_at": "create_date",
    "updated_at": "write_date",
    "submitted_at": "submitted_at",
    "id": "id",
}
ORDER_BY_VALUES = [f"{sign}{name}" for name in ORDER_FIELDS for sign in ("", "-")]
DEFAULT_ORDER_BY = "-reporting_year"
SERIALIZED_FIELDS = [
    "company_id",
    "reporting_year",
    "date_from",
    "date_to",
    "state",
    "altinn_instance_id",
    "main_form_id",
    "sub_form_id",
    "submitted_at",
    "error_message",
    "create_date",
    "create_uid",
    "write_date",
]
LINE_KEYS = (
    "key",
    "row",
    "kind",
    "level",
    "code",
    "prior_code",
    "note_code",
    "label",
    "label_en",
    "amount",
    "prior_amount",
)
ACCOUNT_KEYS = ("account_id", "code", "name", "amount", "prior_amount")
NOTE_OPTIONAL = ("note_number", "key", "body", "footer_text")
NOTE_TYPES = (
    ("note_number", int, "an integer is required"),
    ("key", str, "a string is required"),
    ("title", str, "a string is required"),
    ("body_type", str, "a string is required"),
    ("footer_text", str, "a string is required"),
)
FINDING_KEYS = ("severity", "code", "message", "line_code", "accounts")


class AnnualAccountsApi(http.Controller):
    # ------------------------------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------------------------------

    @http.route(f"{BASE}/preview", type="http", auth="bearer", methods=["GET"], readonly=True)
    @api_endpoint
    def preview(self, **_params):
        query = Query({"client_account_id", "reporting_year", "from_date", "to_date"})
        company_id = query.int("client_account_id", required=True, minimum=1, maximum=api.MAX_ID)
        year = query.year("reporting_year", required=True)
        date_from, date_to = query.date("from_date"), query.date("to_date")
        company = api.company(company_id)
        # by default the company's financial year ending in the year (1.1.–31.12. for most)
        default_from, default_to = company._l10n_no_aa_financial_year(year)
        date_from, date_to = date_from or default_from, date_to or default_to
        if date_to < date_from:
            raise ApiError(400, "to_date: must not be before from_date")
        snapshot = request.env["annual.statement.engine"].compute(
            company, date_from=date_from, date_to=date_to, reporting_year=year
        )
        return json_response(preview_body(snapshot, year))

    # ------------------------------------------------------------------------------------------
    # Submissions: list, get, submit directly
    # ------------------------------------------------------------------------------------------

    @http.route(f"{BASE}/submissions", type="http", auth="bearer", methods=["GET"], readonly=True)
    @api_endpoint
    def list_submissions(self, **_params):
        query = Query(
            {"client_account_id", "reporting_year", "order_by", "page", "page_size"},
            repeatable={"client_account_id"},
        )
        company_ids = query.int_list("client_account_id")
        year = query.year("reporting_year")
        order = list_order(query.str("order_by") or DEFAULT_ORDER_BY)
        page = query.int("page", minimum=1, maximum=10**9) or 1
        page_size = min(query.int("page_size", minimum=1, maximum=10**9) or 100, MAX_PAGE_SIZE)
        allowed = api.user_company_ids()
        for company_id in company_ids or ():
            if company_id not in allowed:
                raise ApiError(403, f"client_account_id: no access to client account {company_id}")
        env = api.with_user_companies()
        domain = [("company_id", "in", company_ids or list(allowed))]
        if year:
            domain.append(("reporting_year", "=", year))
        Filing = env["annual.account"]
        offset = (page - 1) * page_size
        filings = Filing.search(domain, order=order, offset=offset, limit=page_size)
        # What submission_json reads, in one query, without the heavy snapshot column.
        filings.fetch(SERIALIZED_FIELDS)
        # A partly filled page is the last one: its records need no count.
        partial = len(filings) < page_size and (filings or page == 1)
        records = offset + len(filings) if partial else Filing.search_count(domain)
        return json_response(
            {
                "data": [submission_json(filing) for filing in filings],
                "meta": {
                    "page": page,
                    "pages": math.ceil(records / page_size),
                    "per_page": page_size,
                    "records": records,
                },
            }
        )

    @http.route(
        f"{BASE}/submissions/<int:submission_id>",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    @api_endpoint
    def get_submission(self, submission_id, **_params):
        Query(set())
        return json_response(submission_json(filing_for(submission_id)))

    @http.route(f"{BASE}/submissions", type="http", auth="bearer", methods=["POST"], csrf=False)
    @api_endpoint
    def submit_directly(self, **_params):
        Query(set())
        body = api.json_body(dict)
        api.check_fields(body, ("client_account_id", "reporting_year"), SUBMIT_FIELDS)
        answers = self._submit_answers(body)
        company, year = api.body_scope(body)
        filing = request.env["annual.account"]._create_draft(company, year)
        with filing._brg_once():
            filing._api_prepare_submit(**answers)
            # Altinn is called next: from here the draft is kept, so that the record of what
            # Altinn did can refer to it and outlive a failure (models/altinn_apart.py)
            request.env.cr.commit()
            refused = self._send(filing)
        return refused or json_response(submission_json(filing), status=201)

    # ------------------------------------------------------------------------------------------
    # Drafts and their life
    # ------------------------------------------------------------------------------------------

    @http.route(f"{BASE}/drafts", type="http", auth="bearer", methods=["POST"], csrf=False)
    @api_endpoint
    def create_draft(self, **_params):
        return json_response(submission_json(self._new_draft()), status=201)

    def _new_draft(self):
        Query(set())
        body = api.json_body(dict)
        api.check_fields(body, ("client_account_id", "reporting_year"))
        company, year = api.body_scope(body)
        return request.env["annual.account"]._create_draft(company, year)

    @http.route(
        f"{BASE}/submissions/<int:submission_id>/submit",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
    )
    @api_endpoint
    def submit_draft(self, submission_id, **_params):
        Query(set())
        body = api.json_body(dict) if request.httprequest.get_data() else {}
        api.check_fields(body, (), SUBMIT_FIELDS)
        answers = self._submit_answers(body)
        filing = filing_for(submission_id)
        with filing._brg_once():
            filing._api_prepare_submit(**answers)
            refused = self._send(filing)
        return refused or json_response(submission_json(filing))

    @staticmethod
    def _send(filing):
        """Send to Altinn: None once sent; when Altinn failed, the contract's 400 with the
        reason, answered without rolling back, so that what happened stays recorded (the
        attempt, the filing's error and chatter) and a retry continues from there."""
        if filing.action_submit():
            return None
        return error_response(ApiError(400, filing.error_message or "Altinn did not take it."))

    @staticmethod
    def _submit_answers(body):
        answers = {}
        if "approval_date" in body:
            answers["approval_date"] = api.parse_date("approval_date", body["approval_date"])
        if "accept_warnings" in body:
            if not isinstance(body["accept_warnings"], bool):
                raise ApiError(400, "accept_warnings: true or false is required")
            answers["accept_warnings"] = body["accept_warnings"]
        return answers

    @http.route(
        f"{BASE}/submissions/<int:submission_id>/cancel",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
    )
    @api_endpoint
    def cancel(self, submission_id, **_params):
        Query(set())
        filing = filing_for(submission_id)
        filing.action_cancel()
        return json_response(submission_json(filing))

    # ------------------------------------------------------------------------------------------
    # PDF and notes
    # ------------------------------------------------------------------------------------------

    @http.route(
        f"{BASE}/submissions/<int:submission_id>/pdf",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    @api_endpoint
    def pdf(self, submission_id, **_params):
        Query(set())
        filing = filing_for(submission_id)
        content = filing._render_pdf()
        filename = filing._pdf_filename()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(
        f"{BASE}/submissions/<int:submission_id>/notes",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    @api_endpoint
    def get_notes(self, submission_id, **_params):
        Query(set())
        filing = filing_for(submission_id)
        return json_response(request.env["annual.account.note"]._notes_of(filing))

    @http.route(
        f"{BASE}/submissions/<int:submission_id>/notes",
        type="http",
        auth="bearer",
        methods=["PUT"],
        csrf=False,
    )
    @api_endpoint
    def update_notes(self, submission_id, **_params):
        Query(set())
        filing = filing_for(submission_id)
        notes = api.json_body(list)
        for index, note in enumerate(notes):
            check_note(note, f"body[{index}]")
        Note = request.env["annual.account.note"]
        Note._replace_notes(filing, notes)
        return json_response(Note._notes_of(filing))


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def submission_json(filing):
    """The seed's "Yearly Account Attributes" of one filing (its columns: SERIALIZED_FIELDS)."""
    return {
        "id": filing.id,
        "client_account_id": filing.company_id.id,
        "reporting_year": filing.reporting_year,
        "from_date": filing.date_from.isoformat(),
        "to_date": filing.date_to.isoformat(),
        "status": filing.state.upper(),
        "altinn_instance_id": filing.altinn_instance_id or None,
        "main_form_id": filing.main_form_id,
        "sub_form_id": filing.sub_form_id,
        "submitted_at": api.iso_datetime(filing.submitted_at),
        "error_message": filing.error_message or None,
        "created_at": api.iso_datetime(filing.create_date),
        "created_by_id": filing.create_uid.id,
        "updated_at": api.iso_datetime(filing.write_date),
    }


def check_note(note, where):
    """The shape of one note (unknown fields, key and number types); what a note may say is
    the model's to check."""
    if not isinstance(note, dict):
        raise ApiError(400, f"{where}: a note object is required")
    api.check_fields(note, ("title", "body_type"), NOTE_OPTIONAL, prefix=f"{where}.")
    for name, kind, text in NOTE_TYPES:
        value = note.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
            raise ApiError(400, f"{where}.{name}: {text}")


def list_order(order_by):
    descending = order_by.startswith("-")
    field = ORDER_FIELDS.get(order_by.removeprefix("-"))
    if not field:
        raise ApiError(400, f"order_by: one of {', '.join(ORDER_BY_VALUES)}")
    direction = "desc" if descending else "asc"
    return f"{field} {direction}, id {direction}" if field != "id" else f"id {direction}"


def filing_for(submission_id):
    """The filing ``submission_id`` in an environment narrowed to its company: 404 when it
    does not exist, 403 when the caller may not access its company."""
    if submission_id > api.MAX_ID:
        raise ApiError(404, "Annual account not found")
    found = request.env["annual.account"].sudo().browse(submission_id).exists()
    if not found:
        raise ApiError(404, "Annual account not found")
    api.company(found.company_id.id)
    filing = request.env["annual.account"].browse(submission_id)
    filing.check_access("read")
    return filing


def content_disposition(filename):
    """RFC 6266: an ASCII fallback and the UTF-8 name (RFC 5987)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def preview_body(snapshot, year):
    def line_json(line):
        return {
            **{key: line.get(key) for key in LINE_KEYS},
            "accounts": [
                {key: account.get(key) for key in ACCOUNT_KEYS}
                for account in line.get("accounts") or ()
            ],
        }

    lines = snapshot["lines"]
    return {
        "client_account_id": snapshot["company_id"],
        "reporting_year": year,
        "from_date": snapshot["date_from"],
        "to_date": snapshot["date_to"],
        "prior_from_date": snapshot["prior_date_from"],
        "prior_to_date": snapshot["prior_date_to"],
        "currency_code": snapshot["currency"],
        "income_statement": [line_json(x) for x in lines if x["section"] == "RES"],
        "balance_sheet": [line_json(x) for x in lines if x["section"] == "BAL"],
        "findings": [{key: f.get(key) for key in FINDING_KEYS} for f in snapshot["findings"]],
    }
