from urllib.parse import unquote

from odoo.tests import HttpCase, tagged

from .annual_account_common import AnnualAccountCommon
from .common import create_accountant


@tagged("post_install", "-at_install")
class TestAnnualAccountHttp(AnnualAccountCommon, HttpCase):
    """What an accountant does in the browser, through the web client's own routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = create_accountant(cls.env, "regnskapsforer", cls.company)
        cls.accountant.password = "regnskapsforer-pw-1"

    def test_accountant_creates_edits_resets_prints_and_downloads(self):
        Account = self.env["annual.account"].with_user(self.accountant)
        action = Account.with_company(self.company).action_open_create_draft()
        account = Account.browse(action["res_id"])
        self.assertEqual((account.company_id, account.state), (self.company, "draft"))
        note = account.note_ids.filtered(lambda n: n.key == "regnskapsprinsipper")
        note.body_text = "Redigert."
        self.assertTrue(note.is_edited)
        note.action_reset_to_generated()
        self.assertFalse(note.is_edited)
        for model in ("annual.account", "annual.account.overview", "annual.account.note"):
            views = (
                self.env[model]
                .with_user(self.accountant)
                .get_views([(False, "list"), (False, "form"), (False, "search")])
            )
            self.assertTrue(views["views"]["list"]["arch"])
            if model == "annual.account":  # every field of the screens computes for a user
                names = views["models"][model]["fields"]
                values = account.with_user(self.accountant).web_read({n: {} for n in names})
                self.assertIn("Salgsinntekt", values[0]["statement_html"])
                self.assertTrue(values[0]["can_submit"])

        self.authenticate("regnskapsforer", "regnskapsforer-pw-1")
        response = self.url_open(
            f"/report/download?data=%5B%22/report/pdf/l10n_no_annual_accounts."
            f"report_annual_account/{account.id}%22,%22qweb-pdf%22%5D&context=%7B%7D"
        )
        self.assertEqual(response.status_code, 200)
        # Odoo renders HTML instead of PDF under test unless asked (see _render_pdf).
        self.assertIn("Salgsinntekt", response.content.decode())
        self.assertIn("200 000", response.content.decode())
        disposition = unquote(response.headers["Content-Disposition"])
        self.assertIn("Årsregnskap_2025.pdf", disposition)

        url = account.action_download_underskjema()["url"]
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'<aarets orid="1340">200000</aarets>', response.content)
        self.assertIn("RR-0002-U_2025.xml", unquote(response.headers["Content-Disposition"]))
