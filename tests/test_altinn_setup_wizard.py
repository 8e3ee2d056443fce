from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import CLIENT_ID, create_accountant, rsa_private_pem


@tagged("post_install", "-at_install")
class TestAltinnSetupWizard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bureau = cls.env["res.company"].create({"name": "Regnskapsbyrå AS"})
        cls.client = cls.env["res.company"].create(
            {"name": "Klient AS", "l10n_no_altinn_parent_id": cls.bureau.id}
        )
        cls.store = cls.env["annual.altinn.credential"]

    def open_wizard(self, company):
        action = company.action_l10n_no_altinn_setup()
        self.assertEqual(action["res_model"], "annual.altinn.setup.wizard")
        self.assertEqual(action["target"], "new")
        return self.env[action["res_model"]].browse(action["res_id"])

    def credentials_of(self, company):
        """How many rows of the key store the company has, drafts included."""
        store = self.store.with_context(active_test=False)
        return store.search_count([("company_id", "=", company.id)])

    def wizard_table(self):
        """Every value the wizard's table holds, as PostgreSQL has it."""
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM annual_altinn_setup_wizard")
        return repr(self.env.cr.fetchall())

    def test_walk_through_every_step_and_save_organisation_wide(self):
        wizard = self.open_wizard(self.bureau)
        self.assertEqual(wizard.step, "environment")
        wizard.environment = "simulator"
        wizard.action_next()
        self.assertEqual(wizard.step, "credentials")
        wizard.write(
            {
                "client_id": f" {CLIENT_ID} ",
                "key_id": "bureau-kid",
                "private_key": rsa_private_pem(name="bureau"),
                "system_id": "912345678_odoo",
            }
        )
        self.assertFalse(wizard.private_key, "never shown again")
        self.assertTrue(wizard.has_new_key)
        wizard.action_next()
        self.assertEqual(wizard.step, "organisation")
        self.assertEqual(wizard.child_company_ids, self.client)
        wizard.apply_to_children = True
        wizard.action_back()
        self.assertEqual(wizard.step, "credentials")
        wizard.action_next()
        wizard.action_next()
        self.assertEqual(wizard.step, "summary")
        self.assertIn("BEGIN PUBLIC KEY", wizard.public_key)
        self.assertFalse(self.bureau._l10n_no_altinn_credential(), "nothing saved before Save")
        self.assertEqual(wizard.action_save()["type"], "ir.actions.act_window_close")

        self.assertRecordValues(
            self.bureau,
            [
                {
                    "l10n_no_altinn_environment": "simulator",
                    "l10n_no_altinn_system_id": "912345678_odoo",
                    "l10n_no_altinn_apply_to_children": True,
                    "l10n_no_altinn_has_private_key": True,
                }
            ],
        )
        credentials = self.bureau._l10n_no_altinn_credentials()
        self.assertEqual(
            (credentials["client_id"], credentials["key_id"], credentials["private_key"]),
            (CLIENT_ID, "bureau-kid", rsa_private_pem(name="bureau").strip()),
        )
        self.assertFalse(wizard.exists(), "the wizard is gone with its draft")
        self.assertEqual(self.credentials_of(self.bureau), 1)
        self.assertEqual(self.client.l10n_no_altinn_source_company_id, self.bureau)

    def test_an_abandoned_wizard_keeps_no_key_in_its_table(self):
        wizard = self.open_wizard(self.bureau)
        wizard.write({"environment": "simulator", "simulator_url": "http://127.0.0.1:9"})
        wizard.action_next()
        wizard.write({"client_id": CLIENT_ID, "key_id": "kid-1", "private_key": rsa_private_pem()})
        wizard.action_next()
        wizard.action_test_connection()  # nothing listens there: it fails, and says so
        self.assertFalse(wizard.test_ok)
        key_lines = rsa_private_pem().splitlines()[1:3]
        table = self.wizard_table()
        for secret in (CLIENT_ID, "kid-1", *key_lines):
            self.assertNotIn(secret, table)
        # the draft, in the key store, goes with the wizard (as the vacuum removes it)
        draft = wizard.credential_id
        self.assertFalse(draft.active)
        self.assertFalse(self.bureau._l10n_no_altinn_credential(), "a draft is not in use")
        wizard.action_cancel()
        self.assertFalse(draft.exists())
        self.assertFalse(wizard.exists())

    def test_reopening_keeps_the_stored_key_when_left_empty(self):
        self.store._store(self.bureau, client_id=CLIENT_ID, private_key=rsa_private_pem())
        wizard = self.open_wizard(self.bureau)
        self.assertTrue(wizard.has_stored_key)
        self.assertFalse(wizard.has_new_key)
        self.assertFalse(wizard.private_key)
        self.assertEqual(wizard.client_id, CLIENT_ID)
        wizard.key_id = "new-kid"
        wizard.action_save()
        credentials = self.bureau._l10n_no_altinn_credentials()
        self.assertEqual(credentials["key_id"], "new-kid")
        self.assertEqual(credentials["private_key"], rsa_private_pem().strip())
        self.assertEqual(self.credentials_of(self.bureau), 1)

    def test_a_new_key_replaces_the_stored_one(self):
        self.store._store(self.bureau, client_id=CLIENT_ID, private_key=rsa_private_pem())
        wizard = self.open_wizard(self.bureau)
        wizard.private_key = rsa_private_pem(name="rotated")
        wizard.action_save()
        credentials = self.bureau._l10n_no_altinn_credentials()
        self.assertEqual(credentials["private_key"], rsa_private_pem(name="rotated").strip())
        self.assertEqual(credentials["client_id"], CLIENT_ID)
        self.assertEqual(self.credentials_of(self.bureau), 1)

    def test_malformed_key_or_empty_client_id_is_refused_and_nothing_saved(self):
        wizard = self.open_wizard(self.client)
        wizard.action_next()
        with self.assertRaisesRegex(ValidationError, "PEM"):
            wizard.private_key = "-----BEGIN PRIVATE KEY-----\nx\n"
        with self.assertRaisesRegex(ValidationError, "client ID"):
            wizard.client_id = "not-a-uuid"
        cases = [
            ({"client_id": False, "private_key": rsa_private_pem()}, "client ID"),
            ({"client_id": CLIENT_ID}, "empty"),
        ]
        for values, message in cases:
            wizard.credential_id.write({"private_key": False})
            wizard.write(values)
            with self.assertRaisesRegex(ValidationError, message):
                wizard.action_next()
            self.assertEqual(wizard.step, "credentials")
            with self.assertRaisesRegex(ValidationError, message):
                wizard.action_save()
        self.assertFalse(self.client._l10n_no_altinn_credential())
        self.assertEqual(self.client.l10n_no_altinn_settings_origin, "none")

    def test_opened_from_the_accounting_settings(self):
        settings = self.env["res.config.settings"].with_company(self.bureau).create({})
        action = settings.action_l10n_no_altinn_setup()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.company_id, self.bureau)

    def test_the_form_renders_every_step(self):
        wizard = self.open_wizard(self.bureau)
        with Form(wizard) as form:
            form.environment = "test"
        self.assertEqual(wizard.environment, "test")
        wizard.action_next()
        with Form(wizard) as form:
            form.client_id = CLIENT_ID
            form.private_key = rsa_private_pem()
        self.assertTrue(wizard.has_new_key)
        self.assertFalse(wizard.private_key)
        wizard.action_next()
        wizard.action_next()
        with Form(wizard) as form:
            self.assertIn("BEGIN PUBLIC KEY", form.public_key)

    def test_only_administrators_set_up_altinn(self):
        manager = create_accountant(self.env, "sjef", self.bureau, manager=True)
        with self.assertRaises(AccessError):
            self.bureau.with_user(manager).action_l10n_no_altinn_setup()
        with self.assertRaises(AccessError):
            self.env["annual.altinn.setup.wizard"].with_user(manager).create(
                {"company_id": self.bureau.id}
            )
