import time
from unittest.mock import patch

import requests

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..controllers.api_annual_accounts import submission_json
from ..models.res_company import TIMEOUT_PARAM
from ..tools import maskinporten
from ..tools.altinn_environments import SIM_INBOX
from .altinn_common import AltinnSimulatorMixin, CaptureLogs
from .annual_account_common import ORGNR, AnnualAccountCommon
from .common import create_accountant


@tagged("post_install", "-at_install")
class TestAltinnFiling(AltinnSimulatorMixin, AnnualAccountCommon):
    """Draft → Altinn → signature → BRG's decision, over HTTP against the simulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_simulator(cls.company)

    def setUp(self):
        super().setUp()
        self.approve_system_user(self.company)

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    def sim_instances(self):
        return self.control.instances()

    def sign(self, account, signer="Åse Kjølås Ødegård"):
        url = f"{self.sim.url}{SIM_INBOX}/{account.altinn_instance_id}"
        requests.post(url, data={"signer": signer}, timeout=5).raise_for_status()

    def filing_calls(self, account):
        return account.altinn_call_ids.sorted("id")

    def wait_for_instances(self, count, seconds=10):
        deadline = time.monotonic() + seconds
        while len(self.sim_instances()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.sim_instances()

    # ------------------------------------------------------------------------------------------
    # The whole way
    # ------------------------------------------------------------------------------------------

    def test_draft_submitted_signed_approved(self):
        self.control.config(auto_approve=False)
        account = self.ready_draft()
        account.action_submit()
        [instance] = self.sim_instances()
        self.assertRecordValues(
            account,
            [
                {
                    "state": "submitted",
                    "altinn_state": "awaiting_signature",
                    "altinn_instance_id": instance["id"],
                    "error_message": False,
                }
            ],
        )
        self.assertTrue(account.submitted_at)
        self.assertEqual(instance["orgnr"], ORGNR)
        self.assertEqual(instance["task_type"], "signing")
        self.assertEqual(
            account.altinn_signing_url, f"{self.sim.url}/inbox/{account.altinn_instance_id}"
        )
        # what Altinn holds is exactly the product's XML
        stored = self.sim.state.instances[instance["id"]]
        hovedskjema, underskjema = account._brg_payload()
        by_type = {e["dataType"]: stored.contents.get(e["id"]) for e in stored.doc["data"]}
        self.assertEqual(by_type["Hovedskjema"], hovedskjema)
        self.assertEqual(by_type["Underskjema"], underskjema)
        self.assertNotIn("Vedlegg", by_type, "a small unaudited AS needs no attachment")
        self.assertRecordValues(
            self.filing_calls(account),
            [
                {"operation": "instance_find", "outcome": "success", "http_status": 200},
                {"operation": "instance_create", "outcome": "success", "http_status": 201},
                {"operation": "data_upload", "outcome": "success", "http_status": 201},
                {"operation": "data_upload", "outcome": "success", "http_status": 201},
                {"operation": "process_next", "outcome": "success", "http_status": 200},
            ],
        )
        self.assertEqual(self.filing_calls(account)[1].reference, instance["id"])
        self.assertIn("signing link", account.message_ids[0].body)

        account.action_altinn_refresh()  # nobody has signed yet
        self.assertEqual(account.altinn_state, "awaiting_signature")

        self.sign(account)
        self.env["annual.account"]._cron_altinn_refresh()
        self.assertRecordValues(account, [{"state": "submitted", "altinn_state": "signed"}])
        receipt = account.altinn_receipt_id
        self.assertTrue(receipt.raw.startswith(b"%PDF-"))
        self.assertIn(ORGNR.encode(), receipt.raw)
        self.assertEqual((receipt.res_model, receipt.res_id), ("annual.account", account.id))
        self.assertEqual(account.altinn_attempt_id.receipt_id, receipt)

        self.control.decide(account.altinn_instance_id, approved=True)
        account.action_altinn_refresh()
        self.assertRecordValues(account, [{"state": "approved", "altinn_state": "signed"}])
        self.assertIn("Regnskapsregisteret", account.message_ids[0].body)
        self.assertEqual(
            self.filing_calls(account).mapped("operation")[5:],
            [
                "instance_read",  # awaiting signature
                "instance_read",  # signed
                "receipt_download",
                "register_lookup",  # not published yet
                "instance_read",
                "register_lookup",  # published: approved
            ],
        )
        self.assertEqual(len(self.sim_instances()), 1)

    def test_an_accountant_submits_without_seeing_the_credentials(self):
        accountant = create_accountant(self.env, "regnskapsforer", self.company)
        account = self.ready_draft().with_user(accountant)
        account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        self.sign(account)
        account.action_altinn_refresh()
        self.assertEqual(account.state, "approved")  # small unaudited AS: approved at once
        self.assertTrue(account.altinn_receipt_id)
        self.assertEqual(account.altinn_call_ids.user_id, accountant)

    def test_medium_sized_company_files_the_pdf_as_attachment(self):
        account = self.ready_draft(small_enterprise=False)
        self.assertNotIn("VAL_FileAttachments", account.brg_issues_html or "")
        account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        stored = self.sim.state.instances[account.altinn_instance_id]
        [vedlegg] = stored.elements("Vedlegg")
        self.assertEqual(vedlegg["filename"], account._pdf_filename())
        self.assertEqual(vedlegg["fileScanResult"], "Clean")
        self.assertTrue(stored.contents[vedlegg["id"]].startswith(b"%PDF-"))
        self.assertIn("attachment_upload", self.filing_calls(account).mapped("operation"))

    def test_group_accounts_go_as_a_second_underskjema(self):
        """The hook: when the filing data carries group accounts, they are filed as BRG's
        "Opprett konsernregnskap" does (POST data/Underskjema, regnskapstype K); announced
        without them, refused before any call (tests/test_group_accounts.py consolidates)."""
        account = self.ready_draft(
            parent_company=True, group_accounts=True, group_accounting_rules="accounting_act"
        )
        with self.assertRaisesRegex(UserError, "VAL_Konsernregnskap"):
            account.action_submit()
        self.assertEqual(self.sim_log("instance_create"), [], "refused before any call")
        group = {**account._brg_filing_data(), "accounts_type": "K"}
        with patch.object(type(account), "_brg_group_filing_data", return_value=group):
            account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        stored = self.sim.state.instances[account.altinn_instance_id]
        company_form, group_form = stored.elements("Underskjema")
        self.assertIn(b'orid="25942">S<', stored.contents[company_form["id"]])
        self.assertIn(b'orid="25942">K<', stored.contents[group_form["id"]])
        [added] = [e for e in self.sim_log("data_post") if e["path"].endswith("/data/Underskjema")]
        self.assertEqual(added["status"], 200)

    def test_an_attachment_gets_its_extension_and_an_empty_one_is_refused(self):
        account = self.ready_draft(small_enterprise=False)
        self.env["ir.attachment"].create(
            {
                "name": "Revisjonsberetning",
                "raw": b"%PDF-1.4\n% rev\n",
                "mimetype": "application/pdf",
                "res_model": account._name,
                "res_id": account.id,
            }
        )
        names = [name for name, _content, _type in account._altinn_attachments()]
        self.assertIn("Revisjonsberetning.pdf", names)
        empty = self.env["ir.attachment"].create(
            {
                "name": "Tom.pdf",
                "raw": b"",
                "mimetype": "application/pdf",
                "res_model": account._name,
                "res_id": account.id,
            }
        )
        with self.assertRaisesRegex(UserError, "Tom.pdf cannot be sent to Altinn: it is empty"):
            account.action_submit()
        self.assertEqual(self.sim_log("instance_create"), [])
        empty.unlink()
        account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        stored = self.sim.state.instances[account.altinn_instance_id]
        self.assertIn("Revisjonsberetning.pdf", [e["filename"] for e in stored.elements("Vedlegg")])

    def test_the_step_is_read_from_the_task_type(self):
        self.control.config(task_names={"Task_1": "Fyll ut", "Task_2": "Signer"})
        account = self.ready_draft()
        account.action_submit()
        self.assertRecordValues(
            account, [{"state": "submitted", "altinn_state": "awaiting_signature"}]
        )
        self.sign(account)
        account.action_altinn_refresh()
        self.assertEqual(account.altinn_state, "signed")

    # ------------------------------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------------------------------

    def test_validation_failure_leaves_a_draft_with_brg_message(self):
        account = self.ready_draft()
        # the XML names another organisation than the instance owner: BRG's val_18
        with patch.object(type(account), "_orgnr", return_value="987654325"):
            account.action_submit()
        self.assertRecordValues(account, [{"state": "draft", "altinn_state": "filling"}])
        self.assertIn("the filing has errors", account.error_message)
        self.assertIn("val_18", account.error_message)
        self.assertIn("val_18", account.message_ids[0].body)
        last = self.filing_calls(account)[-1]
        self.assertRecordValues(
            last,
            [
                {
                    "operation": "process_next",
                    "outcome": "failure",
                    "http_status": 409,
                    "error_code": "validation_failed",
                }
            ],
        )
        # corrected and sent again: the same instance goes on to signing
        account.action_submit()
        self.assertRecordValues(account, [{"state": "submitted", "error_message": False}])
        self.assertEqual(len(self.sim_instances()), 1)

    def test_token_failure_changes_nothing_but_says_why(self):
        self.bureau._l10n_no_altinn_credential().key_id = "revoked-key"
        maskinporten.TOKEN_CACHE.clear()
        account = self.ready_draft()
        account.action_submit()
        self.assertRecordValues(
            account, [{"state": "draft", "altinn_state": "none", "altinn_instance_id": False}]
        )
        self.assertIn("Maskinporten refused the key (MP-120)", account.error_message)
        self.assertIn("key id (kid) is wrong", account.message_ids[0].body)
        self.assertRecordValues(
            self.filing_calls(account),
            [{"operation": "instance_find", "outcome": "failure", "error_code": "mp_key_rejected"}],
        )
        self.assertEqual(self.sim_instances(), [])

    def test_server_error_then_success(self):
        account = self.ready_draft()
        self.control.add_fault("instance_create", status=500)
        account.action_submit()
        self.assertRecordValues(account, [{"state": "draft", "altinn_instance_id": False}])
        self.assertIn("Altinn has a problem", account.error_message)
        self.assertEqual(self.sim_instances(), [])
        # a 500 on a form upload is repeated by the client within the same submission
        self.control.add_fault("data", status=500)
        account.action_submit()
        self.assertRecordValues(account, [{"state": "submitted", "error_message": False}])
        self.assertEqual(len(self.sim_instances()), 1)
        self.assertEqual([e["status"] for e in self.sim_log("data")], [500, 201, 201])
        self.assertEqual(
            self.filing_calls(account).mapped("outcome").count("failure"), 1, "one failed call"
        )

    def test_timeout_after_instance_creation_makes_one_instance(self):
        self.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 1)
        account = self.ready_draft()
        # Altinn is slow: the client gives up after 1 s, the instance is created after 2 s
        self.control.add_fault("instance_create", delay=2)
        account.action_submit()
        self.assertEqual(account.state, "draft")
        self.assertIn("did not answer in time", account.error_message)
        self.assertEqual(self.filing_calls(account)[-1].error_code, "timeout")
        [created] = self.wait_for_instances(1)

        account.action_submit()
        self.assertRecordValues(
            account, [{"state": "submitted", "altinn_instance_id": created["id"]}]
        )
        self.assertEqual(len(self.sim_instances()), 1)
        self.assertEqual(len(self.sim_log("instance_create")), 1)
        self.assertEqual(
            self.filing_calls(account).mapped("operation"),
            [
                "instance_find",
                "instance_create",  # timed out
                "instance_find",
                "instance_read",  # the one found is still being filled in: continue with it
                "data_upload",
                "data_upload",
                "process_next",
            ],
        )

    def test_resume_does_not_ask_for_parties(self):
        """app-lib answers api/v1/parties for system users only from 8.10: the resume looks
        up the owner by organisation number, or by the party id an earlier filing got."""
        self.control.add_fault("parties", status=403, count=99)
        self.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 1)
        account = self.ready_draft()
        self.control.add_fault("instance_create", delay=2)
        account.action_submit()
        self.wait_for_instances(1)
        account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        self.assertEqual(self.sim_log("parties"), [])
        self.assertEqual(len(self.sim_log("instances_query")), 2)  # Storage, by orgnr

        account.action_cancel()
        again = self.ready_draft()
        again.action_submit()
        self.assertEqual(again.state, "submitted", again.error_message)
        self.assertEqual(len(self.sim_log("instances_active")), 1)  # the party id was known

    def test_a_lost_record_of_a_sent_filing_is_found_again(self):
        """Everything after Altinn's answer rolled back (the instance id too): the next submit
        finds the instance in signing with this filing's own Hovedskjema and sends nothing."""
        account = self.ready_draft()
        model = type(account)
        with patch.object(model, "_altinn_log", side_effect=RuntimeError("lost")):
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                account.action_submit()
        account.invalidate_recordset()
        self.assertRecordValues(account, [{"state": "draft", "altinn_instance_id": False}])
        [instance] = self.sim_instances()
        self.assertEqual(instance["task_type"], "signing")
        account.action_submit()
        self.assertRecordValues(
            account,
            [{"state": "submitted", "altinn_instance_id": instance["id"]}],
        )
        self.assertEqual(len(self.sim_instances()), 1)
        self.assertEqual(len(self.sim_log("process_next")), 1)

    def test_retry_after_submission_reached_signing_does_not_send_again(self):
        account = self.ready_draft()
        self.control.add_fault("process_next", delay=2)
        self.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 1)
        account.action_submit()
        self.assertEqual(account.state, "draft")
        time.sleep(1.5)  # the simulator finishes the call meanwhile
        account.action_submit()
        self.assertRecordValues(
            account, [{"state": "submitted", "altinn_state": "awaiting_signature"}]
        )
        self.assertEqual(len(self.sim_log("process_next")), 1)

    def test_refresh_says_when_the_filing_was_deleted_in_altinn(self):
        account = self.ready_draft()
        account.action_submit()
        # a person deletes it in the inbox: Storage soft-deletes, the instance still answers
        altinn = self.company._l10n_no_altinn_client()
        altinn.delete_unsigned_instance(ORGNR, account.altinn_instance_id, hard=False)
        account.action_altinn_refresh()
        self.assertEqual(account.state, "submitted")
        self.assertIn("gone from Altinn", account.error_message)
        self.assertIn("gone from Altinn", account.message_ids[0].body)
        self.assertRecordValues(
            self.filing_calls(account)[-1],
            [{"operation": "instance_read", "outcome": "success", "http_status": 200}],
        )

    def test_decision_form_needs_a_reason_for_a_rejection(self):
        account = self.ready_draft()
        account.action_submit()
        action = account.action_open_decision_wizard()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.decision = "rejected"
        with self.assertRaises(AssertionError):  # the reason is required on the form
            form.save()
        form.reason = "Mangler revisjonsberetning."
        form.save().action_confirm()
        self.assertEqual(account.state, "rejected")

    def test_not_set_up_is_refused_before_anything_is_sent(self):
        self.company.l10n_no_altinn_parent_id = False
        account = self.ready_draft()
        with self.assertRaisesRegex(UserError, "Altinn submission is not configured"):
            account.action_submit()
        self.assertEqual(self.sim_log("instance_create"), [])

    # ------------------------------------------------------------------------------------------
    # Cancel and decision
    # ------------------------------------------------------------------------------------------

    def test_cancel_unsigned_deletes_the_instance(self):
        account = self.ready_draft()
        account.action_submit()
        self.assertEqual(len(self.sim_instances()), 1)
        account.action_cancel()
        self.assertEqual(account.state, "cancelled")
        [instance] = self.sim_instances()
        self.assertTrue(instance["deleted"])
        stored = self.sim.state.instances[instance["id"]].doc["status"]
        self.assertTrue(stored["isHardDeleted"], "hard: nobody can restore and sign it")
        self.assertEqual(
            [(e["method"], e["query"]) for e in self.sim_log("instance")][-2:],
            [("GET", ""), ("DELETE", "hard=true")],
        )
        self.assertEqual(self.filing_calls(account)[-1].operation, "instance_delete")
        self.assertIn("deleted in Altinn", account.message_ids[0].body)

    def test_cancel_signed_is_local_and_says_how_to_correct(self):
        self.control.config(auto_approve=False)
        account = self.ready_draft()
        account.action_submit()
        self.sign(account)
        account.action_altinn_refresh()
        account.action_cancel()
        self.assertEqual(account.state, "cancelled")
        self.assertEqual(len(self.sim_instances()), 1, "a filed årsregnskap stays filed")
        self.assertIn("correction is filed as a new filing", account.message_ids[0].body)

    def test_cancel_refused_when_signed_meanwhile(self):
        account = self.ready_draft()
        account.action_submit()
        self.sign(account)  # not refreshed: Odoo still thinks it awaits a signature
        account.action_cancel()
        self.assertEqual(account.state, "submitted")
        self.assertIn("signed in Altinn meanwhile", account.error_message)
        self.assertIn("signed in Altinn meanwhile", account.message_ids[0].body)
        self.assertRecordValues(
            self.filing_calls(account)[-1],
            [
                {
                    "operation": "instance_delete",
                    "outcome": "failure",
                    "error_code": "instance_signed",
                }
            ],
        )
        # read first: nothing was deleted (Storage would soft-delete a signed instance)
        self.assertNotIn("DELETE", [e["method"] for e in self.sim_log("instance")])
        self.assertFalse(self.sim_instances()[0]["deleted"])

    def test_record_decision_rejected_with_reason_and_approved(self):
        account = self.ready_draft()
        account.action_submit()
        action = account.action_open_decision_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"decision": "rejected", "reason": "Noteopplysninger mangler."})
        )
        wizard.action_confirm()
        self.assertRecordValues(
            account, [{"state": "rejected", "error_message": "Noteopplysninger mangler."}]
        )
        with self.assertRaises(UserError):
            account.action_open_decision_wizard()

        again = self.ready_draft()
        again.action_submit()
        wizard = self.env["annual.account.decision.wizard"].create(
            {"account_id": again.id, "decision": "approved"}
        )
        wizard.action_confirm()
        self.assertEqual(again.state, "approved")

    # ------------------------------------------------------------------------------------------
    # Secrets
    # ------------------------------------------------------------------------------------------

    def test_no_secret_in_logs_history_or_chatter_of_a_filing(self):
        self.control.config(auto_approve=False)
        with CaptureLogs() as logs:
            account = self.ready_draft()
            self.control.add_fault("instance_create", status=500)
            account.action_submit()
            account.action_submit()
            self.sign(account)
            account.action_altinn_refresh()
            tokens = [token for token, _expires in maskinporten.TOKEN_CACHE._tokens.values()]
            self.bureau._l10n_no_altinn_credential().key_id = "wrong"
            maskinporten.TOKEN_CACHE.clear()
            account.action_altinn_refresh()
        self.assertGreaterEqual(len(tokens), 3)
        key = self.bureau._l10n_no_altinn_credentials()["private_key"]
        secrets = [key, *tokens, *[line for line in key.splitlines() if "PRIVATE" not in line][:3]]
        published = [
            logs.text,
            repr(account.altinn_call_ids.read()),
            "\n".join(account.message_ids.mapped("body")),
            account.error_message or "",
            repr(submission_json(account)),
        ]
        self.assertIn("Maskinporten token", logs.text)
        for text in published:
            for secret in secrets:
                self.assertNotIn(secret, text)
            self.assertNotIn("eyJ", text)
