import json
import re

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import CLIENT_ID, create_accountant, rsa_private_pem

MODULE = "l10n_no_annual_accounts"
STORE = "annual.altinn.credential"
KEY_ID = "kid-7f3a-bureau"


class SecretsMixin:
    """A bureau whose Maskinporten credentials apply to its client, and what must never show."""

    @classmethod
    def setup_secrets(cls):
        Company = cls.env["res.company"]
        cls.bureau = Company.create({"name": "Byrå AS", "l10n_no_altinn_apply_to_children": True})
        cls.company = Company.create(
            {"name": "Klient AS", "l10n_no_altinn_parent_id": cls.bureau.id}
        )
        cls.env[STORE]._store(
            cls.bureau, client_id=CLIENT_ID, key_id=KEY_ID, private_key=rsa_private_pem()
        )
        cls.accountant = create_accountant(cls.env, "regnskapsforer", cls.company | cls.bureau)
        cls.accountant.groups_id = [(4, cls.env.ref("base.group_allow_export").id)]
        cls.secrets = [CLIENT_ID, KEY_ID, *rsa_private_pem().splitlines()[1:4]]

    def assertNoSecret(self, value, where):
        text = repr(value)
        for secret in self.secrets:
            # never print a secret, even in a failure
            self.assertNotIn(secret, text, f"a secret in {where}")

    def fill_the_cache_as_the_filing_code_does(self):
        """What a submit does before the user's own reads in the same transaction."""
        self.assertEqual(self.company._l10n_no_altinn_credentials()["client_id"], CLIENT_ID)
        self.assertEqual(self.company.sudo().l10n_no_altinn_source_company_id, self.bureau)


