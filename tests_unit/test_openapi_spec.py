"""The OpenAPI document as plain data: valid OpenAPI 3.1, every reference resolves, every
example of a schema the API answers with validates against it."""

import json
import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from tools import openapi_spec


def test_valid_openapi_31():
    document = openapi_spec.document("http://localhost:8069/")
    validate(document)
    assert document["servers"] == [{"url": "http://localhost:8069"}]


def test_references_resolve_and_operation_ids_are_unique():
    document = openapi_spec.document()
    refs = set(re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(document)))
    assert refs <= set(document["components"]["schemas"])
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) == 13


def test_seed_example_matches_the_yearly_account_schema():
    document = openapi_spec.document()
    example = {
        "id": 1,
        "client_account_id": 7,
        "reporting_year": 2025,
        "from_date": "2025-01-01",
        "to_date": "2025-12-31",
        "status": "SUBMITTED",
        "altinn_instance_id": "abc-def-123",
        "main_form_id": "RF-1167",
        "sub_form_id": "RF-1175",
        "submitted_at": "2026-03-15T10:00:00Z",
        "error_message": None,
        "created_at": "2026-03-14T14:00:00Z",
        "created_by_id": 7,
        "updated_at": "2026-03-15T10:00:00Z",
    }
    schema = {"$ref": "#/components/schemas/YearlyAccount", **document}
    jsonschema.validate(example, schema, cls=jsonschema.Draft202012Validator)
    bad = {**example, "submitted_at": "2026-03-15 10:00:00"}
    with pytest.raises(jsonschema.ValidationError):  # a datetime without T and Z
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)
