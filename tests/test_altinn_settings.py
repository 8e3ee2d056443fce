from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import CLIENT_ID, OTHER_CLIENT_ID, rsa_private_pem


@tagged("post_install", "-at_install")
class TestAltinnSettings(TransactionCase):
    """Option A (organisation-wide) and Option B (one company) of the user's set-up guide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.bureau = Company.create({"name": "Regnskapsbyrå AS"})
        cls.department = Company.create(
            {"name": "Byrå Vest AS", "l10n_no_altinn_parent_id": cls.bureau.id}
        )
        cls.client = Company.create(
            {"name": "Klient AS", "l10n_no_altinn_parent_id": cls.department.id}
        )
        cls.bureau.write(
            {
                "l10n_no_altinn_environment": "simulator",
                "l10n_no_altinn_system_id": "912345678_odoo",
                "l10n_no_altinn_apply_to_children": True,
            }
        )
        cls.store = cls.env["annual.altinn.credential"]
        cls.store._store(
            cls.bureau,
            client_id=CLIENT_ID,
            key_id="bureau-kid",
            private_key=rsa_private_pem(name="bureau"),
        )

    def assertSource(self, company, source, origin):
        company.invalidate_recordset()
        self.assertEqual(company.l10n_no_altinn_source_company_id, source)
        self.assertEqual(company.l10n_no_altinn_settings_origin, origin)

    def test_children_inherit_the_organisation_settings_three_levels_deep(self):
        self.assertSource(self.bureau, self.bureau, "own")
        self.assertSource(self.department, self.bureau, "inherited")
        self.assertSource(self.client, self.bureau, "inherited")
        credentials = self.client._l10n_no_altinn_credentials()
        self.assertEqual(credentials["client_id"], CLIENT_ID)
        self.assertEqual(credentials["key_id"], "bureau-kid")
        self.assertEqual(credentials["environment"], "simulator")
        self.assertEqual(credentials["company_id"], self.bureau.id)

    def test_a_child_with_its_own_credentials_uses_them(self):
        self.client.l10n_no_altinn_environment = "test"
        self.store._store(
            self.client,
            client_id=OTHER_CLIENT_ID,
            key_id="client-kid",
            private_key=rsa_private_pem(name="client"),
        )
        self.assertSource(self.client, self.client, "own")
        credentials = self.client._l10n_no_altinn_credentials()
        self.assertEqual(
            (credentials["client_id"], credentials["key_id"], credentials["environment"]),
            (OTHER_CLIENT_ID, "client-kid", "test"),
        )
        # The middle company still inherits from the bureau.
        self.assertSource(self.department, self.bureau, "inherited")

    def test_the_nearest_applying_ancestor_wins(self):
        self.department.l10n_no_altinn_apply_to_children = True
        self.store._store(
            self.department,
            client_id=OTHER_CLIENT_ID,
            private_key=rsa_private_pem(name="department"),
        )
        self.assertSource(self.client, self.department, "inherited")
        # Without the tick the department's credentials are its own business only.
        self.department.l10n_no_altinn_apply_to_children = False
        self.assertSource(self.client, self.bureau, "inherited")

    def test_clearing_the_tick_stops_the_inheritance(self):
        self.bureau.l10n_no_altinn_apply_to_children = False
        self.assertSource(self.bureau, self.bureau, "own")
        self.assertSource(self.department, self.env["res.company"], "none")
        self.assertSource(self.client, self.env["res.company"], "none")
        self.assertEqual(self.client._l10n_no_altinn_credentials(), {})

    def test_the_organisation_children_are_every_company_below(self):
        self.assertEqual(
            self.bureau._l10n_no_altinn_organisation_children(), self.department | self.client
        )
        self.assertEqual(self.client._l10n_no_altinn_organisation_children(), self.client.browse())

    def test_a_company_cannot_be_its_own_organisation(self):
        with self.assertRaises(ValidationError):
            self.bureau.l10n_no_altinn_parent_id = self.client

    def test_the_system_user_state_is_never_inherited(self):
        self.bureau.l10n_no_altinn_systemuser_state = "approved"
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "none")

    def test_a_client_shows_the_environment_it_inherits(self):
        self.assertEqual(self.client.l10n_no_altinn_environment, "test", "its own, unused")
        self.assertEqual(self.client.l10n_no_altinn_effective_environment, "simulator")
        self.assertEqual(self.bureau.l10n_no_altinn_effective_environment, "simulator")
        settings = self.env["res.config.settings"].with_company(self.client).create({})
        self.assertEqual(settings.l10n_no_altinn_effective_environment, "simulator")
        arch = self.env["res.company"].get_view(self.env.ref("base.view_company_form").id)["arch"]
        self.assertIn('name="l10n_no_altinn_effective_environment"', arch)
        self.bureau.l10n_no_altinn_environment = "prod"
        self.assertEqual(self.client.l10n_no_altinn_effective_environment, "prod")
        self.bureau.l10n_no_altinn_apply_to_children = False
        self.assertEqual(self.client.l10n_no_altinn_effective_environment, "test")

    def test_the_form_of_a_new_company_says_where_its_settings_come_from(self):
        with Form(self.env["res.company"]) as form:
            form.name = "Ny Klient AS"
            self.assertEqual(form.l10n_no_altinn_settings_origin, "none")
            form.l10n_no_altinn_parent_id = self.bureau
            self.assertEqual(form.l10n_no_altinn_settings_origin, "inherited")
            self.assertEqual(form.l10n_no_altinn_effective_environment, "simulator")

    def test_malformed_credentials_are_refused_and_nothing_is_saved(self):
        for values in (
            {"private_key": "-----BEGIN PRIVATE KEY-----\nbroken\n"},
            {"private_key": rsa_private_pem(bits=1024, name="small")},
            {"client_id": "not-a-uuid"},
        ):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.store._store(self.client, **values)
        self.assertFalse(self.client._l10n_no_altinn_credential())
        self.assertEqual(self.client.l10n_no_altinn_settings_origin, "inherited")
