from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import note_shape

CONTENT_FIELDS = ("title", "body_type", "body", "footer_text")
CELL_SEPARATOR = " | "


def render_body(body_type, body):
    """HTML of a note body, for the form (the PDF has its own template)."""
    if body_type != "table":
        return Markup("<p>%s</p>") % (body or "")
    body = body or {}
    head = Markup("").join(Markup("<th>%s</th>") % c for c in body.get("columns") or [])
    rows = Markup("").join(
        Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % c for c in row)
        for row in body.get("rows") or []
    )
    return Markup('<table class="table table-sm"><tr>%s</tr>%s</table>') % (head, rows)


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
        for note in self:
            note.body_html = render_body(note.body_type, note.body)
            generated = note.generated or {}
            note.generated_html = generated and render_body(
                generated.get("body_type"), generated.get("body")
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
        if "annual_account_id" in vals:
            self.env["annual.account"].browse(vals["annual_account_id"])._check_action("edit_notes")
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
