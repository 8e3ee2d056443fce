from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import CLIENT_ID, create_accountant, rsa_private_pem

MODULE = "l10n_no_annual_accounts"
SECRET_FIELDS = (
    "l10n_no_altinn_client_id",
    "l10n_no_altinn_key_id",
    "l10n_no_altinn_private_key",
)


@tagged("post_install", "-at_install")
class TestSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Klient AS"})
        cls.company.write(
            {
                "l10n_no_altinn_client_id": CLIENT_ID,
                "l10n_no_altinn_key_id": "kid-1",
                "l10n_no_altinn_private_key": rsa_private_pem(),
            }
        )
        cls.accountant = create_accountant(cls.env, "regnskapsforer", cls.company)
        cls.account_manager = create_accountant(cls.env, "sjef", cls.company, manager=True)

    # ------------------------------------------------------------
    # Groups and menus
    # ------------------------------------------------------------

    def test_groups_are_implied_by_odoo_accounting_groups(self):
        user_group = self.env.ref(f"{MODULE}.group_annual_accounts_user")
        manager_group = self.env.ref(f"{MODULE}.group_annual_accounts_manager")
        self.assertEqual(user_group.full_name, "Annual accounts / User")
        self.assertEqual(manager_group.full_name, "Annual accounts / Administrator")
        self.assertTrue(self.accountant.has_group(f"{MODULE}.group_annual_accounts_user"))
        self.assertFalse(self.accountant.has_group(f"{MODULE}.group_annual_accounts_manager"))
        self.assertTrue(self.account_manager.has_group(f"{MODULE}.group_annual_accounts_manager"))
        self.assertTrue(self.account_manager.has_group(f"{MODULE}.group_annual_accounts_user"))
        invoicing_only = create_accountant(self.env, "fakturering", self.company)
        invoicing_only.groups_id = [
            (3, self.env.ref("account.group_account_user").id),
            (3, user_group.id),
        ]
        self.assertFalse(invoicing_only.has_group(f"{MODULE}.group_annual_accounts_user"))

    def test_year_end_menu_sits_under_accounting_for_annual_account_users(self):
        menu = self.env.ref(f"{MODULE}.menu_year_end")
        self.assertEqual(menu.parent_id, self.env.ref("account.menu_finance"))
        self.assertEqual(menu.groups_id, self.env.ref(f"{MODULE}.group_annual_accounts_user"))

    def test_every_model_of_the_module_has_access_rules(self):
        own_models = (
            self.env["ir.model"]
            .search([])
            .filtered(
                lambda m: m.model in self.env
                and self.env[m.model]._original_module == MODULE
                and not self.env[m.model]._abstract
            )
        )
        self.assertIn("annual.altinn.setup.wizard", own_models.mapped("model"))
        for model in own_models:
            self.assertTrue(
                self.env["ir.model.access"].search_count([("model_id", "=", model.id)]),
                f"{model.model} has no access rule",
            )

    # ------------------------------------------------------------
    # Secrets
    # ------------------------------------------------------------

    def test_accountant_cannot_read_the_secrets(self):
        # Even with the right to export, the secret columns stay closed.
        self.accountant.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        company = self.company.with_user(self.accountant)
        for field in SECRET_FIELDS:
            with self.assertRaises(AccessError, msg=field):
                company.read([field])
            with self.assertRaises(AccessError, msg=field):
                company.search_read([("id", "=", company.id)], [field])
            with self.assertRaises(AccessError, msg=field):
                company.export_data([field])
            self.assertNotIn(field, company.fields_get())
        # What they may read says nothing secret.
        values = company.read(["l10n_no_altinn_environment", "l10n_no_altinn_settings_origin"])[0]
        self.assertEqual(values["l10n_no_altinn_settings_origin"], "own")
        self.assertNotIn("PRIVATE", str(values))

    def test_accountant_cannot_write_the_secrets(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.account_manager).write(
                {"l10n_no_altinn_private_key": rsa_private_pem()}
            )

    def test_administrator_reads_the_secrets(self):
        values = self.company.read(list(SECRET_FIELDS))[0]
        self.assertEqual(values["l10n_no_altinn_client_id"], CLIENT_ID)
        self.assertIn("PRIVATE KEY", values["l10n_no_altinn_private_key"])

    def test_the_company_form_never_shows_the_stored_key(self):
        arch = self.env["res.company"].get_view(self.env.ref("base.view_company_form").id, "form")[
            "arch"
        ]
        self.assertNotIn("l10n_no_altinn_private_key", arch)
        self.assertIn("l10n_no_altinn_has_private_key", arch)
        self.assertTrue(self.company.with_user(self.accountant).l10n_no_altinn_has_private_key)

    def test_no_field_relates_to_a_secret_without_the_same_protection(self):
        for model_name in self.env.registry:
            for field in self.env[model_name]._fields.values():
                if field.related and field.related.split(".")[-1] in SECRET_FIELDS:
                    self.assertIn(
                        "base.group_system",
                        field.groups or "",
                        f"{model_name}.{field.name} exposes a secret",
                    )
