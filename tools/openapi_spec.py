"""The OpenAPI 3.1 document of /api/v2/annual-accounts: the one description of what the API
serves. ``tests/test_api_openapi.py`` validates it and compares its paths with the routes.

Plain Python, no ``odoo`` import.
"""

import copy

from .amounts import MAX_AMOUNT
from .openapi_schemas import BASE, DATE, ID, ORDER_BY, SCHEMAS, YEAR, ref

# ------------------------------------------------------------------------------------------
# Operations
# ------------------------------------------------------------------------------------------

ERRORS = {
    "400": "Invalid request: a missing or mistyped field, an invalid status transition",
    "401": "No or invalid credentials",
    "403": "No access to the client account (rule 2)",
    "404": "No such annual account",
}


def _param(name, schema, required=False, where="query", description=None, **extra):
    param = {"name": name, "in": where, "required": required, "schema": schema, **extra}
    if description:
        param["description"] = description
    return param


CLIENT = _param("client_account_id", ID, True, description="The client account (company) id")
YEAR_PARAM = _param("reporting_year", YEAR, True, description="Fiscal year")
SUBMISSION_ID = _param("submission_id", ID, True, "path", "The annual account id")


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _op(
    op_id,
    summary,
    ok,
    errors,
    params=(),
    body=None,
    status="200",
    description=None,
    body_required=True,
):
    responses = {status: {"description": "Success", **ok}}
    for code in errors:
        responses[code] = {"description": ERRORS[code], **_json(ref("Error"))}
    operation = {
        "operationId": op_id,
        "summary": summary,
        "tags": ["Yearly accounts"],
        "parameters": list(params),
        "responses": responses,
    }
    if description:
        operation["description"] = description
    if body:
        operation["requestBody"] = {"required": body_required, **_json(body)}
    return operation


ACCOUNT_ERRORS = ("400", "401", "403", "404")
SUBMIT_NOTE = (
    "Refusals before Altinn is called (state, figures, BRG's checks) answer 400 and change "
    "nothing. When Altinn itself fails, the answer is 400 with Altinn's reason: the filing "
    "stays DRAFT with error_message set, the attempt is kept in its history, and submitting "
    "again continues with the same instance (a direct submission keeps its new draft)."
)


def _paths():
    account = _json(ref("YearlyAccount"))
    return {
        f"{BASE}/preview": {
            "get": _op(
                "previewYearlyAccount",
                "Preview the statements from the ledger",
                _json(ref("Preview")),
                ("400", "401", "403"),
                [
                    CLIENT,
                    YEAR_PARAM,
                    _param(
                        "from_date",
                        DATE,
                        description="Default: the start of the company's financial year "
                        "ending in reporting_year (1 January for a calendar year)",
                    ),
                    _param(
                        "to_date",
                        DATE,
                        description="Default: the end of that financial year (31 December "
                        "for a calendar year)",
                    ),
                ],
            )
        },
        f"{BASE}/submissions": {
            "get": _op(
                "listSubmissions",
                "List yearly account submissions",
                _json(ref("SubmissionList")),
                ("400", "401", "403"),
                [
                    _param(
                        "client_account_id",
                        {"type": "array", "items": ID},
                        style="form",
                        explode=True,
                        description="Repeated or comma-separated; default: every accessible one",
                    ),
                    _param("reporting_year", YEAR),
                    _param("order_by", {"enum": ORDER_BY, "default": "-reporting_year"}),
                    _param("page", {"type": "integer", "minimum": 1, "default": 1}),
                    _param(
                        "page_size",
                        {"type": "integer", "minimum": 1, "default": 100},
                        description="Capped at 100",
                    ),
                ],
            ),
            "post": _op(
                "submitYearlyAccount",
                "Create and submit a yearly account to Altinn directly",
                account,
                ("400", "401", "403"),
                body=ref("SubmitScope"),
                status="201",
                description=SUBMIT_NOTE,
            ),
        },
        f"{BASE}/submissions/{{submission_id}}": {
            "get": _op(
                "getSubmission", "Get a submission", account, ACCOUNT_ERRORS, [SUBMISSION_ID]
            )
        },
        f"{BASE}/drafts": {
            "post": _op(
                "createDraft",
                "Create a draft with generated notes",
                account,
                ("400", "401", "403"),
                body=ref("Scope"),
                status="201",
            )
        },
        f"{BASE}/submissions/{{submission_id}}/submit": {
            "post": _op(
                "submitDraft",
                "Submit a DRAFT to Altinn",
                account,
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
                body=ref("SubmitOptions"),
                body_required=False,
                description=SUBMIT_NOTE,
            )
        },
        f"{BASE}/submissions/{{submission_id}}/cancel": {
            "post": _op(
                "cancelSubmission",
                "Cancel a DRAFT or SUBMITTED yearly account",
                account,
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
            )
        },
        f"{BASE}/submissions/{{submission_id}}/pdf": {
            "get": _op(
                "downloadPdf",
                "Download the PDF (attachment Årsregnskap_{year}.pdf)",
                {"content": {"application/pdf": {"schema": {"type": "string"}}}},
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
            )
        },
        f"{BASE}/submissions/{{submission_id}}/notes": {
            "get": _op(
                "getNotes",
                "Get the notes",
                _json({"type": "array", "items": ref("Note")}),
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
            ),
            "put": _op(
                "updateNotes",
                "Save edited notes (DRAFT only)",
                _json({"type": "array", "items": ref("Note")}),
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
                body={"type": "array", "items": ref("Note")},
            ),
        },
        f"{BASE}/annual-allocations": {
            "get": _op(
                "getAnnualAllocations",
                "Read the annual allocation and the server's calculation",
                _json(ref("Allocation")),
                ("400", "401", "403"),
                [CLIENT, YEAR_PARAM],
            ),
            "post": _op(
                "postAnnualAllocations",
                "Upsert the annual allocation and regenerate its journal entry",
                _json(ref("JournalEntry")),
                ("400", "401", "403"),
                body=ref("AllocationPost"),
            ),
        },
        "/api/v2/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "tags": ["Meta"],
                "parameters": [],
                "responses": {
                    "200": {"description": "OpenAPI 3.1", **_json({"type": "object"})},
                    "400": {"description": "An unknown parameter", **_json(ref("Error"))},
                },
            }
        },
    }


def document(server_url="/"):
    """The OpenAPI document (a fresh dict: callers may change it)."""
    return copy.deepcopy(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Yearly accounts (årsregnskap) API",
                "version": "2.0.0",
                "description": (
                    "Preview, draft, notes, submission to Brønnøysundregistrene through "
                    "Altinn 3, PDF and annual allocations. Every error is "
                    '{"error": "...", "status": N}; a method a path does not serve answers '
                    "405 with an Allow header, an unknown path 404. Money is a string with "
                    f"two decimals, at most {MAX_AMOUNT:f}; datetimes are UTC (Z). No "
                    "string may hold NUL, a control character other than tab, line feed "
                    "and carriage return, or an unpaired surrogate; NaN and Infinity are "
                    "not JSON."
                ),
            },
            "servers": [{"url": server_url.rstrip("/") or "/"}],
            "security": [{"bearer": []}],
            "paths": _paths(),
            "components": {
                "schemas": SCHEMAS,
                "securitySchemes": {
                    "bearer": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "An Odoo API key (Preferences > Account Security)",
                    }
                },
            },
        }
    )
