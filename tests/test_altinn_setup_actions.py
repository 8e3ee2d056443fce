from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..tools import maskinporten
from .altinn_common import OTHER_ORGNR, AltinnSimulatorCase, CaptureLogs
from .common import create_accountant


@tagged("post_install", "-at_install")
class TestAltinnSetupActions(AltinnSimulatorCase):
    # ------------------------------------------------------------
    # Test connection
    # ------------------------------------------------------------

    def test_connection_works_and_says_the_system_user_is_missing(self):
        action = self.client.action_l10n_no_altinn_test_connection()
        params = action["params"]
        self.assertEqual(params["type"], "success")
        self.assertIn("Log in to Maskinporten: OK", params["message"])
        self.assertIn("Exchange for an Altinn token: OK", params["message"])
        self.assertIn("not approved yet", params["message"])
        self.assertEqual([e["endpoint"] for e in self.sim_log()], ["token", "exchange"])
        self.assertRecordValues(
            self.calls(),
            [
                {"operation": "token", "outcome": "success", "http_status": 200},
                {"operation": "exchange", "outcome": "success", "http_status": 200},
            ],
        )

    def test_set_up_actions_from_the_accounting_settings(self):
        settings = self.env["res.config.settings"].with_company(self.client).create({})
        self.assertEqual(
            settings.action_l10n_no_altinn_test_connection()["params"]["type"], "success"
        )
        settings.action_l10n_no_altinn_register_system()
        self.assertTrue(self.bureau.l10n_no_altinn_system_registered)
        action = settings.action_l10n_no_altinn_request_system_user()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.company_id, self.client)

    def test_connection_with_an_approved_system_user_acts_for_it(self):
        self.approve_system_user()
        params = self.client.action_l10n_no_altinn_test_connection()["params"]
        self.assertEqual(params["type"], "success")
        self.assertIn("Act as the system user of 912345678: OK", params["message"])
        self.assertNotIn("not approved yet", params["message"])

    def test_connection_with_an_unknown_key_id_says_what_failed(self):
        self.bureau._l10n_no_altinn_credential().key_id = "not-registered"
        params = self.client.action_l10n_no_altinn_test_connection()["params"]
        self.assertEqual(params["type"], "danger")
        self.assertTrue(params["sticky"])
        self.assertIn("Log in to Maskinporten: failed", params["message"])
        self.assertIn("Maskinporten refused the key (MP-120)", params["message"])
        self.assertIn("the key id (kid) is wrong", params["message"])
        self.assertNotIn("Exchange", params["message"])
        [call] = self.calls()
        self.assertRecordValues(
            call, [{"operation": "token", "outcome": "failure", "http_status": 400}]
        )
        self.assertEqual(call.error_code, "mp_key_rejected")

    def test_connection_with_a_wrong_key_or_client_id_says_which(self):
        """Maskinporten's own refusals (MP-124, MP-100) in plain words."""
        credential = self.bureau._l10n_no_altinn_credential()
        good_key = credential._read_secrets()["private_key"]
        credential._store(self.bureau, private_key=credential._new_private_key())
        ok, lines = self.client._l10n_no_altinn_test_connection()
        self.assertFalse(ok)
        self.assertIn("Maskinporten refused the key (MP-124)", lines[-1])
        self.assertIn("not the one registered for client", lines[-1])

        credential._store(
            self.bureau, private_key=good_key, client_id="0b7a4f2e-1c3d-4e5f-9a8b-7c6d5e4f3a2b"
        )
        ok, lines = self.client._l10n_no_altinn_test_connection()
        self.assertFalse(ok)
        self.assertIn(
            "Maskinporten does not know the client id 0b7a4f2e-1c3d-4e5f-9a8b-7c6d5e4f3a2b in the "
            "simulator environment (MP-100)",
            lines[-1],
        )
        self.assertEqual(
            self.calls().mapped("error_code"), ["mp_key_rejected", "mp_unknown_client"]
        )

    def test_connection_with_an_unapproved_system_user_says_so(self):
        self.bureau.action_l10n_no_altinn_register_system()
        self.client._l10n_no_altinn_request_system_user()
        ok, lines = self.client._l10n_no_altinn_test_connection()
        self.assertFalse(ok)
        self.assertIn("Exchange for an Altinn token: OK", lines)
        self.assertIn(
            "Maskinporten found no approved system user for 912345678 (MP-303): the company has "
            "not approved the request in Altinn yet",
            lines[-1],
        )
        self.answer_confirm_page(self.client)
        ok, lines = self.client._l10n_no_altinn_test_connection()
        self.assertTrue(ok, lines)
        self.assertIn("Act as the system user of 912345678: OK", lines)

    def test_connection_when_the_simulator_is_down(self):
        self.bureau.l10n_no_altinn_simulator_url = "http://127.0.0.1:9"
        ok, lines = self.client._l10n_no_altinn_test_connection()
        self.assertFalse(ok)
        self.assertIn("could not reach Altinn", lines[0])
        self.assertEqual(self.calls().error_code, "connection")

    def test_connection_without_credentials(self):
        self.bureau.l10n_no_altinn_apply_to_children = False
        ok, lines = self.client._l10n_no_altinn_test_connection()
        self.assertFalse(ok)
        self.assertIn("Altinn is not set up for Fjelltopp Råd AS", lines[0])
        self.assertFalse(self.calls())

    def test_setup_wizard_tests_the_values_before_saving_them(self):
        action = self.bureau.action_l10n_no_altinn_setup()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.key_id = "typo"
        wizard.action_test_connection()
        self.assertFalse(wizard.test_ok)
        self.assertIn("the key id (kid) is wrong", wizard.test_result)
        self.assertEqual(
            self.bureau._l10n_no_altinn_credentials()["key_id"], "odoo-simulator", "nothing saved"
        )
        wizard.key_id = "odoo-simulator"
        wizard.action_test_connection()
        self.assertTrue(wizard.test_ok, wizard.test_result)

    # ------------------------------------------------------------
    # System register
    # ------------------------------------------------------------

    def test_register_then_update_the_system(self):
        action = self.client.action_l10n_no_altinn_register_system()
        self.assertEqual(action["params"]["type"], "success")
        system_id = "910000001_odoo_annual_accounts"
        self.assertRecordValues(
            self.bureau,
            [{"l10n_no_altinn_system_id": system_id, "l10n_no_altinn_system_registered": True}],
        )
        system = self.sim.state.systems[system_id]
        self.assertEqual(system["vendor"]["ID"], "0192:910000001")
        self.assertEqual(
            system["clientId"], [self.bureau._l10n_no_altinn_credentials()["client_id"]]
        )
        resource = system["rights"][0]["resource"][0]["value"]
        self.assertEqual(resource, "app_brg_aarsregnskap-vanlig-202406")

        self.bureau.action_l10n_no_altinn_register_system()
        self.assertEqual(
            [e["endpoint"] for e in self.sim_log() if e["endpoint"].startswith("system")],
            ["system_create", "system_update"],
        )
        self.assertEqual(
            self.calls(self.bureau).mapped("operation"), ["system_register", "system_update"]
        )

    def test_register_an_existing_system_falls_back_to_update(self):
        self.bureau._l10n_no_altinn_register_system(self.bureau._l10n_no_altinn_client())
        self.bureau.l10n_no_altinn_system_registered = False  # as from another database
        self.bureau.action_l10n_no_altinn_register_system()
        self.assertRecordValues(
            self.calls(self.bureau),
            [
                {"operation": "system_register", "outcome": "success", "http_status": 200},
                {"operation": "system_register", "outcome": "failure", "http_status": 400},
                {"operation": "system_update", "outcome": "success", "http_status": 200},
            ],
        )

    def test_register_again_after_the_simulator_forgot_the_system(self):
        self.bureau.action_l10n_no_altinn_register_system()
        self.control.reset()  # scripts/run restarted the simulator
        self.bureau._l10n_no_altinn_connect_simulator()
        params = self.bureau.action_l10n_no_altinn_register_system()["params"]
        self.assertEqual(params["type"], "success")
        self.assertIn("910000001_odoo_annual_accounts", self.sim.state.systems)
        self.assertRecordValues(
            self.calls(self.bureau),
            [
                {"operation": "system_register", "outcome": "success", "http_status": 200},
                {"operation": "system_update", "outcome": "failure", "http_status": 404},
                {"operation": "system_register", "outcome": "success", "http_status": 200},
            ],
        )

    def test_connect_to_the_simulator_only_in_the_simulator_environment(self):
        before = self.bureau._l10n_no_altinn_credentials()
        self.bureau._l10n_no_altinn_connect_simulator()  # introduced again: nothing new made
        self.assertEqual(self.bureau._l10n_no_altinn_credentials(), before)
        # the client files through the bureau's simulator, its own environment is test
        self.assertEqual(self.client.l10n_no_altinn_effective_environment, "simulator")
        with self.assertRaisesRegex(UserError, "local simulator"):
            self.client.action_l10n_no_altinn_connect_simulator()
        self.assertFalse(self.client._l10n_no_altinn_credential(), "no key made for it")

    def test_register_without_organisation_number_is_refused(self):
        self.bureau.l10n_no_bronnoysund_number = False
        with self.assertRaisesRegex(UserError, "organisation number"):
            self.bureau.action_l10n_no_altinn_register_system()
        self.assertFalse(self.sim_log("system_create"))

    # ------------------------------------------------------------
    # System users
    # ------------------------------------------------------------

    def test_request_confirm_and_poll_one_system_user(self):
        self.bureau.action_l10n_no_altinn_register_system()
        action = self.client.action_l10n_no_altinn_request_system_user()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.scope, "one")
        self.assertEqual(wizard.line_ids.company_id, self.client)
        wizard.action_send_requests()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "requested")
        self.assertIn("/accessmanagement/ui/systemuser/request?id=", wizard.line_ids.confirm_url)
        [request] = self.sim.state.user_requests.values()
        self.assertEqual(request["partyOrgNo"], "912345678")
        self.assertEqual(request["systemId"], "910000001_odoo_annual_accounts")
        self.assertEqual(request["externalRef"], f"912345678-odoo-{self.client.id}")
        self.assertEqual(self.client.l10n_no_altinn_systemuser_external_ref, request["externalRef"])
        self.assertIsNone(request["redirectUrl"], "this Odoo is not https: no redirect URL")

        wizard.action_check_status()  # nobody has answered yet
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "requested")
        self.answer_confirm_page(self.client)
        wizard.action_check_status()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "approved")
        self.assertEqual(wizard.progress_text, "1 of 1 approved")
        self.assertRecordValues(
            self.calls(),
            [
                {"operation": "systemuser_request", "outcome": "success", "http_status": 201},
                {"operation": "systemuser_status", "outcome": "success", "http_status": 200},
                {"operation": "systemuser_status", "outcome": "success", "http_status": 200},
            ],
        )
        self.assertEqual(self.calls()[0].reference, request["id"])
        # the system user works: the client's token exchange succeeds
        self.assertTrue(self.client._l10n_no_altinn_client().altinn_token("912345678"))

    def test_request_for_the_whole_organisation_with_progress(self):
        other = self.env["res.company"].create(
            {
                "name": "Havbris AS",
                "l10n_no_bronnoysund_number": OTHER_ORGNR,
                "l10n_no_altinn_parent_id": self.bureau.id,
            }
        )
        no_orgnr = self.env["res.company"].create(
            {"name": "Uten Nummer AS", "l10n_no_altinn_parent_id": self.bureau.id}
        )
        self.bureau.action_l10n_no_altinn_register_system()
        action = self.bureau.action_l10n_no_altinn_request_system_user()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.scope, "organisation")
        self.assertEqual(
            set(wizard.line_ids.company_id.ids),
            {self.bureau.id, self.client.id, other.id, no_orgnr.id},
        )
        wizard.action_send_requests()
        lines = {line.company_id: line for line in wizard.line_ids}
        self.assertIn("organisation number", lines[no_orgnr].message)
        self.assertEqual(lines[no_orgnr].state, "none")
        for company in (self.bureau, self.client, other):
            self.assertEqual(lines[company].state, "requested")
            self.assertTrue(lines[company].confirm_url)
        self.assertEqual(len(self.sim.state.user_requests), 3)

        self.answer_confirm_page(self.client)
        self.answer_confirm_page(other, decision="reject")
        wizard.action_check_status()
        self.assertEqual(lines[self.client].state, "approved")
        self.assertEqual(lines[other].state, "rejected")
        self.assertEqual(lines[self.bureau].state, "requested")
        self.assertEqual(wizard.progress_text, "1 of 4 approved")
        self.assertEqual(wizard.progress, 25.0)

        # sending again skips the approved company; Altinn answers the pending request as it
        # is, and the rejected one is deleted and asked anew with a new reference
        wizard.action_send_requests()
        requests_now = list(self.sim.state.user_requests.values())
        self.assertEqual(len(requests_now), 4)
        self.assertEqual([r["status"] for r in requests_now if r["deleted"]], ["Rejected"])
        self.assertEqual(lines[other].state, "requested")
        self.assertEqual(
            other.l10n_no_altinn_systemuser_external_ref, f"{OTHER_ORGNR}-odoo-{other.id}-2"
        )

    def test_ask_again_after_a_rejection(self):
        self.bureau.action_l10n_no_altinn_register_system()
        self.client._l10n_no_altinn_request_system_user()
        first_link = self.client.l10n_no_altinn_systemuser_confirm_url
        self.answer_confirm_page(self.client, decision="reject")
        self.client.action_l10n_no_altinn_check_system_user()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "rejected")
        # the same reference would only bring the rejected request back
        params = self.client.action_l10n_no_altinn_ask_again()["params"]
        self.assertEqual(params["type"], "success", params["message"])
        self.assertRecordValues(self.client, [{"l10n_no_altinn_systemuser_state": "requested"}])
        self.assertNotEqual(self.client.l10n_no_altinn_systemuser_confirm_url, first_link)
        self.answer_confirm_page(self.client)
        self.client._l10n_no_altinn_poll_system_user()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "approved")
        # the grant carries the new reference, or Maskinporten answers MP-303
        self.assertTrue(self.client._l10n_no_altinn_client().altinn_token("912345678"))
        # approved: asking once more changes nothing
        self.assertIsNone(self.client._l10n_no_altinn_request_system_user())
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "approved")

    def test_a_timed_out_request_is_asked_anew(self):
        self.bureau.action_l10n_no_altinn_register_system()
        self.client._l10n_no_altinn_request_system_user()
        request_id = self.client.l10n_no_altinn_systemuser_request_id
        self.control.set_request_status(request_id, "Timedout")
        self.client._l10n_no_altinn_poll_system_user()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "timedout")
        self.client._l10n_no_altinn_request_system_user()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "requested")
        self.assertNotEqual(self.client.l10n_no_altinn_systemuser_request_id, request_id)

    def test_the_wizard_form_switches_between_one_company_and_the_organisation(self):
        wizard_model = self.env["annual.altinn.systemuser.wizard"]
        with Form(wizard_model.with_context(default_company_id=self.bureau.id)) as form:
            form.scope = "organisation"
            self.assertEqual(len(form.line_ids), 2)
            form.scope = "one"
            self.assertEqual(len(form.line_ids), 1)

    def test_request_before_the_system_is_registered_is_refused(self):
        with self.assertRaisesRegex(UserError, "Register the system in Altinn first"):
            self.client._l10n_no_altinn_request_system_user()
        self.assertFalse(self.sim_log())

    def test_cron_polls_every_requested_system_user(self):
        self.bureau.action_l10n_no_altinn_register_system()
        self.client._l10n_no_altinn_request_system_user()
        self.answer_confirm_page(self.client)
        self.env["res.company"]._cron_l10n_no_altinn_poll_system_users()
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "approved")
        cron = self.env.ref("l10n_no_annual_accounts.ir_cron_altinn_poll_system_users")
        self.assertTrue(cron.active)

    def test_poll_failure_is_recorded_and_reported(self):
        self.bureau.action_l10n_no_altinn_register_system()
        self.client._l10n_no_altinn_request_system_user()
        self.control.add_fault("user_request_status", status=503, count=10)
        params = self.client.action_l10n_no_altinn_check_system_user()["params"]
        self.assertEqual(params["type"], "danger")
        self.assertIn(
            "Fjelltopp Råd AS: Reading the system user request: Altinn has a problem",
            params["message"],
        )
        # the client retried (max_retries=3) before giving up: four answers, one history row
        self.assertEqual(len(self.sim_log("user_request_status")), 4)
        self.assertRecordValues(
            self.calls(operation="systemuser_status"),
            [{"outcome": "failure", "http_status": 503, "error_code": "server_error"}],
        )
        self.assertEqual(self.client.l10n_no_altinn_systemuser_state, "requested")

    def test_an_administrator_without_accounting_rights_reads_the_company_form(self):
        admin = new_test_user(
            self.env,
            login="it-admin",
            groups="base.group_user,base.group_system",
            company_id=self.client.id,
            company_ids=[(6, 0, self.client.ids)],
        )
        self.client.action_l10n_no_altinn_test_connection()
        form = Form(self.client.with_user(admin))
        self.assertEqual(len(form.l10n_no_altinn_call_ids), 2)

    def test_only_administrators_use_the_set_up_actions(self):
        manager = create_accountant(self.env, "sjef", self.client, manager=True)
        for action in (
            "action_l10n_no_altinn_test_connection",
            "action_l10n_no_altinn_register_system",
            "action_l10n_no_altinn_request_system_user",
            "action_l10n_no_altinn_connect_simulator",
        ):
            with self.assertRaises(AccessError):
                getattr(self.client.with_user(manager), action)()
        self.assertFalse(self.sim_log())

    # ------------------------------------------------------------
    # Secrets
    # ------------------------------------------------------------

    def test_no_secret_in_any_log_line_history_or_answer(self):
        with CaptureLogs() as logs:
            self.client.action_l10n_no_altinn_test_connection()
            self.approve_system_user()
            answers = [self.client.action_l10n_no_altinn_test_connection()]
            self.client._l10n_no_altinn_client().altinn_token("912345678")
            tokens = [token for token, _expires in maskinporten.TOKEN_CACHE._tokens.values()]
            self.bureau._l10n_no_altinn_credential().key_id = "wrong"
            maskinporten.TOKEN_CACHE.clear()
            answers.append(self.client.action_l10n_no_altinn_test_connection())
            answers.append(self.client.action_l10n_no_altinn_register_system())
        self.assertGreaterEqual(len(tokens), 3, "the flow cached tokens to look for")
        self.assertEqual(answers[-1]["params"]["type"], "danger")
        key = self.bureau._l10n_no_altinn_credentials()["private_key"]
        secrets = [key, *tokens]
        secrets += [line for line in key.splitlines() if "PRIVATE" not in line][:3]
        history = self.env["annual.altinn.call"].search([])
        published = [
            logs.text,
            repr(answers),
            repr(history.read(["request_summary", "reference", "error_message", "error_code"])),
            repr([e["headers"] for e in self.sim_log()]),
        ]
        self.assertIn("odoo.addons.l10n_no_annual_accounts", logs.text, "logs were captured")
        self.assertIn("urllib3", logs.text, "HTTP was logged at DEBUG")
        for text in published:
            for secret in secrets:
                self.assertNotIn(secret, text)
            self.assertNotIn("eyJ", text, "no JWT (token or grant) at all")
