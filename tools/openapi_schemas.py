"""The schemas of the OpenAPI document (``components.schemas``): what the API reads and
answers. Plain Python, no ``odoo`` import; ``openapi_spec`` assembles the document."""

from .amounts import MAX_AMOUNT
from .limits import MAX_INTEGER

BASE = "/api/v2/annual-accounts"
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1250000.00"]}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
}
# An amount the API accepts: at most MAX_AMOUNT, so that it reads back exactly.
MONEY_IN = {
    "type": "string",
    "pattern": rf"^\d{{1,{len(str(int(MAX_AMOUNT)))}}}(\.\d{{1,2}})?$",
    "description": f"At most {MAX_AMOUNT:f}",
}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}
YEAR = {"type": "integer", "minimum": 1901, "maximum": 2999}
STATUSES = ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED", "CANCELLED"]
ORDER_BY = [
    f"{sign}{name}"
    for name in ("reporting_year", "created_at", "updated_at", "submitted_at", "id")
    for sign in ("", "-")
]


def _null(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name):
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
        "accounts": {"type": "array", "items": ref("StatementAccount")},
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
        "income_statement": {"type": "array", "items": ref("StatementLine")},
        "balance_sheet": {"type": "array", "items": ref("StatementLine")},
        "findings": {"type": "array", "items": ref("Finding")},
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
        "data": {"type": "array", "items": ref("YearlyAccount")},
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
        "note_number": _null({"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}),
        "key": {"type": "string"},
        "title": {"type": "string", "minLength": 1},
        "body_type": {"enum": ["text", "table"]},
        "body": {"anyOf": [{"type": "string"}, ref("NoteTable")]},
        "footer_text": _null({"type": "string"}),
    },
    required=["title", "body_type"],
)
SCOPE = _obj({"client_account_id": ID, "reporting_year": YEAR})
# What a submission needs that the ledger cannot know; optional on both submit operations.
SUBMIT_ANSWERS = {
    "approval_date": {
        **DATE,
        "description": "When the general meeting approved the accounts (fastsettelse); "
        "required by BRG unless already entered on the filing.",
    },
    "accept_warnings": {
        "type": "boolean",
        "description": "Submit although BRG's soft checks (MYK_VAL_*) warn.",
    },
}
SUBMIT_SCOPE = _obj(
    {"client_account_id": ID, "reporting_year": YEAR, **SUBMIT_ANSWERS},
    required=["client_account_id", "reporting_year"],
)
SUBMIT_OPTIONS = _obj(SUBMIT_ANSWERS, required=[])
LINE_IN = _obj(
    {
        "account_code": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "debit": MONEY_IN,
        "credit": MONEY_IN,
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
            "items": ref("JournalLineInput"),
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
        "document": _null(ref("AllocationDocument")),
        "max_dividend": {"type": "object", "description": "Lawful maximum dividend"},
        "group_contribution": {"type": "object", "description": "Group-contribution checks"},
        "suggested_lines": {"type": "array", "items": ref("JournalLine")},
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
        "lines": {"type": "array", "items": ref("JournalLine")},
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
    "SubmitScope": SUBMIT_SCOPE,
    "SubmitOptions": SUBMIT_OPTIONS,
    "JournalLineInput": LINE_IN,
    "JournalLine": JOURNAL_LINE,
    "AllocationPost": ALLOCATION_POST,
    "AllocationDocument": ALLOCATION_DOCUMENT,
    "Allocation": ALLOCATION,
    "JournalEntry": JOURNAL_ENTRY,
}
