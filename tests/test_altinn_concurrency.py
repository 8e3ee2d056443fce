import threading
from unittest.mock import patch

import requests

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from ..models.res_company import TIMEOUT_PARAM
from ..tools import maskinporten
from ..tools.altinn_sim_control import SimulatorControl
from ..tools.altinn_simulator import RunningSimulator
from .altinn_common import harvest_tokens, watch_logs_for_secrets

ORGNR = "914778271"
THREADS = 20


class CommittedAltinnCase(TransactionCase):
    """A filing in committed data, worked on through cursors of their own that commit or roll
    back as Odoo's requests do (not in Odoo's test mode: the records of what Altinn did go
    through a cursor of their own, models/altinn_apart.py, and must really be committed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        watch_logs_for_secrets(cls)
        cls.sim = RunningSimulator().start()
        cls.addClassCleanup(cls.sim.stop)
        cls.control = SimulatorControl(cls.sim.url)

    def committed(self):
        """A cursor of its own, committed on success (the test's own transaction is not)."""
        return self.registry.cursor()

    def set_up_committed_filing(self):
        with self.committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param(TIMEOUT_PARAM, 10)
            company = env["res.company"].create(
                {
                    "name": f"Samtidig AS ({type(self).__name__})",
                    "company_registry": ORGNR,
                    "l10n_no_altinn_environment": "simulator",
                    "l10n_no_altinn_simulator_url": self.sim.url,
                }
            )
            company._l10n_no_altinn_connect_simulator()
            type(self).secrets.add(company._l10n_no_altinn_credentials()["private_key"])
            company._l10n_no_altinn_register_system(company._l10n_no_altinn_client())
            company._l10n_no_altinn_request_system_user()
            confirm_url = company.l10n_no_altinn_systemuser_confirm_url
            requests.post(confirm_url, data={"decision": "approve"}, timeout=5)
            company._l10n_no_altinn_poll_system_user()
            account = env["annual.account"]._create_draft(company, 2025)
            account.write(
                {
                    "approval_date": "2026-05-20",
                    "approval_confirmed_by": "Kari Nordmann",
                    "full_time_equivalents": 0,
                    "brg_warnings_accepted": True,
                    "not_audited": True,
                }
            )
            account._check_can_submit()  # the draft is submittable: only the race decides
            return company.id, account.id

    def tear_down_committed(self, company_id):
        with self.committed() as cr:
            cr.execute("DELETE FROM annual_altinn_call WHERE company_id = %s", [company_id])
            cr.execute("DELETE FROM annual_altinn_attempt WHERE company_id = %s", [company_id])
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'annual_account' AND res_id IN "
                "(SELECT id FROM annual_account WHERE company_id = %s)",
                [company_id],
            )
            cr.execute("DELETE FROM annual_account WHERE company_id = %s", [company_id])
            cr.execute("DELETE FROM annual_altinn_credential WHERE company_id = %s", [company_id])
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(company_id).active = False
            env["ir.config_parameter"].set_param(TIMEOUT_PARAM, False)

    def instances(self):
        return [i for i in self.control.instances() if i["orgnr"] == ORGNR]


@tagged("post_install", "-at_install")
class TestAltinnConcurrentSubmit(CommittedAltinnCase):
    """Twenty requests submit the same draft at once, each in its own transaction (own
    cursor, committed data), as twenty browser tabs or API clients would: the row lock lets
    one through; the others are refused cleanly; Altinn ends with one instance."""

    def test_twenty_concurrent_submits_make_one_instance(self):
        maskinporten.TOKEN_CACHE.clear()
        company_id, account_id = self.set_up_committed_filing()
        self.addCleanup(self.tear_down_committed, company_id)
        start = threading.Barrier(THREADS, timeout=60)
        results = {}

        def submit(number):
            with self.committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    start.wait()
                    # as Odoo runs a request: retried on a serialisation failure, committed
                    retrying(lambda: env["annual.account"].browse(account_id).action_submit(), env)
                    results[number] = "submitted"
                except UserError as error:
                    results[number] = error

        threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        harvest_tokens(type(self))

        self.assertEqual(len(results), THREADS, "every request finished")
        refusals = [r for r in results.values() if r != "submitted"]
        self.assertEqual(len(refusals), THREADS - 1, results)
        for refusal in refusals:
            self.assertRegex(
                str(refusal), "Someone else is sending|Only DRAFT annual accounts can be submitted"
            )
        instances = [i for i in self.control.instances() if i["orgnr"] == ORGNR]
        self.assertEqual(len(instances), 1)
        with self.committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["annual.account"].browse(account_id)
            self.assertRecordValues(
                account,
                [
                    {
                        "state": "submitted",
                        "altinn_state": "awaiting_signature",
                        "altinn_instance_id": instances[0]["id"],
                    }
                ],
            )
            self.assertEqual(
                account.altinn_call_ids.mapped("operation").count("instance_create"), 1
            )


@tagged("post_install", "-at_install")
class TestAltinnRecordSurvivesRollback(CommittedAltinnCase):
    """Issue 14 point 10: nothing after a call to Altinn rolls back the record of that call."""

    def test_failure_after_sending_rolls_back_but_the_attempt_stays_and_is_continued(self):
        maskinporten.TOKEN_CACHE.clear()
        company_id, account_id = self.set_up_committed_filing()
        self.addCleanup(self.tear_down_committed, company_id)
        model = type(self.env["annual.account"])
        # the filing is in signing in Altinn; then the chatter (or anything else) fails
        with patch.object(model, "_altinn_log", side_effect=RuntimeError("chatter down")):
            with self.assertRaises(RuntimeError), self.committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["annual.account"].browse(account_id).action_submit()
        harvest_tokens(type(self))
        [instance] = self.instances()
        self.assertEqual(instance["task_type"], "signing")
        with self.committed() as cr:
            account = api.Environment(cr, SUPERUSER_ID, {})["annual.account"].browse(account_id)
            self.assertEqual(account.state, "draft", "the request's transaction rolled back")
            self.assertRecordValues(
                account.altinn_attempt_ids,
                [{"instance_id": instance["id"], "state": "awaiting_signature"}],
            )
            self.assertEqual(account.altinn_instance_id, instance["id"])
            self.assertEqual(
                account.altinn_call_ids.sorted("id").mapped("operation"),
                ["instance_find", "instance_create", "data_upload", "data_upload", "process_next"],
            )
            self.assertEqual(account.altinn_call_ids.attempt_id, account.altinn_attempt_ids)

        with self.committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertTrue(env["annual.account"].browse(account_id).action_submit())
        harvest_tokens(type(self))
        self.assertEqual(len(self.instances()), 1, "the retry continued with the same instance")
        with self.committed() as cr:
            account = api.Environment(cr, SUPERUSER_ID, {})["annual.account"].browse(account_id)
            self.assertRecordValues(
                account, [{"state": "submitted", "altinn_instance_id": instance["id"]}]
            )
            self.assertEqual(len(account.altinn_attempt_ids), 1)
            operations = account.altinn_call_ids.mapped("operation")
            self.assertEqual(operations.count("instance_create"), 1)
            self.assertEqual(operations.count("process_next"), 1, "nothing was sent again")
