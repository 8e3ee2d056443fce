"""A seeded generator of API requests, driven by the OpenAPI document.

Each request starts valid for one operation (values from its schemas, ids and years from the
test's data) and then, most of the time, is broken in one or two ways: a field or parameter
replaced by a hostile value (wrong type, huge or non-finite number, NUL, lone surrogate,
control character, very long text), a required field dropped, an unknown one added, the body
replaced or malformed, an id of another company or of nothing, no or a wrong API key, or a
method the path does not serve. The same seed gives the same requests.

Plain Python; the test (``test_api_fuzz``) sends them and checks the answers.
"""

import copy
import json
import random
from dataclasses import dataclass, field

from ..tools.allocation_inputs import INPUT_FIELDS
from ..tools.amounts import MAX_AMOUNT

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO")
AMOUNTS = ("0", "0.01", "1000", "50000.00", "150000.00", "999999999999.99")
TEXTS = ("Regnskapsprinsipper", "Lønn og årsverk", "Ærlig Øst Å", "", " ", "a" * 300)
ACCOUNT_CODES = ("8920", "2800", "8960", "2050", "1920", "3000", "0000", "")
# Hostile values, by the kind of value they replace (and any of them anywhere).
HOSTILE_TEXTS = (
    "",
    "x" * 70000,
    "a\x00b",
    "\ud800",
    "x\udfff",
    "line\x0bfeed",
    "\x1b[31m",
    "\ufffe",
    "😀 ١٢٣ \u202e",
    "'; DROP TABLE annual_account; --",
    "<script>alert(1)</script>",
    "%(x)s %s {0}",
)
HOSTILE_NUMBERS = (
    0,
    -1,
    1.5,
    -0.0,
    2**31,
    2**63,
    10**30,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    "-1",
    "1e26",
    "99999999999999999999999999.99",
    "12345678901234567.89",
    f"{MAX_AMOUNT:f}",  # the largest accepted: it must read back exactly
    f"{MAX_AMOUNT + 1:f}",
    "0.001",
    "-0.00",
    "NaN",
)
HOSTILE = (
    *HOSTILE_TEXTS,
    *HOSTILE_NUMBERS,
    None,
    True,
    [],
    {},
    [[[]]],
    {"nested": {"deeper": [1, "2", None]}},
)
MAX_PARAM = 8000
PATH_JUNK = ("0", "-1", "abc", "1.5", "99999999999999999999", "%00", "2147483648")
BROKEN_BODIES = (
    b"",
    b"{",
    b"[1, 2",
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{}",
    b"null",
    b'"text"',
    b"12",
    b"[" * 5000 + b"]" * 5000,
    b'{"a": NaN}',
    b'{"a": 1e99999999999999999999}',
    b'{"a": "\\ud800"}',
    b'{"a": "\x00"}',
)


@dataclass
class FuzzRequest:
    method: str
    template: str  # the path in the document
    operation: dict | None  # the operation served at (path, method); None for a wrong method
    allowed: list  # the methods the path serves
    path_params: set = field(default_factory=set)
    path: str = ""  # the path to request
    params: dict = field(default_factory=dict)
    body: bytes | None = None
    key: str = "manager"  # "manager", "limited", "none" or "wrong"
    change: str = "valid"  # what was broken, for the report of a failure

    def describe(self):
        body = (self.body or b"")[:300]
        return f"{self.method} {self.path} {self.params} key={self.key} [{self.change}] {body!r}"


