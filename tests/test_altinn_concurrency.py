import threading

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


@tagged("post_install", "-at_install")
class TestAltinnConcurrentSubmit(TransactionCase):
    """Twenty requests submit the same draft at once, each in its own transaction (own
    cursor, committed data), as twenty browser tabs or API clients would: the row lock lets
    one through; the others are refused cleanly; Altinn ends with one instance."""

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
                    "name": "Samtidig AS",
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
