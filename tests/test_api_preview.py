from unittest.mock import patch

from odoo.tools import mute_logger

from .api_common import ApiCommon


class TestApiPreview(ApiCommon):
    """GET /preview: the statements with comparatives from the ledger, through the engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_entry("2024-06-30", [("1920", 80000), ("3000", -80000)])
        cls.make_entry("2025-03-31", [("1920", 125000), ("3000", -125000)])
        cls.make_entry("2025-04-30", [("6300", 20000), ("1920", -20000)])

    def preview(self, key=None, **params):
        params.setdefault("client_account_id", self.company.id)
        params.setdefault("reporting_year", 2025)
        return self.call("GET", "/preview", key=key, params=params)

    def line(self, lines, code):
        return next(line for line in lines if line["code"] == code)

    def test_preview_matches_engine(self):
        body = self.assertOk(self.preview())
        self.assertEqual(body["client_account_id"], self.company.id)
        self.assertEqual((body["from_date"], body["to_date"]), ("2025-01-01", "2025-12-31"))
        self.assertEqual(body["prior_from_date"], "2024-01-01")
        self.assertEqual(body["currency_code"], "NOK")
        snapshot = self.engine.compute(self.company, "2025-01-01", "2025-12-31")
        sales = self.line(body["income_statement"], "1340")
        self.assertEqual(sales["prior_code"], "7965")
        self.assertEqual((sales["amount"], sales["prior_amount"]), ("125000.00", "80000.00"))
        self.assertEqual(sales["label"], "Salgsinntekt")
        self.assertEqual(
            [(a["code"], a["amount"], a["prior_amount"]) for a in sales["accounts"]],
            [("3000", "125000.00", "80000.00")],
        )
        engine_lines = {line["key"]: line for line in snapshot["lines"]}
        for line in body["income_statement"] + body["balance_sheet"]:
            self.assertEqual(line["amount"], engine_lines[line["key"]]["amount"], line["key"])
        self.assertEqual(
            len(body["income_statement"]) + len(body["balance_sheet"]), len(snapshot["lines"])
        )
        self.assertEqual(
            [f["code"] for f in body["findings"]], [f["code"] for f in snapshot["findings"]]
        )
        # Bank (1920) in the balance sheet: 80 000 last year, 185 000 this year.
        bank = next(
            line
            for line in body["balance_sheet"]
            if any(a["code"] == "1920" for a in line["accounts"])
        )
        self.assertEqual((bank["amount"], bank["prior_amount"]), ("185000.00", "80000.00"))

    def test_preview_period(self):
        body = self.assertOk(self.preview(from_date="2025-01-01", to_date="2025-03-31"))
        self.assertEqual(body["to_date"], "2025-03-31")
        self.assertEqual(self.line(body["income_statement"], "1340")["amount"], "125000.00")
        body = self.assertOk(self.preview(from_date="2025-04-01"))
        self.assertEqual((body["from_date"], body["to_date"]), ("2025-04-01", "2025-12-31"))
        self.assertEqual(self.line(body["income_statement"], "1340")["amount"], "0.00")

    def test_preview_bad_input(self):
        cases = [
            ({"client_account_id": None}, "client_account_id: required"),
            ({"reporting_year": None}, "reporting_year: required"),
            ({"reporting_year": "abc"}, "reporting_year: an integer is required"),
            ({"reporting_year": "20251"}, "reporting_year: must be between"),
            ({"client_account_id": "7x"}, "client_account_id: an integer is required"),
            ({"from_date": "2025-02-30"}, "from_date: a date YYYY-MM-DD is required"),
            ({"to_date": "20251231"}, "to_date: a date YYYY-MM-DD is required"),
            ({"from_date": "2025-06-01", "to_date": "2025-05-31"}, "to_date: must not be"),
            ({"colour": "blue"}, "colour: unknown parameter"),
        ]
        for params, text in cases:
            with self.subTest(params=params):
                params = {k: v for k, v in params.items()}
                response = self.preview(**params)
                self.assertError(response, 400, text)

    def test_preview_access(self):
        self.assertError(self.preview(key=False), 401)
        self.assertError(self.preview(key="not-a-key"), 401)
        response = self.preview(key=self.limited_key, client_account_id=self.other_company.id)
        self.assertError(response, 403, "client_account_id")
        self.assertError(self.preview(client_account_id=2**31 + 5), 400, "client_account_id")
        self.assertError(self.preview(client_account_id=999999), 403, "client_account_id")
        self.assertOk(self.preview(key=self.limited_key))

    def test_preview_method_and_path(self):
        response = self.call("POST", "/preview", json={})
        self.assertError(response, 405)
        self.assertIn("GET", response.headers["Allow"])
        self.assertError(self.call("GET", "/previews"), 404)
        self.assertError(self.call("DELETE", "/submissions/1"), 405)

    def test_browser_session(self):
        """A logged-in user opening the URL in the browser (Odoo's Sec-Fetch check) is served;
        the same session without those headers is not."""
        self.authenticate("api_limited", "api_limited")
        params = {"client_account_id": self.company.id, "reporting_year": 2025}
        browser = {
            "Sec-Fetch-Dest": "document",
            "Sec-Fetch-Mode": "navigate",
            "Sec-Fetch-Site": "none",
            "Sec-Fetch-User": "?1",
        }
        response = self.call("GET", "/preview", key=False, params=params, headers=browser)
        self.assertEqual(response.json()["client_account_id"], self.company.id)
        self.assertError(self.call("GET", "/preview", key=False, params=params), 401)

    def test_unexpected_failure_is_a_bare_500(self):
        """An unexpected exception answers 500 with the error body and no detail of it, and
        rolls back what the request wrote."""
        Engine = type(self.env["annual.statement.engine"])

        def fail(engine, company, **_kwargs):
            engine.env["ir.config_parameter"].sudo().set_param("api.test.trace", "written")
            raise RuntimeError("secret internal detail")

        with patch.object(Engine, "compute", fail), mute_logger("odoo.http"):
            response = self.preview()
        body = self.assertError(response, 500)
        self.assertEqual(body["error"], "Internal server error")
        self.assertNotIn("secret", response.text)
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param("api.test.trace"))