class RequestFactory:
    """``next()`` gives the next request. ``values`` holds the ids and years to draw from:
    ``client_account_id``, ``reporting_year``, ``submission_id`` (a list the test extends with
    the drafts it makes), ``partner_id``; ``other_client_account_id`` and
    ``other_submission_id``, of a company no caller may access; and ``examples``:
    ``{operationId: [body]}``, valid bodies a request starts from more often than from the
    schema (a client edits the notes it read)."""

    def __init__(self, document, values, seed):
        self.document = document
        self.values = values
        self.rng = random.Random(seed)
        self.operations = [
            (path, method.upper(), operation)
            for path, item in document["paths"].items()
            for method, operation in item.items()
        ]
        self.allowed = {
            path: sorted({method.upper() for method in item} | {"OPTIONS"})
            for path, item in document["paths"].items()
        }
        # Rendering a PDF takes a second: its operation is drawn less often.
        self.weights = [0.2 if path.endswith("/pdf") else 1 for path, _m, _o in self.operations]

    # ------------------------------------------------------------------------------------------
    # A request
    # ------------------------------------------------------------------------------------------

    def next(self):
        rng = self.rng
        template, method, operation = rng.choices(self.operations, self.weights)[0]
        params = {p["name"]: self.valid(p["schema"], p["name"]) for p in operation["parameters"]}
        params = {n: v for n, v in params.items() if v is not None}
        body = None
        examples = self.values["examples"].get(operation["operationId"])
        if examples and rng.random() < 0.7:
            body = copy.deepcopy(rng.choice(examples))
        elif operation.get("requestBody"):
            body = self.valid(operation["requestBody"]["content"]["application/json"]["schema"])
        path_params = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        request = FuzzRequest(method, template, operation, self.allowed[template], path_params)
        changes = [] if rng.random() < 0.25 else rng.sample(CHANGES, rng.choice((1, 1, 2)))
        for change in changes:
            params, body = change(self, request, params, body)
        request.change = ", ".join(c.__name__ for c in changes) or "valid"
        request.path = template
        for name in path_params:
            request.path = request.path.replace("{" + name + "}", str(params.pop(name, "1")))
        request.params = {name: self.query_text(value) for name, value in params.items()}
        if body is not None and not isinstance(body, bytes):
            # allow_nan: NaN and Infinity as Python writes them; ensure_ascii: lone
            # surrogates as \\ud800 escapes, as a client would send them.
            body = json.dumps(body, allow_nan=True).encode()
        request.body = body
        return request

    def query_text(self, value):
        """A parameter as the bytes a client sends (a lone surrogate as its UTF-8 bytes)."""
        if isinstance(value, list):
            return [self.query_text(v if not isinstance(v, list) else json.dumps(v)) for v in value]
        text = value if isinstance(value, str) else json.dumps(value, allow_nan=True)
        # A request line beyond 64 KiB is the HTTP server's to refuse, before Odoo sees it.
        return text[:MAX_PARAM].encode("utf-8", "surrogatepass")

    # ------------------------------------------------------------------------------------------
    # Valid values from a schema
    # ------------------------------------------------------------------------------------------

    def resolve(self, schema):
        while "$ref" in schema:
            schema = self.document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def valid(self, schema, name=None):
        rng, schema = self.rng, self.resolve(schema)
        if name in self.values:
            value = rng.choice(self.values[name])
            return [value] if schema.get("type") == "array" else value
        if name in ("debit", "credit"):
            return rng.choice(AMOUNTS)
        if name == "account_code":
            return rng.choice(ACCOUNT_CODES)
        if name == "structured_data":
            return self.structured_data()
        if name == "body" and "anyOf" in schema and rng.random() < 0.5:
            return self.table()
        if "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            return self.valid(rng.choice(options), name) if rng.random() < 0.9 else None
        if "enum" in schema:
            return rng.choice(schema["enum"])
        kind = schema.get("type")
        if kind == "object":
            properties = schema.get("properties", {})
            required = set(schema.get("required", ()))
            return {
                key: self.valid(sub, key)
                for key, sub in properties.items()
                if key in required or rng.random() < 0.5
            }
        if kind == "array":
            return [self.valid(schema["items"]) for _i in range(rng.randint(0, 3))]
        if kind == "integer":
            low, high = schema.get("minimum", 0), schema.get("maximum", 1000)
            return rng.randint(low, min(high, low + 1000))
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "string" and schema.get("format") == "date":
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            return f"{rng.choice((2024, 2025, 2026))}-{month:02d}-{day:02d}"
        if kind == "string":
            return rng.choice(TEXTS) or "x" * schema.get("minLength", 0)
        return None

    def table(self):
        rng = self.rng
        width = rng.randint(1, 4)
        return {
            "columns": [rng.choice(TEXTS) for _i in range(width)],
            "rows": [
                [rng.choice(AMOUNTS + TEXTS) for _j in range(width)]
                for _i in range(rng.randint(0, 3))
            ],
        }

    def structured_data(self):
        rng, data = self.rng, {}
        for key, (kind, _default) in INPUT_FIELDS.items():
            if rng.random() < 0.4:
                continue
            if kind == "bool":
                data[key] = rng.random() < 0.5
            elif kind == "id":
                data[key] = rng.choice(self.values["partner_id"])
            else:
                data[key] = rng.choice(AMOUNTS + (("-5000.00",) if kind == "signed" else ()))
        return data


