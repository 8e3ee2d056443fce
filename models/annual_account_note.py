from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import note_shape
from ..tools import notes as notes_tools

CONTENT_FIELDS = ("title", "body_type", "body", "footer_text")
CELL_SEPARATOR = " | "
BODY_TEMPLATE = "l10n_no_annual_accounts.report_annual_account_note_body"


class AnnualAccountNote(models.Model):
    """A note (note) of a filing, in the API's shape: a text or a table, with a footer.

    ``generated`` keeps what the product proposed beside what the user wrote; a note is
    "edited" while they differ, and "Reset to generated" copies the proposal back. Notes only
    change while their filing is DRAFT, whatever path the change takes.
    """

    _name = "annual.account.note"
    _description = "Annual accounts note"
    _check_company_auto = True
    _order = "annual_account_id, note_number, id"

    annual_account_id = fields.Many2one(
        "annual.account", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(
        related="annual_account_id.company_id", store=True, index=True, precompute=True
    )
    note_number = fields.Integer(string="No.")
    key = fields.Char(required=True)
    title = fields.Char(required=True)
    body_type = fields.Selection(
        [("text", "Text"), ("table", "Table")], required=True, default="text"
    )
    body = fields.Json()
    footer_text = fields.Text(string="Footer")
    line_codes = fields.Char(help="Field codes of the statement lines the note documents.")
    generated = fields.Json(
        readonly=True, copy=False, help="The generated version; empty for a note the user added."
    )
    is_edited = fields.Boolean(string="Edited", compute="_compute_is_edited")
    body_text = fields.Text(
        string="Text", compute="_compute_body_text", inverse="_inverse_body_text"
    )
    body_table = fields.Text(
        string="Table",
        compute="_compute_body_table",
        inverse="_inverse_body_table",
        help="One row a line, cells separated by ' | '; the first line holds the column titles.",
    )
    body_html = fields.Html(string="Note", compute="_compute_body_html", sanitize=False)
    generated_html = fields.Html(
        string="Generated Version", compute="_compute_body_html", sanitize=False
    )

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends(*CONTENT_FIELDS, "generated")
    def _compute_is_edited(self):
        for note in self:
            note.is_edited = bool(note.generated) and note._content() != note.generated

    @api.depends("body_type", "body")
    def _compute_body_text(self):
        for note in self:
            note.body_text = note.body if note.body_type == "text" else False

    def _inverse_body_text(self):
        for note in self.filtered(lambda n: n.body_type == "text"):
            note.body = note.body_text or ""

    @api.depends("body_type", "body")
    def _compute_body_table(self):
        for note in self:
            body = note.body if note.body_type == "table" and isinstance(note.body, dict) else {}
            lines = [body.get("columns") or []] + (body.get("rows") or [])
            note.body_table = "\n".join(CELL_SEPARATOR.join(map(str, r)) for r in lines) or False

    def _inverse_body_table(self):
        for note in self.filtered(lambda n: n.body_type == "table"):
            lines = [line for line in (note.body_table or "").splitlines() if line.strip()]
            cells = [[cell.strip() for cell in line.split("|")] for line in lines]
            note.body = {"columns": cells[0] if cells else [], "rows": cells[1:]}

    @api.depends(*CONTENT_FIELDS, "generated")
    def _compute_body_html(self):
        QWeb = self.env["ir.qweb"]
        for note in self:
            note.body_html = QWeb._render(BODY_TEMPLATE, {"note": note._seed_dict()})
            note.generated_html = note.generated and QWeb._render(
                BODY_TEMPLATE, {"note": note.generated}
            )

    # ------------------------------------------------------------------------------------------
    # Constraints: notes change only on DRAFT filings, and only into a valid shape
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        account_ids = {vals.get("annual_account_id") for vals in vals_list}
        self.env["annual.account"].browse(account_ids - {None, False})._check_action("edit_notes")
        return super().create(vals_list)

    def write(self, vals):
        self.annual_account_id._check_action("edit_notes")
        if "annual_account_id" in vals and any(
            note.annual_account_id.id != vals["annual_account_id"] for note in self
        ):
            raise UserError(_("A note stays with the annual accounts it was written for."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_on_drafts(self):
        self.annual_account_id.exists()._check_action("edit_notes")

    @api.constrains(*CONTENT_FIELDS)
    def _check_shape(self):
        for note in self:
            problems = note_shape.note_problems(note._seed_dict())
            if problems:
                raise ValidationError(note._problem_message(problems))

    def _problem_message(self, problems):
        return self._problems_message(self.note_number or "", self.title or self.key, problems)

    @api.model
    def _problems_message(self, number, title, problems):
        """One line naming the note and everything wrong with it (``tools.note_shape``
        codes)."""
        return _(
            "Note %(number)s (%(title)s): %(problems)s",
            number=number,
            title=title or "",
            problems="; ".join(self._problem_text(code, params) for code, params in problems),
        )

    @api.model
    def _problem_text(self, code, params):
        if code == "unknown_body_type":
            return _("unknown body_type %(body_type)s (text or table)", **params)
        if code == "row_width":
            return _("row %(row)s does not have %(width)s cells like the columns", **params)
        if code == "duplicate_key":
            return _("key %(key)s is used twice", **params)
        if code == "note_number":
            return _("note_number must be an integer from 1 to %(max)s", **params)
        if code == "forbidden_characters":
            return _(
                "%(field)s: must not contain NUL, a control character or an unpaired surrogate",
                **params,
            )
        if code == "cell_not_string":
            return _("%(field)s: a table cell must be a string", **params)
        if code == "amount_too_large":
            return _("%(field)s: the amount is larger than the limit %(limit)s", **params)
        return {
            "not_an_object": _("a note must be an object"),
            "title_missing": _("the title is missing"),
            "text_body_not_string": _("a text body must be a string"),
            "table_body_shape": _('a table body holds "columns" and "rows", nothing else'),
            "footer_not_string": _("footer_text must be a string"),
        }[code]

    # ------------------------------------------------------------------------------------------
    # The notes of a filing: the proposals followed, the API's list in and out
    # ------------------------------------------------------------------------------------------

    @api.model
    def _sync_proposals(self, accounts):
        """Bring the notes of the draft ``accounts`` in line with their figures and note
        inputs: the generated versions are refreshed, notes the user did not edit follow
        them, edited and user-added notes stay as they are."""
        for account in accounts.filtered(lambda a: a.state == "draft"):
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
                note = existing.pop(proposal["key"], self.browse())
                if not note:
                    self.create(
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

    @api.model
    def _notes_of(self, account):
        """The notes of ``account`` in the seed's shape: the stored ones (edited or not);
        when none are stored, the generated proposals."""
        if account.note_ids:
            return [note._seed_dict() for note in account.note_ids]
        generated = notes_tools.generate_notes(account.snapshot, account._note_inputs())
        return [
            {k: v for k, v in note.items() if k != "line_codes" and v is not None}
            for note in generated
        ]

    @api.model
    def _replace_notes(self, account, notes):
        """Replace the notes of ``account`` by ``notes`` (seed shape), matched by key; those
        left out are deleted. Everything is checked first: on any error nothing is written
        and one UserError names each bad note."""
        account._check_action("edit_notes")
        if not isinstance(notes, list):
            raise UserError(_("The notes must be a list of note objects."))
        problems, keys = [], set()
        for index, note in enumerate(notes, start=1):
            found = note_shape.note_problems(note)
            if isinstance(note, dict):
                key = _note_key(note, index)
                if key in keys:
                    found.append(("duplicate_key", {"key": repr(key)}))
                keys.add(key)
            if found:
                name = note.get("title") or note.get("key") if isinstance(note, dict) else None
                number = (isinstance(note, dict) and note.get("note_number")) or index
                problems.append(self._problems_message(number, name, found))
        if problems:
            raise UserError("\n".join(problems))
        existing = {note.key: note for note in account.note_ids}
        for index, note in enumerate(notes, start=1):
            key = _note_key(note, index)
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
                self.create(dict(vals, annual_account_id=account.id, key=key))
        for note in existing.values():
            note.unlink()

    # ------------------------------------------------------------------------------------------
    # Actions and helpers
    # ------------------------------------------------------------------------------------------

    def action_reset_to_generated(self):
        for note in self.filtered("generated"):
            note.write(dict(note.generated))
        return True

    def _content(self):
        return {
            "title": self.title,
            "body_type": self.body_type,
            "body": self.body if self.body is not None else "",
            "footer_text": self.footer_text or None,
        }

    def _seed_dict(self):
        """The note in the API's shape (seed "Update Notes"); ``footer_text`` only when set."""
        note = {
            "note_number": self.note_number or None,
            "key": self.key,
            "title": self.title,
            "body_type": self.body_type,
            "body": self.body if self.body is not None else "",
        }
        if self.footer_text:
            note["footer_text"] = self.footer_text
        return note

    def _filing_dict(self):
        """The note for the BRG builders: the seed shape plus ``line_codes``."""
        return dict(self._seed_dict(), line_codes=self._line_codes())

    def _line_codes(self):
        return [code for code in (self.line_codes or "").split(",") if code]


def _note_key(note, index):
    return note.get("key") or f"note_{note.get('note_number') or index}"
