import re

from openapi_spec_validator import validate

from .api_common import ApiCommon

OPENAPI = "/api/v2/openapi.json"


class TestApiOpenApi(ApiCommon):
    """The document is valid OpenAPI 3.1 and describes exactly the routes Odoo serves."""

    def document(self):
        response = self.call("GET", OPENAPI, key=False)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def served_routes(self):
        """``{(path, method)}`` of every /api/v2 route in Odoo's routing map."""
        routes = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if not rule.rule.startswith("/api/v2/"):
                continue
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"OPTIONS", "HEAD"}}
        return routes

    def test_document_is_valid_openapi_31(self):
        document = self.document()
        self.assertEqual(document["openapi"], "3.1.0")
        validate(document)

    def test_paths_are_the_served_routes(self):
        document = self.document()
        documented = {(path, method) for path, item in document["paths"].items() for method in item}
        self.assertEqual(documented, self.served_routes())
        self.assertEqual(len(documented), 13)

    def test_every_operation_documents_its_errors(self):
        for path, item in self.document()["paths"].items():
            for method, operation in item.items():
                if path.endswith("openapi.json"):
                    continue
                with self.subTest(path=path, method=method):
                    responses = operation["responses"]
                    self.assertTrue({"400", "401", "403"} <= set(responses))
                    if "{submission_id}" in path:
                        self.assertIn("404", responses)
                    for code in ("400", "401", "403"):
                        schema = responses[code]["content"]["application/json"]["schema"]
                        self.assertEqual(schema, {"$ref": "#/components/schemas/Error"})
                    # Every parameter a route reads is documented (unknown ones are refused).
                    names = {p["name"] for p in operation["parameters"]}
                    self.assertEqual(
                        "submission_id" in names, "{submission_id}" in path, (path, names)
                    )

    def test_other_methods_and_paths_answer_json(self):
        response = self.call("POST", OPENAPI, key=False)
        self.assertError(response, 405)
        self.assertEqual(response.headers["Allow"], "GET, OPTIONS")
        self.assertError(self.call("GET", "/api/v2/nothing-here", key=False), 404)
        response = self.call("OPTIONS", "/drafts")
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.headers["Allow"], "OPTIONS, POST")
