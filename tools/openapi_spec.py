"""The OpenAPI 3.1 document of /api/v2/annual-accounts: the one description of what the API
serves. ``tests/test_api_openapi.py`` validates it and compares its paths with the routes.

Plain Python, no ``odoo`` import.
"""

import copy

BASE = "/api/v2/annual-accounts"
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1250000.00"]}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
YEAR = {"type": "integer", "minimum": 1901, "maximum": 2999}
STATUSES = ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED", "CANCELLED"]
ORDER_BY = [
    f"{sign}{name}"
    for name in ("reporting_year", "created_at", "updated_at", "submitted_at", "id")
    for sign in ("", "-")
]


def _null(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties, required=None, extra=False):
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": extra,
    }


# ------------------------------------------------------------------------------------------
# Schemas
# ------------------------------------------------------------------------------------------

ACCOUNT = _obj(
    {
        "account_id": _null(ID),
        "code": {"type": "string"},
        "name": {"type": "string"},
        "amount": _null(MONEY),
        "prior_amount": _null(MONEY),
    }
)
STATEMENT_LINE = _obj(
    {
        "key": {"type": "string", "description": "section-row, unique"},
        "row": {"type": "integer", "description": "BRG's radnr"},
        "kind": {"enum": ["header", "line", "sum"]},
        "level": {"type": "integer"},
        "code": _null({"type": "string", "description": "BRG field code (orid), this year"}),
        "prior_code": _null({"type": "string", "description": "BRG field code, last year"}),
        "note_code": _null({"type": "string"}),
        "label": {"type": "string"},
        "label_en": _null({"type": "string"}),
        "amount": _null(MONEY),
        "prior_amount": _null(MONEY),
        "accounts": {"type": "array", "items": _ref("StatementAccount")},
    }
)
FINDING = _obj(
    {
        "severity": {"enum": ["error", "warning"]},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "line_code": _null({"type": "string"}),
        "accounts": _null({"type": "array", "items": {"type": "string"}}),
    }
)
PREVIEW = _obj(
    {
        "client_account_id": ID,
        "reporting_year": YEAR,
        "from_date": DATE,
        "to_date": DATE,
        "prior_from_date": DATE,
        "prior_to_date": DATE,
        "currency_code": {"type": "string"},
        "income_statement": {"type": "array", "items": _ref("StatementLine")},
        "balance_sheet": {"type": "array", "items": _ref("StatementLine")},
        "findings": {"type": "array", "items": _ref("Finding")},
    }
)
YEARLY_ACCOUNT = _obj(
    {
        "id": ID,
        "client_account_id": ID,
        "reporting_year": YEAR,
        "from_date": DATE,
        "to_date": DATE,
        "status": {"enum": STATUSES},
        "altinn_instance_id": _null({"type": "string"}),
        "main_form_id": _null({"type": "string"}),
        "sub_form_id": _null({"type": "string"}),
        "submitted_at": _null(DATETIME),
        "error_message": _null({"type": "string"}),
        "created_at": DATETIME,
        "created_by_id": ID,
        "updated_at": DATETIME,
    }
)
SUBMISSION_LIST = _obj(
    {
        "data": {"type": "array", "items": _ref("YearlyAccount")},
        "meta": _obj(
            {
                "page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 0},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "records": {"type": "integer", "minimum": 0},
            }
        ),
    }
)
TABLE = _obj(
    {
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
    },
    required=["columns", "rows"],
)
NOTE = _obj(
    {
        "note_number": _null({"type": "integer", "minimum": 1}),
        "key": {"type": "string"},
        "title": {"type": "string", "minLength": 1},
        "body_type": {"enum": ["text", "table"]},
        "body": {"anyOf": [{"type": "string"}, _ref("NoteTable")]},
        "footer_text": _null({"type": "string"}),
    },
    required=["title", "body_type"],
)
SCOPE = _obj({"client_account_id": ID, "reporting_year": YEAR})
LINE_IN = _obj(
    {
        "account_code": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "debit": {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"},
        "credit": {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"},
        "partner_id": _null(ID),
    },
    required=["account_code"],
)
JOURNAL_LINE = _obj(
    {
        "account_code": {"type": "string"},
        "description": {"type": "string"},
        "debit": MONEY,
        "credit": MONEY,
        "partner_id": _null(ID),
        "currency_code": {"type": "string"},
    },
    required=["account_code", "debit", "credit", "currency_code"],
    extra=True,
)
ALLOCATION_POST = _obj(
    {
        "client_account_id": ID,
        "reporting_year": YEAR,
        "lines": {
            "type": "array",
            "items": _ref("JournalLineInput"),
            "description": "At least 2 balanced lines unless is_draft (rule 6).",
        },
        "is_draft": {"type": "boolean", "default": False},
        "description": {"type": "string"},
        "structured_data": {"type": "object", "description": "Allocation inputs to persist."},
    },
    required=["client_account_id", "reporting_year"],
)
ALLOCATION_DOCUMENT = _obj(
    {
        "id": ID,
        "document_number": {"type": "string"},
        "is_draft": {"type": "boolean"},
        "period_start": DATE,
        "period_end": DATE,
        "currency_code": {"type": "string"},
        "structured_data": {"type": "object"},
    },
    extra=True,
)
ALLOCATION = _obj(
    {
        "document": _null(_ref("AllocationDocument")),
        "max_dividend": {"type": "object", "description": "Lawful maximum dividend"},
        "group_contribution": {"type": "object", "description": "Group-contribution checks"},
        "suggested_lines": {"type": "array", "items": _ref("JournalLine")},
        "currency_code": {"type": "string"},
    }
)
JOURNAL_ENTRY = _obj(
    {
        "id": _null(ID),
        "name": _null({"type": "string"}),
        "date": DATE,
        "state": _null({"type": "string"}),
        "currency_code": {"type": "string"},
        "lines": {"type": "array", "items": _ref("JournalLine")},
        "document_id": ID,
        "document_number": {"type": "string"},
        "is_draft": {"type": "boolean"},
    },
    extra=True,
)
ERROR = _obj({"error": {"type": "string"}, "status": {"type": "integer"}})

SCHEMAS = {
    "Error": ERROR,
    "StatementAccount": ACCOUNT,
    "StatementLine": STATEMENT_LINE,
    "Finding": FINDING,
    "Preview": PREVIEW,
    "YearlyAccount": YEARLY_ACCOUNT,
    "SubmissionList": SUBMISSION_LIST,
    "NoteTable": TABLE,
    "Note": NOTE,
    "Scope": SCOPE,
    "JournalLineInput": LINE_IN,
    "JournalLine": JOURNAL_LINE,
    "AllocationPost": ALLOCATION_POST,
    "AllocationDocument": ALLOCATION_DOCUMENT,
    "Allocation": ALLOCATION,
    "JournalEntry": JOURNAL_ENTRY,
}

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


def _op(op_id, summary, ok, errors, params=(), body=None, status="200", description=None):
    responses = {status: {"description": "Success", **ok}}
    for code in errors:
        responses[code] = {"description": ERRORS[code], **_json(_ref("Error"))}
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
        operation["requestBody"] = {"required": True, **_json(body)}
    return operation


ACCOUNT_ERRORS = ("400", "401", "403", "404")
SUBMIT_NOTE = (
    "Refusals before Altinn is called (state, figures, BRG's checks) answer 400 and change "
    "nothing. When Altinn itself fails, the filing stays DRAFT with error_message set and the "
    "attempt is kept in its history; submitting again continues with the same instance."
)


def _paths():
    account = _json(_ref("YearlyAccount"))
    return {
        f"{BASE}/preview": {
            "get": _op(
                "previewYearlyAccount",
                "Preview the statements from the ledger",
                _json(_ref("Preview")),
                ("400", "401", "403"),
                [
                    CLIENT,
                    YEAR_PARAM,
                    _param("from_date", DATE, description="Default: 1 January"),
                    _param("to_date", DATE, description="Default: 31 December"),
                ],
            )
        },
        f"{BASE}/submissions": {
            "get": _op(
                "listSubmissions",
                "List yearly account submissions",
                _json(_ref("SubmissionList")),
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
                body=_ref("Scope"),
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
                body=_ref("Scope"),
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
                _json({"type": "array", "items": _ref("Note")}),
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
            ),
            "put": _op(
                "updateNotes",
                "Save edited notes (DRAFT only)",
                _json({"type": "array", "items": _ref("Note")}),
                ACCOUNT_ERRORS,
                [SUBMISSION_ID],
                body={"type": "array", "items": _ref("Note")},
            ),
        },
        f"{BASE}/annual-allocations": {
            "get": _op(
                "getAnnualAllocations",
                "Read the annual allocation and the server's calculation",
                _json(_ref("Allocation")),
                ("400", "401", "403"),
                [CLIENT, YEAR_PARAM],
            ),
            "post": _op(
                "postAnnualAllocations",
                "Upsert the annual allocation and regenerate its journal entry",
                _json(_ref("JournalEntry")),
                ("400", "401", "403"),
                body=_ref("AllocationPost"),
            ),
        },
        "/api/v2/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "tags": ["Meta"],
                "parameters": [],
                "responses": {"200": {"description": "OpenAPI 3.1", **_json({"type": "object"})}},
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
                    "two decimals; datetimes are UTC (Z)."
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
