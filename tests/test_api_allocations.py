from .api_common import ApiCommon

PATH = "/annual-allocations"


class TestApiAllocations(ApiCommon):
    """GET/POST /annual-allocations over HTTP, on the hand-computed ledger of
    tests/allocation_common.py: equity 570 000, maximum dividend 440 000, result 150 000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.l10n_no_aa_org_form = "AS"
        cls.make_entry(
            "2024-12-31",
            [
                ("1900", 420000),
                ("2010", 10000),
                ("2000", -100000),
                ("2020", -50000),
                ("2040", -20000),
                ("2045", -10000),
                ("2050", -250000),
            ],
        )
        cls.make_entry("2025-06-30", [("1900", 300000), ("3000", -300000)])
        cls.make_entry("2025-09-30", [("6300", 107700), ("1900", -107700)])
        cls.make_entry("2025-12-31", [("8300", 42300), ("2500", -42300)])

    def scope(self, company=None):
        return {"client_account_id": (company or self.company).id, "reporting_year": 2025}

    def final(self, dividend="100000.00", transfer="50000.00", **overrides):
        return {
            **self.scope(),
            "description": "Årsavslutning 2025",
            "structured_data": {"dividend": dividend, "board_confirmation": True},
            "lines": [
                {"account_code": "8920", "debit": dividend, "credit": "0"},
                {"account_code": "2800", "debit": "0", "credit": dividend},
                {"account_code": "8960", "debit": transfer, "credit": "0"},
                {"account_code": "2050", "debit": "0", "credit": transfer},
            ],
            **overrides,
        }

    def counts(self):
        self.env.invalidate_all()
        return (
            self.env["annual.allocation"].search_count([]),
            self.env["account.move"].search_count([]),
        )

    def test_get_without_entry_gives_the_base_ceiling(self):
        body = self.assertOk(self.call("GET", PATH, params=self.scope()))
        self.assertIsNone(body["document"])
        self.assertEqual(body["currency_code"], "NOK")
        self.assertEqual(body["max_dividend"]["total"], "440000.00")
        self.assertEqual(
            [(x["account_code"], x["debit"], x["credit"]) for x in body["suggested_lines"]],
            [("8960", "150000.00", "0.00"), ("2050", "0.00", "150000.00")],
        )

    def test_post_final_then_read_back(self):
        entry = self.assertOk(self.call("POST", PATH, json=self.final()))
        self.assertEqual(entry["state"], "posted")
        self.assertFalse(entry["is_draft"])
        self.assertEqual(entry["date"], "2025-12-31")
        self.assertEqual(
            [(x["account_code"], x["debit"], x["credit"]) for x in entry["lines"]],
            [
                ("8920", "100000.00", "0.00"),
                ("2800", "0.00", "100000.00"),
                ("8960", "50000.00", "0.00"),
                ("2050", "0.00", "50000.00"),
            ],
        )
        move = self.env["account.move"].browse(entry["id"])
        self.assertEqual((move.state, move.company_id), ("posted", self.company))
        body = self.assertOk(self.call("GET", PATH, params=self.scope()))
        document = body["document"]
        self.assertEqual(document["document_number"], "ÅRSDISP-2025")
        self.assertFalse(document["is_draft"])
        self.assertEqual(document["structured_data"]["dividend"], "100000.00")
        self.assertEqual(
            (document["period_start"], document["period_end"]), ("2025-01-01", "2025-12-31")
        )

    def test_draft_may_be_partial_final_may_not(self):
        """Rule 6: a final entry needs two balanced lines; a draft may be partial."""
        one_line = [{"account_code": "8920", "debit": "1000.00", "credit": "0"}]
        before = self.counts()
        response = self.call("POST", PATH, json={**self.scope(), "lines": one_line})
        self.assertError(response, 400, "lines")
        unbalanced = one_line + [{"account_code": "2800", "debit": "0", "credit": "999.00"}]
        response = self.call("POST", PATH, json={**self.scope(), "lines": unbalanced})
        self.assertError(response, 400, "lines")
        self.assertEqual(self.counts(), before)
        draft = self.call("POST", PATH, json={**self.scope(), "lines": one_line, "is_draft": True})
        self.assertTrue(self.assertOk(draft)["is_draft"])
        body = self.assertOk(self.call("GET", PATH, params=self.scope()))
        self.assertTrue(body["document"]["is_draft"])

    def test_refusals_change_nothing(self):
        before = self.counts()
        cases = [
            (self.final(dividend="500000.00", transfer="0.01"), 400, None),
            ({**self.final(), "colour": "blue"}, 400, "colour"),
            ({**self.final(), "is_draft": "no"}, 400, "is_draft"),
            ({**self.final(), "reporting_year": "2025"}, 400, "reporting_year"),
            ({"reporting_year": 2025}, 400, "client_account_id: required"),
            ({**self.final(), "lines": [{"account_code": "0000", "debit": "1"}]}, 400, "lines"),
            ([1, 2], 400, "body"),
            (self.final() | self.scope(self.other_company), 403, "client_account_id"),
        ]
        for payload, status, text in cases:
            with self.subTest(payload=payload):
                key = self.limited_key if status == 403 else None
                self.assertError(self.call("POST", PATH, key=key, json=payload), status, text)
        self.assertError(self.call("POST", PATH, data=b"{not json"), 400, "body: invalid JSON")
        self.assertEqual(self.counts(), before)

    def test_get_errors(self):
        self.assertError(self.call("GET", PATH, key=False, params=self.scope()), 401)
        params = self.scope(self.other_company)
        self.assertError(self.call("GET", PATH, key=self.limited_key, params=params), 403)
        self.assertError(self.call("GET", PATH, params={"client_account_id": 1}), 400)
        params = {**self.scope(), "reporting_year": "x"}
        self.assertError(self.call("GET", PATH, params=params), 400, "reporting_year")
        self.assertError(self.call("PUT", PATH, json={}), 405)
