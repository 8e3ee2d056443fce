import importlib.util
import threading
import uuid
from pathlib import Path

import psycopg2

from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged

from .common import rsa_private_pem

MODULE = "l10n_no_annual_accounts"
# fresh ones: the well-known test ids are also the examples of the set-up form
CLIENT_ID, OTHER_CLIENT_ID = str(uuid.uuid4()), str(uuid.uuid4())
MIGRATION = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestAltinnCredential(TransactionCase):
    """The key store: one copy of each secret, kept out of the log, gone from a copied
    database, and moved there from the old columns of res.company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["annual.altinn.credential"]
        cls.bureau = cls.env["res.company"].create(
            {
                "name": "Byrå AS",
                "l10n_no_altinn_environment": "prod",
                "l10n_no_altinn_apply_to_children": True,
            }
        )
        cls.key = rsa_private_pem(name="bureau")
        cls.store._store(cls.bureau, client_id=CLIENT_ID, key_id="kid-1", private_key=cls.key)

    def key_lines(self, pem=None):
        return (pem or self.key).splitlines()[1:4]

    def holders(self, *secrets):
        """``{table.column}`` of every text column in the database that holds one of
        ``secrets``: where a copy of the database would carry them."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT c.table_name, c.column_name
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_name = c.table_name AND t.table_schema = c.table_schema
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb')
            """
        )
        found = set()
        for table, column in self.env.cr.fetchall():
            self.env.cr.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE ANY(%s) LIMIT 1',
                [[f"%{secret}%" for secret in secrets]],
            )
            if self.env.cr.fetchone():
                found.add(f"{table}.{column}")
        return found

    # ------------------------------------------------------------
    # One copy
    # ------------------------------------------------------------

    def test_each_secret_is_stored_once_whatever_the_set_up_did(self):
        new_key = rsa_private_pem(name="rotated")
        action = self.bureau.action_l10n_no_altinn_setup()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.write({"key_id": "kid-2", "private_key": new_key})
        wizard.action_next()
        abandoned = self.env[action["res_model"]].browse(
            self.bureau.action_l10n_no_altinn_setup()["res_id"]
        )
        abandoned.private_key = rsa_private_pem(name="abandoned")
        self.assertEqual(
            self.holders(*self.key_lines(), CLIENT_ID, "kid-1"),
            {
                "annual_altinn_credential.private_key",
                "annual_altinn_credential.client_id",
                "annual_altinn_credential.key_id",
            },
        )
        wizard.action_save()
        self.assertFalse(self.holders(*self.key_lines()), "the old key is gone")
        self.assertEqual(
            self.holders(*self.key_lines(new_key), "kid-2"),
            {"annual_altinn_credential.private_key", "annual_altinn_credential.key_id"},
        )
        abandoned.unlink()  # what the vacuum of transient rows does
        self.assertFalse(self.holders(*self.key_lines(rsa_private_pem(name="abandoned"))))

    # ------------------------------------------------------------
    # Never in the log, not even from a failing query
    # ------------------------------------------------------------

    def test_no_key_in_the_log_when_a_query_of_the_same_save_fails(self):
        new_key = rsa_private_pem(name="rotated")
        cases = [
            # the company's own settings, saved with the key
            ("res_company", "l10n_no_altinn_system_id", {"system_id": "boom"}),
            # the key id, written with the key
            ("annual_altinn_credential", "key_id", {"key_id": "boom"}),
        ]
        for table, column, values in cases:
            with (
                self.subTest(column=column),
                self.assertLogs("odoo.sql_db", "ERROR") as logs,
                self.assertRaises(psycopg2.IntegrityError),
                self.env.cr.savepoint(flush=False),
            ):
                # a constraint of the test's own: the query that writes "boom" fails
                self.env.cr.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT test_fail CHECK ({column} <> 'boom')"
                )
                action = self.bureau.action_l10n_no_altinn_setup()
                wizard = self.env[action["res_model"]].browse(action["res_id"])
                wizard.write({"private_key": new_key, **values})
                wizard.action_save()
                self.env.flush_all()
            self.env.invalidate_all()
            self.assertIn("boom", "\n".join(logs.output), "the failing query was logged")
            self.assertNoKey(new_key, logs.output)
        # a second set of credentials in use for the company: refused by the unique index
        with (
            self.assertLogs("odoo.sql_db", "ERROR") as logs,
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(flush=False),
        ):
            self.store.create({"company_id": self.bureau.id, "private_key": new_key})
        self.assertIn("annual_altinn_credential_company_uniq", "\n".join(logs.output))
        self.assertNoKey(new_key, logs.output)

    def test_the_key_goes_alone_and_after_a_row_lock(self):
        """A concurrent change then fails on the lock, a query without the key."""
        credential = self.bureau._l10n_no_altinn_credential()
        self.env.flush_all()
        queries = []
        thread = threading.current_thread()
        thread.query_hooks = [lambda cr, query, params, *_times: queries.append((query, params))]
        try:
            credential.write({"key_id": "kid-2", "private_key": rsa_private_pem(name="rotated")})
        finally:
            del thread.query_hooks
        carrying = [n for n, (_query, params) in enumerate(queries) if "PRIVATE" in repr(params)]
        locks = [n for n, (query, _params) in enumerate(queries) if "FOR NO KEY UPDATE" in query]
        self.assertEqual(len(carrying), 1, "the key goes in one query")
        self.assertTrue(locks and locks[0] < carrying[0], "after the row lock")
        self.assertNotIn("kid-2", repr(queries[carrying[0]][1]), "and alone")

    def assertNoKey(self, pem, lines):
        text = "\n".join(lines)
        for line in self.key_lines(pem):
            self.assertNotIn(line, text, "the key in the log")  # never print the key itself

    # ------------------------------------------------------------
    # A copied database
    # ------------------------------------------------------------

    def test_neutralize_blanks_every_copy_and_forces_the_test_environment(self):
        client = self.env["res.company"].create(
            {"name": "Klient AS", "l10n_no_altinn_parent_id": self.bureau.id}
        )
        client.write(
            {
                "l10n_no_altinn_systemuser_state": "approved",
                "l10n_no_altinn_systemuser_request_id": "req-1",
            }
        )
        self.store._store(client, client_id=OTHER_CLIENT_ID, private_key=rsa_private_pem())
        calls = self.env["annual.altinn.call"]
        calls.create(
            {
                "company_id": self.bureau.id,
                "operation": "system_register",
                "outcome": "success",
                "request_summary": f"system 910000001_odoo, client {CLIENT_ID}",
            }
        )
        calls.create(
            {
                "company_id": client.id,
                "operation": "token",
                "outcome": "failure",
                "error_message": f"Unknown client {OTHER_CLIENT_ID.upper()}",
            }
        )
        # an older client id, no longer stored, in the old summary
        old = "0b1c2d3e-4f50-4a6b-8c7d-8e9f00112233"
        calls.create(
            {
                "company_id": self.bureau.id,
                "operation": "system_update",
                "outcome": "success",
                "request_summary": f"system 910000001_odoo, client {old}",
            }
        )
        action = self.bureau.action_l10n_no_altinn_setup()  # an abandoned set-up
        self.env[action["res_model"]].browse(action["res_id"]).private_key = rsa_private_pem(
            name="abandoned"
        )
        secrets = [CLIENT_ID, OTHER_CLIENT_ID, old, "kid-1", *self.key_lines()]
        secrets += self.key_lines(rsa_private_pem(name="abandoned"))
        self.assertTrue(self.holders(*secrets))
        self.env.flush_all()

        for query in get_neutralization_queries([MODULE]):
            self.env.cr.execute(query)
        self.env.invalidate_all()

        self.assertFalse(self.holders(*secrets, OTHER_CLIENT_ID.upper()))
        self.assertFalse(self.store.with_context(active_test=False).search([]))
        self.assertFalse(self.env["annual.altinn.setup.wizard"].search([]))
        for company in (self.bureau, client):
            self.assertRecordValues(
                company,
                [
                    {
                        "l10n_no_altinn_environment": "test",
                        "l10n_no_altinn_settings_origin": "none",
                        "l10n_no_altinn_systemuser_state": "none",
                        "l10n_no_altinn_systemuser_request_id": False,
                        "l10n_no_altinn_system_registered": False,
                    }
                ],
            )
        self.assertEqual(len(calls.search([("company_id", "in", (self.bureau | client).ids)])), 3)

    # ------------------------------------------------------------
    # Upgrade from 18.0.1.0.0, where the keys were columns of res.company
    # ------------------------------------------------------------

    def test_the_upgrade_moves_the_keys_out_of_the_company(self):
        cr = self.env.cr
        old_columns = ("l10n_no_altinn_client_id", "l10n_no_altinn_key_id")
        for column in (*old_columns, "l10n_no_altinn_private_key"):
            cr.execute(f"ALTER TABLE res_company ADD COLUMN {column} text")
        cr.execute("ALTER TABLE annual_altinn_setup_wizard ADD COLUMN private_key text")
        old_company = self.env["res.company"].create({"name": "Gammel AS"})
        untouched = self.env["res.company"].create({"name": "Uten Altinn AS"})
        old_key = rsa_private_pem(name="old")
        self.env.flush_all()
        cr.execute(
            """UPDATE res_company SET l10n_no_altinn_client_id = %s,
                      l10n_no_altinn_key_id = 'old-kid', l10n_no_altinn_private_key = %s
                WHERE id = %s""",
            [f" {OTHER_CLIENT_ID} ", old_key, old_company.id],
        )
        # the bureau's own row, already moved, stays as it is
        cr.execute(
            "UPDATE res_company SET l10n_no_altinn_private_key = 'stale' WHERE id = %s",
            [self.bureau.id],
        )
        cr.execute(
            "INSERT INTO annual_altinn_setup_wizard (company_id, step, environment, private_key)"
            " VALUES (%s, 'credentials', 'test', %s)",
            [old_company.id, old_key],
        )
        calls = self.env["annual.altinn.call"]
        call = calls.create(
            {
                "company_id": old_company.id,
                "operation": "system_register",
                "outcome": "success",
                "request_summary": f"system 9_odoo, client {OTHER_CLIENT_ID}",
            }
        )
        self.env.flush_all()

        spec = importlib.util.spec_from_file_location("post_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()

        credentials = old_company._l10n_no_altinn_credentials()
        self.assertEqual(
            (credentials["client_id"], credentials["key_id"], credentials["private_key"]),
            (OTHER_CLIENT_ID, "old-kid", old_key),
        )
        self.assertEqual(old_company.l10n_no_altinn_settings_origin, "own")
        self.assertFalse(untouched._l10n_no_altinn_credential())
        self.assertEqual(self.bureau._l10n_no_altinn_credentials()["private_key"], self.key.strip())
        cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name IN ('res_company', 'annual_altinn_setup_wizard')"
            " AND column_name LIKE ANY(%s)",
            [["%private_key", "%client_id", "%key_id"]],
        )
        self.assertFalse(cr.fetchall(), "no old column left")
        self.assertEqual(call.request_summary, "system 9_odoo")
        self.assertEqual(
            self.holders(*self.key_lines(old_key)), {"annual_altinn_credential.private_key"}
        )
