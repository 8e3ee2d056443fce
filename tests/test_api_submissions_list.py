from .api_common import ApiCommon


class TestApiSubmissionsList(ApiCommon):
    """GET /submissions: filters, whitelisted order with a stable tie-break, pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Filing = cls.env["annual.account"]
        vals = []
        for company in (cls.company, cls.other_company):
            for year in range(2016, 2026):
                vals.append(
                    {
                        "company_id": company.id,
                        "reporting_year": year,
                        "date_from": f"{year}-01-01",
                        "date_to": f"{year}-12-31",
                    }
                )
        cls.filings = Filing.create(vals)
        cls.mine = cls.filings.filtered(lambda f: f.company_id == cls.company)

    def page(self, key=None, **params):
        return self.assertOk(self.call("GET", "/submissions", key=key, params=params))

    def ids(self, body):
        return [row["id"] for row in body["data"]]

    def test_default_every_accessible_company(self):
        body = self.page()
        self.assertEqual(body["meta"], {"page": 1, "pages": 1, "per_page": 100, "records": 20})
        years = [row["reporting_year"] for row in body["data"]]
        self.assertEqual(years, sorted(years, reverse=True))
        # Ties (two companies per year) are broken by the id, in the same direction.
        self.assertEqual(self.ids(body)[:2], sorted(self.ids(body)[:2], reverse=True))
        limited = self.page(key=self.limited_key)
        self.assertEqual(sorted(self.ids(limited)), sorted(self.mine.ids))
        self.assertEqual(limited["data"][0]["client_account_id"], self.company.id)

    def test_filters(self):
        one = self.page(client_account_id=self.company.id)
        self.assertEqual(sorted(self.ids(one)), sorted(self.mine.ids))
        both = f"{self.company.id},{self.other_company.id}"
        self.assertEqual(self.page(client_account_id=both)["meta"]["records"], 20)
        repeated = self.page(client_account_id=[self.company.id, self.other_company.id])
        self.assertEqual(repeated["meta"]["records"], 20)
        year = self.page(reporting_year=2020, client_account_id=self.other_company.id)
        self.assertEqual([r["reporting_year"] for r in year["data"]], [2020])
        self.assertEqual(year["data"][0]["client_account_id"], self.other_company.id)
        self.assertEqual(self.page(reporting_year=2030)["meta"]["pages"], 0)

    def test_order_and_pages(self):
        body = self.page(order_by="reporting_year", page_size=3, page=2)
        self.assertEqual(body["meta"], {"page": 2, "pages": 7, "per_page": 3, "records": 20})
        self.assertEqual([r["reporting_year"] for r in body["data"]], [2017, 2018, 2018])
        self.assertLess(body["data"][1]["id"], body["data"][2]["id"])
        self.assertEqual(self.ids(self.page(order_by="id")), sorted(self.filings.ids))
        self.assertEqual(
            self.ids(self.page(order_by="-created_at")), sorted(self.filings.ids, reverse=True)
        )
        pages = [self.ids(self.page(order_by="created_at", page_size=7, page=n)) for n in (1, 2, 3)]
        self.assertEqual(sum(pages, []), sorted(self.filings.ids))
        self.assertEqual(self.page(page=5, page_size=10)["data"], [])
        self.assertEqual(self.page(page_size=1000)["meta"]["per_page"], 100)

    def test_bad_input(self):
        cases = [
            ({"order_by": "name"}, "order_by"),
            ({"order_by": "-"}, "order_by"),
            ({"page": 0}, "page"),
            ({"page": "x"}, "page"),
            ({"page_size": 0}, "page_size"),
            ({"page_size": -5}, "page_size"),
            ({"reporting_year": "2025a"}, "reporting_year"),
            ({"client_account_id": "1,x"}, "client_account_id"),
            ({"client_account_id": "0"}, "client_account_id"),
            ({"status": "DRAFT"}, "status: unknown parameter"),
            ({"page": [1, 2]}, "page: given more than once"),
        ]
        for params, text in cases:
            with self.subTest(params=params):
                response = self.call("GET", "/submissions", params=params)
                self.assertError(response, 400, text)
        params = {"client_account_id": f"{self.company.id},{self.other_company.id}"}
        response = self.call("GET", "/submissions", key=self.limited_key, params=params)
        self.assertError(response, 403, str(self.other_company.id))
        self.assertError(self.call("GET", "/submissions", key=False), 401)
        self.assertError(self.call("PATCH", "/submissions"), 405)
