"""The fuzz run over every operation of the OpenAPI document (issue 14): seeded requests from
``tests/api_fuzz.py``, valid and broken, sent to the test server one after the other. No
answer is 500 or more; every answer is one its operation documents, in the documented shape
(a method the path does not serve: 405 with ``Allow``); and a refused request leaves the
module's tables, the journal entries and their lines as they were.

``L10N_NO_AA_FUZZ_REQUESTS`` (default 2000) and ``L10N_NO_AA_FUZZ_SEED`` (default 14) choose
the run, e.g. ``L10N_NO_AA_FUZZ_REQUESTS=20000 scripts/test --odoo-only tests/test_api_fuzz.py``.
"""

import copy
import os

import jsonschema
import requests

from .api_common import ApiCommon
from .api_fuzz import RequestFactory

REQUESTS = int(os.environ.get("L10N_NO_AA_FUZZ_REQUESTS") or 2000)
SEED = int(os.environ.get("L10N_NO_AA_FUZZ_SEED") or 14)
SUCCESSES = (
    ("GET", "/api/v2/annual-accounts/preview", 200),
    ("GET", "/api/v2/annual-accounts/submissions", 200),
    ("GET", "/api/v2/annual-accounts/submissions/{submission_id}", 200),
    ("GET", "/api/v2/annual-accounts/submissions/{submission_id}/notes", 200),
    ("PUT", "/api/v2/annual-accounts/submissions/{submission_id}/notes", 200),
    ("POST", "/api/v2/annual-accounts/submissions/{submission_id}/cancel", 200),
    ("POST", "/api/v2/annual-accounts/drafts", 201),
    ("GET", "/api/v2/annual-accounts/annual-allocations", 200),
    ("POST", "/api/v2/annual-accounts/annual-allocations", 200),
    ("GET", "/api/v2/openapi.json", 200),
)


class TestApiFuzz(ApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.l10n_no_aa_org_form = "AS"
        cls.make_entry("2024-12-31", [("1920", 100000), ("2000", -100000)])
        cls.make_entry("2025-04-10", [("1920", 250000), ("3000", -250000)])
        # A client account no API user may access.
        cls.stranger = cls.setup_other_company(name="Fremmed Klient AS")["company"]
        Filing = cls.env["annual.account"]
        filings = [
            Filing._create_draft(company, year)
            for company, year in ((cls.company, 2024), (cls.other_company, 2025))
        ]
        partner = cls.env["res.partner"].create({"name": "Mottaker AS"})
        notes = cls.env["annual.account.note"]._notes_of(filings[0])
        text = next(note for note in notes if note["body_type"] == "text")
        table = next(note for note in notes if note["body_type"] == "table")
        scope = {"client_account_id": cls.company.id, "reporting_year": 2025}
        lines = [
            {"account_code": "8920", "debit": "1000.00", "credit": "0"},
            {"account_code": "2800", "debit": "0", "credit": "1000.00", "partner_id": partner.id},
        ]
        data = {"dividend": "1000.00", "board_confirmation": True}
        cls.values = {
            "client_account_id": [cls.company.id, cls.company.id, cls.other_company.id],
            "reporting_year": [2024, 2025, 2025],
            "submission_id": [filing.id for filing in filings],
            "partner_id": [partner.id, cls.stranger.partner_id.id],
            "other_client_account_id": [cls.stranger.id],
            "other_submission_id": [Filing._create_draft(cls.stranger, 2025).id],
            "examples": {
                "updateNotes": [[text], [table], [text, dict(table, key="x", note_number=9)]],
                "postAnnualAllocations": [
                    {**scope, "is_draft": True, "lines": lines, "structured_data": data},
                    {**scope, "is_draft": True, "description": "Utkast", "lines": lines[:1]},
                    {**scope, "lines": lines, "structured_data": data},
                ],
            },
        }

    def test_fuzz_every_operation(self):
        document = self.call("GET", "/api/v2/openapi.json", key=False).json()
        self.components = document["components"]
        values = copy.deepcopy(self.values)  # the run adds the drafts it makes
        factory = RequestFactory(document, values, SEED)
        keys = {"manager": self.key, "limited": self.limited_key, "none": False, "wrong": "x1"}
        seen, failures = set(), []
        before = self.db_fingerprint()
        for number in range(REQUESTS):
            request = factory.next()
            headers = {"Content-Type": "application/json"} if request.body is not None else {}
            try:
                response = self.call(
                    request.method,
                    request.path,
                    key=keys[request.key],
                    params=request.params,
                    data=request.body,
                    headers=headers,
                )
            except requests.RequestException as error:
                self.fail(f"#{number} {request.describe()}\n    no answer: {error}")
            status = response.status_code
            problem = self.problem(request, response)
            after = self.db_fingerprint()
            if status >= 400 and after != before:
                changed = sorted(table for table in after if after[table] != before.get(table))
                problem = problem or f"refused with {status} but changed {changed}"
            before = after
            if status == 201:
                values["submission_id"].append(response.json()["id"])
            if problem:
                failures.append(f"#{number} {request.describe()}\n    {problem}")
            if request.operation:
                seen.add((request.method, request.template, status))
        self.assertFalse(failures, f"{len(failures)} failures:\n" + "\n".join(failures[:20]))
        # The run reached the success path of the operations, not only their refusals.
        self.assertFalse([s for s in SUCCESSES if s not in seen])

    def problem(self, request, response):
        """What is wrong with ``response`` to ``request``, or None."""
        status = response.status_code
        if status >= 500:
            return f"{status}: {response.text[:300]}"
        content_type = response.headers.get("Content-Type", "").split(";")[0]
        if request.operation is None:  # a method the path does not serve
            if status not in (404, 405) or content_type != "application/json":
                return f"{status} {content_type} for a wrong method"
            if status == 405 and response.headers.get("Allow") != ", ".join(request.allowed):
                return f"405 with Allow {response.headers.get('Allow')}"
            return self.schema_problem(response.json(), {"$ref": "#/components/schemas/Error"})
        documented = request.operation["responses"].get(str(status))
        if not documented:
            return f"undocumented status {status}: {response.text[:300]}"
        if content_type not in documented["content"]:
            return f"{status} answered {content_type}"
        if content_type == "application/pdf":
            return None if response.content.startswith(b"%PDF") else "not a PDF"
        body = response.json()
        if status >= 400 and body.get("status") != status:
            return f"{status} with the body {body}"
        return self.schema_problem(body, documented["content"][content_type]["schema"])

    def schema_problem(self, body, schema):
        try:
            jsonschema.validate(
                body,
                {**schema, "components": self.components},
                cls=jsonschema.Draft202012Validator,
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
        except jsonschema.ValidationError as error:
            return f"not as documented: {error.message[:300]}"
        return None