@tagged("post_install", "-at_install")
class TestSecurity(SecretsMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_secrets()
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
    # Secrets: one store, administrators only, on every read path
    # ------------------------------------------------------------

    def test_the_key_store_is_for_administrators_only(self):
        accesses = self.env["ir.model.access"].search([("model_id.model", "=", STORE)])
        self.assertEqual(accesses.group_id, self.env.ref("base.group_system"))
        store = self.env[STORE]
        self.assertNotIn("mail.thread", store._inherit or [], "no chatter, no tracking")
        for name in ("client_id", "key_id", "private_key"):
            field = store._fields[name]
            self.assertEqual(field.groups, "base.group_system", name)
            self.assertFalse(field.prefetch, f"{name} is loaded with the row")
            self.assertFalse(getattr(field, "tracking", False), name)

    def test_no_field_of_another_model_leads_to_the_key_store(self):
        # a relational or related path is how an export or a read reaches a secret
        wizard = self.env["annual.altinn.setup.wizard"]
        for model_name in self.env.registry:
            for field in self.env[model_name]._fields.values():
                if field.relational and field.comodel_name == STORE and model_name != STORE:
                    self.assertEqual(field, wizard._fields["credential_id"])
        for field in wizard._fields.values():
            if (field.related or "").startswith("credential_id."):
                self.assertEqual(field.groups, "base.group_system", field)
        self.assertEqual(wizard._fields["private_key"].groups, "base.group_system")

    def test_an_accountant_reaches_no_secret_on_any_read_path_of_the_company(self):
        self.fill_the_cache_as_the_filing_code_does()
        company = self.company.with_user(self.accountant)
        names = list(company.fields_get(attributes=["type"]))
        self.assertNoSecret(company.fields_get(), "fields_get")
        self.assertNoSecret(company.read(names), "read")
        self.assertNoSecret(company.web_read({name: {} for name in names}), "web_read")
        self.assertNoSecret(company.onchange({}, [], {name: {} for name in names}), "onchange")
        # the path of the report: the company the settings come from, and every field of it
        links = [
            name
            for name, field in company._fields.items()
            if name in names
            and field.type in ("many2one", "one2many", "many2many")
            and field.comodel_name == "res.company"
        ]
        self.assertIn("l10n_no_altinn_source_company_id", links)
        paths = names + [f"{link}/{name}" for link in links for name in names]
        self.assertNoSecret(company.export_data(paths), "export_data")
        groups = company.read_group([], ["id:count"], ["l10n_no_altinn_parent_id"])
        self.assertNoSecret(groups, "read_group")
        self.assertNoSecret(company.name_search(CLIENT_ID), "name_search")
        # the history of calls names no client id either
        calls = self.env["annual.altinn.call"].with_user(self.accountant).search([])
        self.assertNoSecret(calls.read(), "the Altinn call history")

    def test_an_accountant_reaches_nothing_of_the_key_store(self):
        self.fill_the_cache_as_the_filing_code_does()
        credential = self.bureau._l10n_no_altinn_credential()
        store = self.env[STORE].with_user(self.accountant)
        record = credential.with_user(self.accountant)
        attempts = {
            "read": lambda: record.read(["private_key"]),
            "read of a plain field": lambda: record.read(["company_id"]),
            "web_read": lambda: record.web_read({"client_id": {}}),
            "search_read": lambda: store.search_read([], ["client_id"]),
            "search on a secret": lambda: store.search([("private_key", "ilike", "PRIVATE")]),
            "search_count": lambda: store.search_count([]),
            "read_group": lambda: store.read_group([], ["key_id"], ["key_id"]),
            "name_search": lambda: store.name_search(""),
            "export_data": lambda: record.export_data(["private_key"]),
            "onchange": lambda: store.onchange({}, [], {"client_id": {}}),
            "the attribute": lambda: record.private_key,
        }
        for path, attempt in attempts.items():
            with self.assertRaises(AccessError, msg=path):
                self.assertNoSecret(attempt(), path)
        self.assertFalse({"client_id", "key_id", "private_key"} & set(store.fields_get()))

    def test_the_secrets_leave_the_cache_once_read(self):
        credential = self.bureau._l10n_no_altinn_credential()
        self.fill_the_cache_as_the_filing_code_does()
        for name in ("client_id", "key_id", "private_key"):
            field = credential._fields[name]
            self.assertFalse(self.env.cache.contains(credential, field), name)

    def test_accountant_cannot_write_the_secrets(self):
        credential = self.bureau._l10n_no_altinn_credential()
        with self.assertRaises(AccessError):
            credential.with_user(self.account_manager).write({"private_key": rsa_private_pem()})
        with self.assertRaises(AccessError):
            self.env[STORE].with_user(self.account_manager).create(
                {"company_id": self.company.id, "client_id": CLIENT_ID}
            )

    def test_administrator_reads_the_secrets(self):
        admin = new_test_user(
            self.env,
            login="it-admin",
            groups="base.group_user,base.group_system",
            company_id=self.bureau.id,
            company_ids=[(6, 0, self.bureau.ids)],
        )
        values = self.bureau._l10n_no_altinn_credential().with_user(admin).read(["client_id"])
        self.assertEqual(values[0]["client_id"], CLIENT_ID)

    def test_the_company_form_never_shows_a_secret(self):
        arch = self.env["res.company"].get_view(self.env.ref("base.view_company_form").id)["arch"]
        shown = set(re.findall(r'<field name="([^"]+)"', arch))
        secrets = {name for name in shown if name.endswith(("private_key", "client_id", "key_id"))}
        self.assertEqual(secrets, {"l10n_no_altinn_has_private_key"}, "only whether one is stored")
        self.assertTrue(self.bureau.with_user(self.accountant).l10n_no_altinn_has_private_key)
        self.assertFalse(self.company.with_user(self.accountant).l10n_no_altinn_has_private_key)

    # ------------------------------------------------------------
    # The history of calls to Altinn: each company's own
    # ------------------------------------------------------------

    def record_call(self, company):
        return self.env["annual.altinn.call"].create(
            {"company_id": company.id, "operation": "token", "outcome": "success"}
        )

    def test_an_accountant_reads_only_the_calls_of_their_companies(self):
        other = self.env["res.company"].create({"name": "Annen AS"})
        mine, bureau, theirs = (self.record_call(c) for c in (self.company, self.bureau, other))
        calls = self.env["annual.altinn.call"]
        # every company the accountant may work in, whichever is selected in the switcher
        as_accountant = calls.with_user(self.accountant).with_company(self.company)
        self.assertEqual(as_accountant.search([]), mine | bureau)
        with self.assertRaises(AccessError):
            theirs.with_user(self.accountant).read(["operation"])
        client_only = create_accountant(self.env, "klientforer", self.company)
        self.assertEqual(calls.with_user(client_only).search([]), mine)
        self.assertEqual(self.company.with_user(client_only).l10n_no_altinn_call_ids, mine)


@tagged("post_install", "-at_install")
class TestSecretsOverHttp(SecretsMixin, HttpCase):
    """The web client's own export route, as an accountant's browser calls it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_secrets()
        cls.accountant.password = "regnskapsforer-pw-1"

    def export_csv(self, fields):
        response = self.url_open(
            "/web/export/csv",
            data={
                "data": json.dumps(
                    {
                        "model": "res.company",
                        "fields": [{"name": name, "label": name} for name in fields],
                        "ids": [self.company.id],
                        "domain": [],
                        "import_compat": True,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_exporting_the_company_and_its_settings_source_shows_no_secret(self):
        self.authenticate("regnskapsforer", "regnskapsforer-pw-1")
        names = [
            name
            for name in self.company.with_user(self.accountant).fields_get()
            if self.company._fields[name].type not in ("binary", "properties")
        ]
        source = [f"l10n_no_altinn_source_company_id/{name}" for name in names]
        text = self.export_csv(["name", *source])
        self.assertIn("Byrå AS", text, "the export went through the settings' source")
        self.assertNoSecret(text, "/web/export/csv")
