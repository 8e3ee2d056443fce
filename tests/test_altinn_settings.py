from odoo.exceptions import ValidationError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged

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
                "l10n_no_altinn_client_id": CLIENT_ID,
                "l10n_no_altinn_key_id": "bureau-kid",
                "l10n_no_altinn_private_key": rsa_private_pem(name="bureau"),
                "l10n_no_altinn_system_id": "912345678_odoo",
                "l10n_no_altinn_apply_to_children": True,
            }
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
        self.client.write(
            {
                "l10n_no_altinn_environment": "test",
                "l10n_no_altinn_client_id": OTHER_CLIENT_ID,
                "l10n_no_altinn_key_id": "client-kid",
                "l10n_no_altinn_private_key": rsa_private_pem(name="client"),
            }
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
        self.department.write(
            {
                "l10n_no_altinn_client_id": OTHER_CLIENT_ID,
                "l10n_no_altinn_private_key": rsa_private_pem(name="department"),
                "l10n_no_altinn_apply_to_children": True,
            }
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

    def test_malformed_credentials_are_refused_and_nothing_is_saved(self):
        for values in (
            {"l10n_no_altinn_private_key": "-----BEGIN PRIVATE KEY-----\nbroken\n"},
            {"l10n_no_altinn_private_key": rsa_private_pem(bits=1024, name="small")},
            {"l10n_no_altinn_client_id": "not-a-uuid"},
        ):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.client.write(values)
        self.client.invalidate_recordset()
        self.assertFalse(self.client.l10n_no_altinn_private_key)
        self.assertFalse(self.client.l10n_no_altinn_client_id)

    def test_neutralize_blanks_the_secrets_and_forces_the_test_environment(self):
        self.bureau.l10n_no_altinn_environment = "prod"
        self.env.flush_all()
        for query in get_neutralization_queries(["l10n_no_annual_accounts"]):
            self.env.cr.execute(query)
        self.bureau.invalidate_recordset()
        self.assertFalse(self.bureau.l10n_no_altinn_client_id)
        self.assertFalse(self.bureau.l10n_no_altinn_key_id)
        self.assertFalse(self.bureau.l10n_no_altinn_private_key)
        self.assertEqual(self.bureau.l10n_no_altinn_environment, "test")
