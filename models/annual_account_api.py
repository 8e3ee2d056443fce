import re

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import notes as notes_tools
from ..tools.brg_underskjema import REQUIRED_CODES, kroner, statement_figures

AMOUNT_RE = re.compile(r"-?\d+\.\d{2}")
REPORT = "l10n_no_annual_accounts.action_report_annual_account"


def _utc(value):
    return value and value.strftime("%Y-%m-%dT%H:%M:%SZ")


class AnnualAccount(models.Model):
    """The filing as the JSON API sees it, and its notes in and out (seed shapes)."""

    _inherit = "annual.account"

    statement_html = fields.Html(
        string="Statements", compute="_compute_statement_html", sanitize=False
    )

    @api.depends("snapshot", "note_ids.line_codes", "note_ids.note_number")
    def _compute_statement_html(self):
        for account in self:
            if not account.snapshot:
                account.statement_html = False
                continue
            html = Markup("")
            for section in account._report_sections():
                rows = Markup("").join(
                    Markup(
                        '<tr style="%s"><td style="padding-left: %spx">%s</td><td>%s</td>'
                        '<td class="text-end">%s</td><td class="text-end">%s</td></tr>'
                    )
                    % (
                        "font-weight: bold" if line["bold"] or line["header"] else "",
                        line["level"] * 12,
                        line["label"],
                        line["notes"],
                        line["amount"],
                        line["prior_amount"],
                    )
                    for line in section["lines"]
                )
                html += Markup(
                    '<h4>%s</h4><table class="table table-sm"><tr><th/><th>%s</th>'
                    '<th class="text-end">%s</th><th class="text-end">%s</th></tr>%s</table>'
                ) % (
                    section["title"],
                    _("Note"),
                    account.reporting_year,
                    account.reporting_year - 1,
                    rows,
                )
            account.statement_html = html

    def _api_submit(self, approval_date=None, accept_warnings=None):
        """Submit, first recording what the caller answers for the filing: the date of
        approval and the acceptance of BRG's warnings (the form's fields of the same
        meaning). Refused before anything is written unless the filing may be submitted."""
        self.ensure_one()
        self._check_action("submit")
        answers = {}
        if approval_date:
            answers["approval_date"] = approval_date
        if accept_warnings is not None:
            answers["brg_warnings_accepted"] = accept_warnings
        if answers:
            self.write(answers)
        return self.action_submit()

    # ------------------------------------------------------------------------------------------
    # Serialisation
    # ------------------------------------------------------------------------------------------

    def _api_serialize(self):
        """The seed's "Yearly Account Attributes" of one filing."""
        self.ensure_one()
        return {
            "id": self.id,
            "client_account_id": self.company_id.id,
            "reporting_year": self.reporting_year,
            "from_date": self.date_from.isoformat(),
            "to_date": self.date_to.isoformat(),
            "status": self.state.upper(),
            "altinn_instance_id": self.altinn_instance_id or None,
            "main_form_id": self.main_form_id,
            "sub_form_id": self.sub_form_id,
            "submitted_at": _utc(self.submitted_at) or None,
            "error_message": self.error_message or None,
            "created_at": _utc(self.create_date),
            "created_by_id": self.create_uid.id,
            "updated_at": _utc(self.write_date),
        }

    # ------------------------------------------------------------------------------------------
    # Notes
    # ------------------------------------------------------------------------------------------

    def _api_get_notes(self):
        """The notes in the seed's shape: the stored ones (edited or not); when none are stored
        yet, the generated defaults."""
        self.ensure_one()
        if self.note_ids:
            return [note._seed_dict() for note in self.note_ids]
        generated = notes_tools.generate_notes(self.snapshot, self._note_inputs())
        return [
            {k: v for k, v in note.items() if k != "line_codes" and v is not None}
            for note in generated
        ]

    def _api_set_notes(self, notes):
        """Replace the notes by ``notes`` (seed shape). Everything is checked first: on any
        error nothing is written. Returns the saved notes."""
        self.ensure_one()
        self._check_action("edit_notes")
        if not isinstance(notes, list):
            raise UserError(_("The notes must be a list of note objects."))
        problems, keys = [], set()
        for index, note in enumerate(notes, start=1):
            found = notes_tools.note_problems(note)
            if isinstance(note, dict):
                key = note.get("key") or f"note_{note.get('note_number') or index}"
                if key in keys:
                    found.append(("duplicate_key", {"key": repr(key)}))
                keys.add(key)
            if found:
                name = note.get("title") or note.get("key") if isinstance(note, dict) else None
                number = (isinstance(note, dict) and note.get("note_number")) or index
                problems.append(
                    self.env["annual.account.note"]._problems_message(number, name, found)
                )
        if problems:
            raise UserError("\n".join(problems))
        existing = {note.key: note for note in self.note_ids}
        for index, note in enumerate(notes, start=1):
            key = note.get("key") or f"note_{note.get('note_number') or index}"
            vals = {
                "note_number": note.get("note_number") or index,
                "title": note["title"],
                "body_type": note["body_type"],
                "body": note.get("body") if note.get("body") is not None else "",
                "footer_text": note.get("footer_text") or False,
            }
            if key in existing:
                existing.pop(key).write(vals)
            else:
                self.env["annual.account.note"].create(
                    dict(vals, annual_account_id=self.id, key=key)
                )
        for note in existing.values():
            note.unlink()
        return self._api_get_notes()

    def _generate_notes(self):
        """Bring the notes in line with the snapshot: generated versions are refreshed, notes
        the user did not edit follow them, edited and user-added notes stay as they are."""
        Note = self.env["annual.account.note"]
        for account in self:
            generated = notes_tools.generate_notes(account.snapshot, account._note_inputs())
            existing = {note.key: note for note in account.note_ids}
            for proposal in generated:
                content = {
                    "title": proposal["title"],
                    "body_type": proposal["body_type"],
                    "body": proposal["body"],
                    "footer_text": proposal["footer_text"] or None,
                }
                vals = {
                    "note_number": proposal["note_number"],
                    "line_codes": ",".join(proposal["line_codes"]),
                    "generated": content,
                }
                note = existing.pop(proposal["key"], Note)
                if not note:
                    Note.create(
                        dict(vals, **content, annual_account_id=account.id, key=proposal["key"])
                    )
                elif note.is_edited:
                    note.write(vals)
                else:
                    note.write(dict(vals, **content))
            last = len(generated)
            for note in existing.values():  # no longer proposed, or added by the user
                if note.generated and not note.is_edited:
                    note.unlink()
                    continue
                last += 1
                note.write({"note_number": last, "generated": False})
        return True

    # ------------------------------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------------------------------

    def _render_pdf(self):
        """The PDF bytes of the Årsregnskap, rendered from the stored filing (rule 7)."""
        self.ensure_one()
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.ids)
        )
        return pdf

    def _pdf_filename(self):
        return f"Årsregnskap_{self.reporting_year}.pdf"

    def action_print(self):
        return self.env.ref(REPORT).report_action(self)

    # ------------------------------------------------------------------------------------------
    # What the PDF and the form show
    # ------------------------------------------------------------------------------------------

    def _report_sections(self):
        """The two statements as printed: the lines BRG would show (figures as filed, zeros
        left out), their headers, last year's figure and the numbers of the notes on them."""
        self.ensure_one()
        snapshot = self.snapshot or {"lines": []}
        figures = statement_figures(snapshot)
        for code in REQUIRED_CODES:
            figures.setdefault(code, 0)
        refs = {}
        for note in self.note_ids:
            for code in note._line_codes():
                refs.setdefault(code, []).append(note.note_number)
        sections = []
        for section, title in (("RES", "Resultatregnskap"), ("BAL", "Balanse")):
            lines, pending = [], []
            for line in snapshot["lines"]:
                if line["section"] != section:
                    continue
                if line["kind"] == "header":
                    pending = [h for h in pending if h["level"] < line["level"]]
                    pending.append(self._report_line(line, None, None, []))
                    continue
                if line["code"] not in figures and line.get("prior_code") not in figures:
                    continue
                lines += pending
                pending = []
                lines.append(
                    self._report_line(
                        line,
                        figures.get(line["code"], 0),
                        figures.get(line.get("prior_code"), 0),
                        sorted(n for n in refs.get(line["code"], []) if n),
                    )
                )
            sections.append({"title": title, "lines": lines})
        return sections

    def _report_line(self, line, amount, prior, notes):
        return {
            "label": line["label"] or "",
            "level": line["level"] or 0,
            "bold": line.get("bold") or line["kind"] == "sum",
            "header": line["kind"] == "header",
            "amount": "" if amount is None else format_kroner(amount),
            "prior_amount": "" if prior is None else format_kroner(prior),
            "notes": ", ".join(map(str, notes)),
        }

    def _report_notes(self):
        """The notes for the PDF: amounts in table cells as whole kroner."""
        notes = []
        for note in self.note_ids:
            body = note.body
            if note.body_type == "table":
                body = {
                    "columns": body.get("columns") or [],
                    "rows": [[format_cell(cell) for cell in row] for row in body.get("rows") or []],
                }
            notes.append(dict(note._seed_dict(), body=body))
        return notes


def format_kroner(amount):
    """Whole kroner as Norwegian annual accounts print them: ``-1 234 567``."""
    kroner_amount = kroner(amount)
    text = f"{abs(kroner_amount):,}".replace(",", " ")
    return f"-{text}" if kroner_amount < 0 else text


def format_cell(cell):
    """A table cell: decimal amounts (``"500000.00"``) become whole kroner, text stays."""
    if isinstance(cell, str) and AMOUNT_RE.fullmatch(cell.strip()):
        return format_kroner(cell.strip())
    return cell
