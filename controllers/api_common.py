"""Shared plumbing of the JSON API under /api/v2: the error table, JSON responses, input
parsing and the caller's companies.

Every endpoint is wrapped by ``api_endpoint``: a handled error rolls the transaction back
(Odoo commits a request whose handler returned normally) and answers
``{"error": ..., "status": N}``. Errors raised before the handler runs (authentication) or not
handled here reach ``ir.http._handle_error``, which answers with the same table.
"""

import functools
import json
import logging
import re
from datetime import date, datetime, timezone
from decimal import Decimal

import werkzeug.exceptions
import werkzeug.routing

from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.http import SessionExpiredException, request

from ..tools import limits

_logger = logging.getLogger(__name__)

API_PREFIX = "/api/v2/"
MIN_YEAR, MAX_YEAR = 1901, 2999
MAX_ID = limits.MAX_INTEGER  # a larger id is simply unknown
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ApiError(Exception):
    """A refusal decided by the API layer itself: status and the message to show."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


# ------------------------------------------------------------------------------------------
# The error table: first match wins; a None message means the exception's own text, which
# only user-facing exceptions (UserError and its validation kin) carry.
# ------------------------------------------------------------------------------------------

HTTP_MESSAGES = {
    400: "Bad request",
    401: "Authentication required: send 'Authorization: Bearer <API key>'",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
}

ERROR_TABLE = (
    (ApiError, None, None),
    (AccessDenied, 401, "Invalid credentials"),
    (SessionExpiredException, 401, HTTP_MESSAGES[401]),
    (MissingError, 404, "Not found"),
    (AccessError, 403, "Forbidden: you have no access to this resource"),
    (UserError, 400, None),
    (werkzeug.exceptions.HTTPException, None, None),
)
# What an endpoint answers itself (and rolls back); anything else propagates to Odoo, whose
# transaction handling must see concurrency errors, and then to ir.http._handle_error.
HANDLED_ERRORS = (ApiError, UserError, werkzeug.exceptions.HTTPException)


def error_status_message(exc):
    for exc_class, status, message in ERROR_TABLE:
        if not isinstance(exc, exc_class):
            continue
        if isinstance(exc, ApiError):
            return exc.status, exc.message
        if isinstance(exc, werkzeug.exceptions.HTTPException):
            status = exc.code or 500
            return status, HTTP_MESSAGES.get(status, "Error")
        return status, message or (exc.args[0] if exc.args else HTTP_MESSAGES[status])
    return 500, "Internal server error"


def error_response(exc):
    status, message = error_status_message(exc)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="odoo"'
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    return json_response({"error": str(message), "status": status}, status, headers)


def json_response(body, status=200, headers=None):
    return request.make_json_response(body, headers=list((headers or {}).items()), status=status)


def is_api_path(path):
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def is_api_request():
    return bool(request) and is_api_path(request.httprequest.path)


def api_endpoint(func):
    """Answer handled errors with the error table after rolling back the transaction."""

    @functools.wraps(func)
    def endpoint(self, *args, **kwargs):
        if request.httprequest.method == "OPTIONS":
            # Odoo routes OPTIONS to every endpoint: answer it, never run the handler.
            allowed = allowed_methods(request.httprequest.path)
            if allowed:
                return options_response(allowed)
            return error_response(ApiError(404, "Not found"))
        try:
            return func(self, *args, **kwargs)
        except HANDLED_ERRORS as exc:
            request.env.cr.rollback()
            return error_response(exc)

    return endpoint


def options_response(allowed):
    return request.make_response(b"", headers=[("Allow", ", ".join(allowed))], status=204)


def unrouted_response():
    """The answer to a request no API route takes: 405 naming the methods the path serves,
    else 404 (``ir.http._serve_fallback``)."""
    allowed = allowed_methods(request.httprequest.path)
    if allowed:
        return error_response(werkzeug.exceptions.MethodNotAllowed(valid_methods=allowed))
    return error_response(ApiError(404, "Not found"))


def api_routes():
    """``{path template: methods}`` of every API route, from Odoo's routing map: what is
    really served."""
    routes = {}
    for rule in request.env["ir.http"].routing_map().iter_rules():
        if is_api_path(rule.rule):
            methods = set(rule.methods or ()) - {"OPTIONS", "HEAD"}
            routes.setdefault(rule.rule, set()).update(methods)
    return routes


def allowed_methods(path):
    """The methods served at ``path`` (with OPTIONS), none when no route matches it."""
    rules = [
        werkzeug.routing.Rule(rule, methods=sorted(methods), endpoint=rule)
        for rule, methods in api_routes().items()
    ]
    adapter = werkzeug.routing.Map(rules, strict_slashes=False).bind("localhost")
    methods = set(adapter.allowed_methods(path)) - {"HEAD"}
    return sorted(methods | {"OPTIONS"}) if methods else []


# ------------------------------------------------------------------------------------------
# Query string
# ------------------------------------------------------------------------------------------


class Query:
    """The query string, checked: unknown and repeated parameters are refused."""

    def __init__(self, allowed, repeatable=()):
        self.args = request.httprequest.args
        for name, value in self.args.items(multi=True):
            check_text(name, "query: a parameter name")
            check_text(value, name)
        unknown = sorted(set(self.args) - set(allowed))
        if unknown:
            raise ApiError(400, f"{unknown[0]}: unknown parameter")
        for name in self.args:
            if name not in repeatable and len(self.args.getlist(name)) > 1:
                raise ApiError(400, f"{name}: given more than once")

    def int(self, name, required=False, minimum=None, maximum=None):
        value = self.args.get(name)
        if value is None or value == "":
            if required:
                raise ApiError(400, f"{name}: required")
            return None
        return parse_int(name, value, minimum, maximum)

    def year(self, name, required=False):
        return self.int(name, required, MIN_YEAR, MAX_YEAR)

    def date(self, name):
        value = self.args.get(name)
        return None if value in (None, "") else parse_date(name, value)

    def str(self, name):
        return self.args.get(name) or None

    def int_list(self, name):
        """Repeated or comma-separated integers (``?x=1&x=2`` or ``?x=1,2``)."""
        values = [part for value in self.args.getlist(name) for part in value.split(",")]
        return [parse_int(name, value.strip(), 1, MAX_ID) for value in values] or None


def parse_int(name, value, minimum=None, maximum=None, text=True):
    """An integer from the query string (``text``) or a JSON body, where only a JSON number
    without fraction is one."""
    if text and isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        value = int(value)
    elif text or isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"{name}: an integer is required")
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise ApiError(400, f"{name}: must be between {minimum} and {maximum}")
    return value


def parse_date(name, value):
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed and MIN_YEAR <= parsed.year <= MAX_YEAR:
            return parsed
    raise ApiError(400, f"{name}: a date YYYY-MM-DD is required")


# ------------------------------------------------------------------------------------------
# Body
# ------------------------------------------------------------------------------------------


def json_body(expected=dict):
    """The request body as JSON of the ``expected`` type (dict or list), checked once for
    every field: UTF-8, numbers with a fraction or exponent as exact ``Decimal`` (money must
    not pass through a float), no NaN or Infinity (not JSON), and no string holding a
    character our texts cannot carry (``check_texts``)."""
    try:
        text = request.httprequest.get_data().decode()
        body = json.loads(text, parse_float=json_decimal, parse_constant=json_constant)
    except (ValueError, RecursionError):
        raise ApiError(400, "body: invalid JSON") from None
    if not isinstance(body, expected):
        kind = "a JSON object" if expected is dict else "a JSON array"
        raise ApiError(400, f"body: {kind} is required")
    check_texts(body, "" if expected is dict else "body")
    return body


def json_decimal(text):
    try:
        return Decimal(text)
    except ArithmeticError:  # an exponent beyond what Decimal holds
        raise ApiError(400, f"body: the number {text[:30]} is out of range") from None


def json_constant(name):
    raise ApiError(400, f"body: {name} is not a JSON number")


def check_texts(value, where):
    """Refuse the first string (value or field name) in ``value`` that holds NUL, a control
    character or an unpaired surrogate, naming its field: PostgreSQL cannot store the first
    and the last, and BRG's XML none of them. Iterative, as deep as the JSON parser went."""
    stack = [(value, where)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            check_text(value, where or "body")
        elif isinstance(value, dict):
            items = []
            for key, item in value.items():
                check_text(key, f"{where or 'body'}: a field name")
                items.append((item, f"{where}.{key}" if where else key))
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend(reversed([(item, f"{where}[{i}]") for i, item in enumerate(value)]))


def check_text(text, where):
    if not limits.is_clean_text(text):
        raise ApiError(400, f"{where}: must not contain {limits.FORBIDDEN_CHARS_TEXT}")


def check_fields(body, required, optional=(), prefix=""):
    """Refuse unknown and missing keys of a JSON object, naming the first one."""
    unknown = sorted(set(body) - set(required) - set(optional))
    if unknown:
        raise ApiError(400, f"{prefix}{unknown[0]}: unknown field")
    require_fields(body, required, prefix)


def require_fields(body, required, prefix=""):
    for name in required:
        if name not in body:
            raise ApiError(400, f"{prefix}{name}: required")


def body_scope(body):
    """``(company, year)`` from a body's ``client_account_id`` and ``reporting_year``."""
    company_id = parse_int("client_account_id", body["client_account_id"], 1, MAX_ID, text=False)
    year = parse_int("reporting_year", body["reporting_year"], MIN_YEAR, MAX_YEAR, text=False)
    return company(company_id), year


# ------------------------------------------------------------------------------------------
# The caller's companies (business rule 2)
# ------------------------------------------------------------------------------------------


def user_company_ids():
    """The ids of the caller's companies (Odoo caches them per user: no query)."""
    return request.env.user._get_company_ids()


def company(company_id):
    """The company ``client_account_id`` if the caller may access it; the environment is
    narrowed to it, so multi-company rules and defaults apply to it."""
    if company_id not in user_company_ids():
        raise ApiError(403, f"client_account_id: no access to client account {company_id}")
    request.update_context(allowed_company_ids=[company_id])
    return request.env["res.company"].browse(company_id)


def with_user_companies():
    """Widen the environment to every company of the caller (lists and ids)."""
    request.update_context(allowed_company_ids=list(user_company_ids()))
    return request.env


# ------------------------------------------------------------------------------------------
# Serialisation
# ------------------------------------------------------------------------------------------


def iso_datetime(value):
    """A naive UTC datetime (as Odoo stores them) in ISO 8601 with ``Z``."""
    if not value:
        return None
    if value.tzinfo:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def iso_date(value):
    return value.isoformat() if isinstance(value, date | datetime) else (value or None)
