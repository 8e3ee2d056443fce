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

    def open_wizard(self, company):
        action = company.action_l10n_no_altinn_setup()
        self.assertEqual(action["res_model"], "annual.altinn.setup.wizard")
        self.assertEqual(action["target"], "new")
        return self.env[action["res_model"]].browse(action["res_id"])

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
        self.assertEqual(wizard.action_save()["type"], "ir.actions.act_window_close")

        self.assertRecordValues(
            self.bureau,
            [
                {
                    "l10n_no_altinn_environment": "simulator",
                    "l10n_no_altinn_client_id": CLIENT_ID,
                    "l10n_no_altinn_key_id": "bureau-kid",
                    "l10n_no_altinn_system_id": "912345678_odoo",
                    "l10n_no_altinn_apply_to_children": True,
                }
            ],
        )
        self.assertEqual(
            self.bureau.l10n_no_altinn_private_key, rsa_private_pem(name="bureau").strip()
        )
        self.assertFalse(wizard.private_key, "the key does not linger in the wizard")
        self.assertEqual(self.client.l10n_no_altinn_source_company_id, self.bureau)

    def test_reopening_keeps_the_stored_key_when_left_empty(self):
        self.bureau.write(
            {"l10n_no_altinn_client_id": CLIENT_ID, "l10n_no_altinn_private_key": rsa_private_pem()}
        )
        wizard = self.open_wizard(self.bureau)
        self.assertTrue(wizard.has_stored_key)
        self.assertFalse(wizard.private_key)
        self.assertEqual(wizard.client_id, CLIENT_ID)
        wizard.key_id = "new-kid"
        wizard.action_save()
        self.assertEqual(self.bureau.l10n_no_altinn_key_id, "new-kid")
        self.assertEqual(self.bureau.l10n_no_altinn_private_key, rsa_private_pem())

    def test_malformed_key_or_empty_client_id_is_refused_and_nothing_saved(self):
        wizard = self.open_wizard(self.client)
        wizard.action_next()
        cases = [
            ({"client_id": False, "private_key": rsa_private_pem()}, "client ID"),
            ({"client_id": CLIENT_ID, "private_key": "-----BEGIN PRIVATE KEY-----\nx\n"}, "PEM"),
            ({"client_id": CLIENT_ID, "private_key": False}, "empty"),
        ]
        for values, message in cases:
            wizard.write(values)
            with self.assertRaisesRegex(ValidationError, message):
                wizard.action_next()
            self.assertEqual(wizard.step, "credentials")
            with self.assertRaisesRegex(ValidationError, message):
                wizard.action_save()
        self.client.invalidate_recordset()
        self.assertFalse(self.client.l10n_no_altinn_client_id)
        self.assertFalse(self.client.l10n_no_altinn_private_key)

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

    def test_only_administrators_set_up_altinn(self):
        manager = create_accountant(self.env, "sjef", self.bureau, manager=True)
        with self.assertRaises(AccessError):
            self.bureau.with_user(manager).action_l10n_no_altinn_setup()
        with self.assertRaises(AccessError):
            self.env["annual.altinn.setup.wizard"].with_user(manager).create(
                {"company_id": self.bureau.id}
            )
