import subprocess

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .annual_account_common import AnnualAccountCommon


def pdf_text(pdf):
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()


@tagged("post_install", "-at_install")
class TestReport(AnnualAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.filing = cls.create_draft(cls, approval_date="2026-05-20")
        # Posted after the draft: the PDF prints the stored figures, not this.
        cls.make_entry("2025-11-01", [("1500", 1000), ("3000", -1000)])
        cls.text = pdf_text(cls.filing._render_pdf())
        cls.compact = " ".join(cls.text.split())

    def test_header_and_file_name(self):
        self.assertIn("Årsregnskap 2025", self.text)
        self.assertIn("Fjordlys Rørlegger AS", self.text)
        self.assertIn("914778271", self.text)
        self.assertIn("01.01.2025 – 31.12.2025", self.compact)
        self.assertEqual(self.filing._pdf_filename(), "Årsregnskap_2025.pdf")
        report = self.env.ref("l10n_no_annual_accounts.action_report_annual_account")
        name = safe_eval(report.print_report_name, {"object": self.filing})
        self.assertEqual(f"{name}.pdf", "Årsregnskap_2025.pdf")

    def test_statements_in_whole_kroner_with_last_year_and_note_references(self):
        lines = {" ".join(line.split()) for line in self.text.splitlines()}
        # label, note, this year, last year (stored figures, not the later posting)
        self.assertIn("Salgsinntekt 200 000 100 000", lines)
        self.assertIn("Lønnskostnad 2 68 460 30 000", lines)
        self.assertIn(
            "Avskrivning på varige driftsmidler og immaterielle eiendeler 3 10 000 0", lines
        )
        self.assertIn("Netto finans -2 500 0", lines)
        self.assertIn("Årsresultat 87 391 23 400", lines)
        self.assertIn("SUM EIENDELER 555 500 195 000", lines)
        self.assertIn("Selskapskapital 5 100 000 100 000", lines)
        self.assertIn("SUM EGENKAPITAL OG GJELD 555 500 195 000", lines)
        self.assertNotIn("201 000", self.text)

    def test_notes_and_signatures(self):
        self.assertIn("Note 1: Regnskapsprinsipper", self.compact)
        self.assertIn("Note 2: Lønnskostnader og antall årsverk", self.compact)
        self.assertIn("Lønninger 60 000 30 000", self.compact)
        self.assertIn("Arbeidsgiveravgift 8 460 0", self.compact)
        self.assertIn("Note 7: Egenkapital", self.compact)
        self.assertIn("Årets resultat 0 0 87 391 87 391", self.compact)
        self.assertIn("Selskapet eier ingen egne aksjer.", self.compact)
        self.assertIn("Ålesund, 20.05.2026", self.compact)
        for name in ("Kari Nordmann", "Øystein Bærum", "Åse Kjølås Ødegård", "Daglig leder"):
            self.assertIn(name, self.text)

    def test_edited_note_is_printed(self):
        note = self.filing.note_ids.filtered(lambda n: n.key == "regnskapsprinsipper")
        note.body_text = "Særskilte prinsipper for Ærlig & Sønn."
        text = " ".join(pdf_text(self.filing._render_pdf()).split())
        self.assertIn("Særskilte prinsipper for Ærlig & Sønn.", text)
