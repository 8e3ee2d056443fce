"""A property-based fuzz run driven by the OpenAPI document: for every operation, requests
built from its parameter and body schemas (valid values biased to the test's companies and
years) and from arbitrary values, against the test server. Every answer must be below 500,
be one the operation documents, and match the documented schema."""

import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from .api_common import ApiCommon

EXAMPLES = 30
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
JUNK = st.text(max_size=12) | st.integers().map(str) | st.sampled_from(["", "-1", "1e3", "0x10"])


class TestApiFuzz(ApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_entry("2025-04-10", [("1920", 250000), ("3000", -250000)])
        cls.filing = cls.env["annual.account"]._create_draft(cls.company, 2024)

    def setUp(self):
        super().setUp()
        self.document = self.call("GET", "/api/v2/openapi.json", key=False).json()
        self.components = self.document["components"]

    def schema(self, schema):
        """``schema`` with the document's components, so its local $refs resolve."""
        return {**schema, "components": self.components}

    def value_strategy(self, name, schema):
        known = {
            "client_account_id": st.sampled_from([self.company.id, self.other_company.id]),
            "reporting_year": st.sampled_from([2024, 2025]),
            "submission_id": st.sampled_from([self.filing.id, 999999]),
        }
        valid = from_schema(self.schema(schema))
        if name in known:
            valid = known[name] | valid
            if schema.get("type") == "array":
                valid = st.lists(known[name], min_size=1, max_size=2) | valid
        return valid

    def params_strategy(self, operation):
        fields = {}
        for param in operation["parameters"]:
            value = self.value_strategy(param["name"], param["schema"])
            if param["in"] == "query" and not param["required"]:
                value = st.none() | value | JUNK
            elif param["in"] == "query":
                value = value | JUNK
            fields[(param["in"], param["name"])] = value
        return st.fixed_dictionaries(fields)

    def body_strategy(self, operation):
        body = operation.get("requestBody")
        if not body:
            return st.none()
        schema = body["content"]["application/json"]["schema"]
        valid = from_schema(self.schema(schema))
        if "Scope" in json.dumps(schema) or "AllocationPost" in json.dumps(schema):
            scope = st.fixed_dictionaries(
                {
                    "client_account_id": st.sampled_from([self.company.id, self.other_company.id]),
                    "reporting_year": st.sampled_from([2024, 2025]),
                }
            )
            valid = valid | scope
        return valid | JSON_VALUES

    def request(self, path, method, params, body):
        query, url = {}, path
        for (where, name), value in params.items():
            if value is None:
                continue
            if where == "path":
                url = url.replace("{" + name + "}", str(value))
            else:
                query[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return self.call(method.upper(), url, params=query, json=body)

    def check(self, operation, response):
        self.assertLess(response.status_code, 500, response.text[:300])
        documented = operation["responses"].get(str(response.status_code))
        self.assertTrue(documented, f"undocumented status {response.status_code}")
        content_type = response.headers["Content-Type"].split(";")[0]
        self.assertIn(content_type, documented["content"])
        if content_type == "application/pdf":
            self.assertTrue(response.content.startswith(b"%PDF"))
            return
        schema = documented["content"][content_type]["schema"]
        jsonschema.validate(
            response.json(),
            self.schema(schema),
            cls=jsonschema.Draft202012Validator,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )

    def fuzz(self, path, method, operation, examples, statuses):
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(params=self.params_strategy(operation), body=self.body_strategy(operation))
        def run(params, body):
            response = self.request(path, method, params, body)
            self.check(operation, response)
            statuses.setdefault((method.upper(), path), set()).add(response.status_code)

        run()

    def test_fuzz_every_operation(self):
        statuses = {}
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                # wkhtmltopdf is slow: a few PDFs (their errors are the other operations')
                examples = 3 if path.endswith("/pdf") else EXAMPLES
                with self.subTest(path=path, method=method):
                    self.fuzz(path, method, operation, examples, statuses)
        # The run reached the success path of the operations, not only their refusals.
        for key, status in (
            (("GET", "/api/v2/annual-accounts/preview"), 200),
            (("GET", "/api/v2/annual-accounts/submissions"), 200),
            (("GET", "/api/v2/annual-accounts/annual-allocations"), 200),
            (("POST", "/api/v2/annual-accounts/drafts"), 201),
            (("GET", "/api/v2/openapi.json"), 200),
        ):
            self.assertIn(status, statuses[key], key)
        self.assertFalse([k for k, codes in statuses.items() if max(codes) >= 500])
