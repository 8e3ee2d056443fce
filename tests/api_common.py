"""Calling the API as an external client does: a real API key, real HTTP, JSON."""

import datetime

from odoo.tests import HttpCase
from odoo.tools import SQL

from .common import AnnualAccountsCommon, create_accountant

BASE = "/api/v2/annual-accounts"
MODULE = "l10n_no_annual_accounts"


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

    def db_fingerprint(self):
        """``{table: (rows, digest)}`` of the module's tables, the journal entries and their
        lines, and the chatter and attachments of the module's records: what a refused
        request must leave as it was."""
        self.env.flush_all()
        models = [m for m in self.env.registry.values() if m._original_module == MODULE]
        names = tuple(m._name for m in models)
        tables = {m._table: SQL() for m in models if m._auto and not m._transient}
        tables |= {"account_move": SQL(), "account_move_line": SQL()}
        tables["mail_message"] = SQL("WHERE t.model IN %s", names)
        tables["ir_attachment"] = SQL("WHERE t.res_model IN %s", names)
        query = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))"
                " FROM %s t %s",
                table,
                SQL.identifier(table),
                where,
            )
            for table, where in sorted(tables.items())
        )
        self.env.cr.execute(query)
        return {table: (count, digest) for table, count, digest in self.env.cr.fetchall()}
