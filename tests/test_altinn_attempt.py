import time

from odoo.tests import tagged

from ..models.res_company import TIMEOUT_PARAM
from .altinn_common import AltinnSimulatorMixin
from .annual_account_common import AnnualAccountCommon

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@tagged("post_install", "-at_install")
class TestAltinnAttempt(AltinnSimulatorMixin, AnnualAccountCommon):
    """The Altinn side of a filing as its own record: what an attempt may resume, replace and
    delete (issue 14 points 11-13)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_simulator(cls.company)

    def setUp(self):
        super().setUp()
        self.approve_system_user(self.company)

    def wait_for_instances(self, count, seconds=10):
        deadline = time.monotonic() + seconds
        while len(self.control.instances()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.control.instances()

    def lose_a_create(self, account):
        """Altinn is slow: the client gives up after 1 s, the instance is made after 2 s."""
        self.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 1)
        self.control.add_fault("instance_create", delay=2)
        account.action_submit()
        self.assertEqual(account.state, "draft")
        [orphan] = self.wait_for_instances(1)
        return orphan

    # ------------------------------------------------------------------------------------------
    # 14.11: an orphan is resumed only by the attempt that made it
    # ------------------------------------------------------------------------------------------

    def test_an_orphan_is_resumed_by_its_own_attempt(self):
        account = self.ready_draft()
        orphan = self.lose_a_create(account)
        attempt = account.altinn_attempt_id
        self.assertRecordValues(attempt, [{"state": "new", "instance_id": False}])
        self.assertTrue(attempt.create_sent_at, "the attempt recorded its unanswered create")
        self.assertEqual(attempt.error_code, "timeout")

        account.action_submit()
        self.assertRecordValues(
            account, [{"state": "submitted", "altinn_instance_id": orphan["id"]}]
        )
        self.assertEqual(account.altinn_attempt_ids, attempt, "the same attempt went on")
        self.assertEqual(len(self.control.instances()), 1)

    def test_an_orphan_of_another_filing_is_reported_not_taken_over(self):
        earlier = self.ready_draft()
        orphan = self.lose_a_create(earlier)
        earlier.action_cancel()  # its attempt never learnt the instance: Altinn keeps it
        self.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 3)

        # the company's next filing (here: a correction of the same year) makes its own
        correction = self.ready_draft()
        correction.action_submit()
        self.assertEqual(correction.state, "submitted", correction.error_message)
        self.assertNotEqual(correction.altinn_instance_id, orphan["id"])
        self.assertEqual(len(self.control.instances()), 2)
        still = next(i for i in self.control.instances() if i["id"] == orphan["id"])
        self.assertEqual(still["task_type"], "data", "the orphan was left alone")
        self.assertIn(orphan["id"], correction.message_ids.mapped("body")[1])
        self.assertIn("did not make", correction.message_ids.mapped("body")[1])

    def test_another_year_never_takes_over_an_orphan(self):
        earlier = self.ready_draft()
        orphan = self.lose_a_create(earlier)
        self.env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 3)
        other_year = self.create_draft(
            year=2024,
            approval_date="2025-05-20",
            full_time_equivalents=1.5,
            brg_warnings_accepted=True,
        )
        other_year.action_submit()
        self.assertNotEqual(other_year.altinn_instance_id, orphan["id"])
        self.assertNotEqual(other_year.altinn_attempt_id.instance_id, orphan["id"])
        # and the filing that made it still finds it
        earlier.action_submit()
        self.assertEqual(earlier.altinn_instance_id, orphan["id"])

    # ------------------------------------------------------------------------------------------
    # 14.12: a rejected attachment is replaced, not skipped
    # ------------------------------------------------------------------------------------------

    def test_an_infected_attachment_is_deleted_and_replaced_on_retry(self):
        account = self.ready_draft(small_enterprise=False)
        infected = self.env["ir.attachment"].create(
            {
                "name": "Revisjonsberetning.pdf",
                "raw": b"%PDF-1.4\n" + EICAR,
                "mimetype": "application/pdf",
                "res_model": account._name,
                "res_id": account.id,
            }
        )
        account.action_submit()
        self.assertEqual(account.state, "draft")
        self.assertEqual(account.altinn_attempt_id.error_code, "file_infected")
        self.assertIn("Revisjonsberetning.pdf", account.error_message)

        infected.raw = b"%PDF-1.4\n% the auditor's report, clean\n"
        account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        stored = self.sim.state.instances[account.altinn_instance_id]
        reports = [e for e in stored.elements("Vedlegg") if e["filename"] == infected.name]
        self.assertEqual(len(reports), 1, "the infected one was deleted, not kept beside")
        self.assertEqual(reports[0]["fileScanResult"], "Clean")
        self.assertEqual(stored.contents[reports[0]["id"]], infected.raw)
        self.assertIn("data_delete", account.altinn_call_ids.mapped("operation"))

    # ------------------------------------------------------------------------------------------
    # 14.13: cancelling a draft that has an instance deletes it
    # ------------------------------------------------------------------------------------------

    def test_cancelling_a_draft_deletes_its_instance(self):
        self.control.add_fault("process_next", status=500)
        account = self.ready_draft()
        account.action_submit()
        self.assertRecordValues(account, [{"state": "draft", "altinn_state": "filling"}])
        account.action_cancel()
        self.assertEqual(account.state, "cancelled")
        [instance] = self.control.instances()
        self.assertTrue(instance["deleted"])
        self.assertEqual(account.altinn_attempt_id.state, "deleted")
        self.assertIn("deleted in Altinn", account.message_ids[0].body)