# ----------------------------------------------------------------------------------------------
# What a request may have broken: each takes and returns (params, body)
# ----------------------------------------------------------------------------------------------


def paths_in(value, prefix=()):
    """Every place in a JSON value: ``[(path, value)]``, the value itself first."""
    found = [(prefix, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_in(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_in(item, (*prefix, index))
    return found


def replaced(value, path, new):
    if not path:
        return new
    value = copy.deepcopy(value)
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return value


def hostile_field(factory, request, params, body):
    """One to three values of the body, at any depth, become hostile: mostly of their own
    kind (a text another text, a number or amount another number), else anything."""
    if body is None:
        return hostile_param(factory, request, params, body)
    rng = factory.rng
    for _i in range(rng.choice((1, 1, 2, 3))):
        places = paths_in(body)
        leaves = [(p, v) for p, v in places if not isinstance(v, dict | list)]
        path, value = rng.choice(leaves or places)
        body = replaced(
            body, path, rng.choice(hostile_for(value) if rng.random() < 0.8 else HOSTILE)
        )
    return params, body


def hostile_for(value):
    numeric = isinstance(value, int | float) or (
        isinstance(value, str) and value.replace(".", "", 1).isdigit()
    )
    return HOSTILE_NUMBERS if numeric else HOSTILE_TEXTS


def hostile_param(factory, request, params, body):
    """A query or path parameter becomes a hostile value (or junk in the path)."""
    if not params:
        return {"unknown": factory.rng.choice(HOSTILE)}, body
    name = factory.rng.choice(sorted(params))
    params = dict(params)
    pool = PATH_JUNK if name in request.path_params else HOSTILE
    params[name] = factory.rng.choice(pool)
    return params, body


def dropped_field(factory, request, params, body):
    """A field of an object in the body, or a parameter, is left out."""
    places = [(p, v) for p, v in paths_in(body) if isinstance(v, dict) and v]
    if not places:
        if params:
            params = dict(params)
            params.pop(factory.rng.choice(sorted(params)))
        return params, body
    path, value = factory.rng.choice(places)
    smaller = dict(value)
    smaller.pop(factory.rng.choice(sorted(smaller)))
    return params, replaced(body, path, smaller)


def unknown_field(factory, request, params, body):
    """An object in the body, or the query string, gets a field nobody knows."""
    name = factory.rng.choice(("colour", "id", "company_id", "state", "__proto__", "a\x00"))
    places = [(p, v) for p, v in paths_in(body) if isinstance(v, dict)]
    if not places:
        return {**params, name: "1"}, body
    path, value = factory.rng.choice(places)
    return params, replaced(body, path, {**value, name: factory.rng.choice(HOSTILE)})


def other_ids(factory, request, params, body):
    """Ids and years of another company, of nothing, or out of range."""
    rng = factory.rng
    choices = {
        "client_account_id": (*factory.values["other_client_account_id"], 999999, 0, 2**31),
        "submission_id": (*factory.values["other_submission_id"], 999999, 2**31, 2**40),
        "reporting_year": (1900, 3000, 2023, -1),
        "partner_id": (999999, 2**31, 0),
        "recipient_business_partner_id": (999999, 2**31, -5),
    }
    params = {
        name: rng.choice(choices[name]) if name in choices else value
        for name, value in params.items()
    }
    for path, _value in paths_in(body):
        if path and path[-1] in choices and rng.random() < 0.7:
            body = replaced(body, path, rng.choice(choices[path[-1]]))
    return params, body


def broken_body(factory, request, params, body):
    """The body replaced: malformed JSON, not UTF-8, the wrong type, or a hostile value."""
    rng = factory.rng
    if rng.random() < 0.5:
        return params, rng.choice(BROKEN_BODIES)
    return params, rng.choice(HOSTILE)


def wrong_key(factory, request, params, body):
    """No API key, a wrong one, or the key of a user who may access one company only."""
    request.key = factory.rng.choice(("none", "wrong", "limited", "limited"))
    return params, body


def wrong_method(factory, request, params, body):
    """A method the path does not serve."""
    request.method = factory.rng.choice([m for m in METHODS if m not in request.allowed])
    request.operation = None
    return params, body


# Breaking a value is what finds most: it is drawn most often.
CHANGES = (
    *[hostile_field] * 4,
    *[hostile_param] * 2,
    dropped_field,
    unknown_field,
    other_ids,
    broken_body,
    wrong_key,
    wrong_method,
)
