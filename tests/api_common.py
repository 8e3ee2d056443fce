"""Calling the API as an external client does: a real API key, real HTTP, JSON."""

import datetime

from odoo.tests import HttpCase

from .common import AnnualAccountsCommon, create_accountant

BASE = "/api/v2/annual-accounts"


class ApiCommon(AnnualAccountsCommon, HttpCase):
    """``cls.user``: an accounting manager of ``company`` and ``other_company``, with
    ``cls.key``; ``cls.limited``: an accountant of ``company`` only, with ``cls.limited_key``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        companies = cls.company + cls.other_company
        cls.user = create_accountant(cls.env, "api_manager", companies, manager=True)
        cls.limited = create_accountant(cls.env, "api_limited", cls.company)
        cls.key = cls.api_key(cls.user)
        cls.limited_key = cls.api_key(cls.limited)
        # wkhtmltopdf fetches the report's assets from this server, whose test cursor is held
        # by the request rendering the PDF: point it where nothing answers instead of waiting.
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")

    @classmethod
    def api_key(cls, user):
        expiry = datetime.datetime.now() + datetime.timedelta(days=1)
        return cls.env["res.users.apikeys"].with_user(user)._generate(None, "api test", expiry)

    def call(self, method, path, key=None, json=None, params=None, data=None, headers=None):
        """The response of ``method path`` with ``key`` (default: the manager's key; False for
        none)."""
        headers = dict(headers or {})
        key = self.key if key is None else key
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = self.base_url() + (path if path.startswith("/api/") else BASE + path)
        return self.opener.request(
            method, url, json=json, params=params, data=data, headers=headers, timeout=120
        )

    def assertError(self, response, status, text=None):
        """A JSON error body ``{"error", "status"}`` with ``status``, and ``text`` in it."""
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        body = response.json()
        self.assertEqual(set(body), {"error", "status"})
        self.assertEqual(body["status"], status)
        if text:
            self.assertIn(text, body["error"])
        self.assertNotIn("Traceback", body["error"])
        return body

    def assertOk(self, response, status=200):
        self.assertEqual(response.status_code, status, response.text[:1000])
        return response.json()
