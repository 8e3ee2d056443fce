import re
import unittest

import requests

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import _find_executable

from .altinn_common import AltinnSimulatorMixin
from .annual_account_common import AnnualAccountCommon

NOTE_TEXT = "Egne regnskapsprinsipper, skrevet i nettleseren."  # as typed by the tour


def browser_missing():
    try:
        _find_executable()
    except unittest.SkipTest:
        return True
    return False


@tagged("post_install", "-at_install")
@unittest.skipIf(
    browser_missing(),
    "no Chrome or Chromium on this machine (google-chrome, chromium): the browser test needs "
    "one; scripts/test installs Debian's chromium when run as root",
)
class TestBrowserFlow(AltinnSimulatorMixin, AnnualAccountCommon, HttpCase):
    """The year-end close in a real browser: overview, preview, draft, a note, submit; the
    daglig leder signs on Altinn's page and BRG approves; refresh, allocation posted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_simulator(cls.company)
        admin = cls.env.ref("base.user_admin")
        admin.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})

    def setUp(self):
        super().setUp()
        self.approve_system_user(self.company)
        self.control.config(auto_approve=False)  # BRG decides through the control API

    def sign_in_altinn(self, account, signer="Åse Kjølås Ødegård"):
        """What the daglig leder's browser does on Altinn's page: open the link the filing
        shows, fill in the signing form and post it."""
        url = account.altinn_signing_url
        page = requests.get(url, timeout=5)
        page.raise_for_status()
        form = re.search(r"<form method='post'>.*?</form>", page.text, re.S)
        self.assertTrue(form, "the signing page has no signing form")
        self.assertIn("name='signer'", form.group(0))
        requests.post(url, data={"signer": signer}, timeout=5).raise_for_status()

    def test_close_the_year_in_the_browser(self):
        overview = "/odoo/action-l10n_no_annual_accounts.action_annual_account_overview"
        self.start_tour(overview, "l10n_no_aa_file", login="admin", timeout=180)

        account = self.env["annual.account"].search([("company_id", "=", self.company.id)])
        self.assertRecordValues(
            account,
            [{"reporting_year": 2025, "state": "submitted", "altinn_state": "awaiting_signature"}],
        )
        [instance] = self.control.instances()
        self.assertEqual(instance["task"], "Signering")
        self.sign_in_altinn(account)
        self.control.decide(account.altinn_instance_id, approved=True)

        filing = f"/odoo/action-l10n_no_annual_accounts.action_annual_account/{account.id}"
        self.start_tour(filing, "l10n_no_aa_approve_and_allocate", login="admin", timeout=180)

        account.invalidate_recordset()
        self.assertRecordValues(account, [{"state": "approved", "altinn_state": "signed"}])
        self.assertTrue(account.altinn_receipt_id.raw.startswith(b"%PDF-"))
        note = account.note_ids.filtered(lambda n: n.key == "regnskapsprinsipper")
        self.assertRecordValues(note, [{"is_edited": True, "body": NOTE_TEXT}])
        allocation = self.env["annual.allocation"].search(
            [("company_id", "=", self.company.id), ("reporting_year", "=", 2025)]
        )
        self.assertRecordValues(allocation, [{"state": "posted", "board_confirmation": True}])
        self.assertEqual(allocation.move_id.state, "posted")
        self.assertIn("8960", allocation.move_id.line_ids.account_id.mapped("code"))
