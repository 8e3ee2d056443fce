import contextvars

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

RECORDED_FIELDS = ("author_id", "resolved", "resolved_by_id", "resolved_at")
# Only the resolve buttons write the resolution (kept out of the context, which RPC writes).
_RESOLVING = contextvars.ContextVar("l10n_no_aa_resolving", default=False)


class AnnualAccountReviewComment(models.Model):
    """A reviewer's remark on a filing, on one of its statement lines or notes (issue 18
    point 11). Open remarks keep the filing from being reviewed until they are resolved."""

    _name = "annual.account.review.comment"
    _description = "Review comment on annual accounts"
    _order = "account_id, resolved, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "annual.account",
        string="Filing",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    line_id = fields.Many2one(
        "annual.statement.line",
        string="Statement Line",
        ondelete="set null",
        help="The line of the income statement or balance sheet the comment is about.",
    )
    note_id = fields.Many2one(
        "annual.account.note",
        string="Note",
        ondelete="set null",
        check_company=True,
        domain="[('annual_account_id', '=', account_id)]",
    )
    author_id = fields.Many2one(
        "res.users", string="Author", required=True, readonly=True, default=lambda s: s.env.user
    )
    body = fields.Text(string="Comment", required=True)
    resolved = fields.Boolean(readonly=True, copy=False)
    resolved_by_id = fields.Many2one("res.users", string="Resolved By", readonly=True)
    resolved_at = fields.Datetime(string="Resolved On", readonly=True)

    # ------------------------------------------------------------------------------------------
    # Constraints and guards
    # ------------------------------------------------------------------------------------------

    @api.constrains("note_id", "account_id")
    def _check_note_of_filing(self):
        for comment in self:
            if comment.note_id and comment.note_id.annual_account_id != comment.account_id:
                raise ValidationError(_("A comment is about a note of its own filing."))

    @api.constrains("body")
    def _check_body(self):
        for comment in self:
            if not (comment.body or "").strip():
                raise ValidationError(_("Write the comment."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if set(RECORDED_FIELDS) & set(vals):
                raise UserError(_("The author and the resolution of a comment are recorded."))
        comments = super().create(vals_list)
        comments.account_id._check_review_open()
        for comment in comments:
            comment.account_id._message_log(
                body=_(
                    "Review comment%(where)s: %(body)s",
                    where=comment._where(),
                    body=comment.body,
                )
            )
        return comments

    def write(self, vals):
        self.account_id._check_review_open()
        if "account_id" in vals or (set(RECORDED_FIELDS) & set(vals) and not _RESOLVING.get()):
            raise UserError(
                _("A comment stays on its filing; it is resolved with its Resolve button.")
            )
        if {"body", "line_id", "note_id"} & set(vals) and any(
            comment.author_id != self.env.user for comment in self
        ):
            raise UserError(_("Only its author changes a comment."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_own_open(self):
        for comment in self:
            if comment.author_id != self.env.user or comment.resolved:
                raise UserError(_("Only its author deletes an open comment."))

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def action_resolve(self):
        self._write_resolution(
            {"resolved": True, "resolved_by_id": self.env.uid, "resolved_at": fields.Datetime.now()}
        )
        for comment in self:
            comment.account_id._message_log(
                body=_(
                    "Review comment resolved%(where)s: %(body)s",
                    where=comment._where(),
                    body=comment.body,
                )
            )
        return True

    def action_reopen(self):
        self._write_resolution({"resolved": False, "resolved_by_id": False, "resolved_at": False})
        return True

    def _write_resolution(self, vals):
        token = _RESOLVING.set(True)
        try:
            self.write(vals)
        finally:
            _RESOLVING.reset(token)

    def _where(self):
        """`` on <line or note>`` for the chatter, or nothing for the filing as a whole."""
        self.ensure_one()
        if self.note_id:
            return _(
                " on note %(number)s %(title)s",
                number=self.note_id.note_number,
                title=self.note_id.title,
            )
        if self.line_id:
            return _(" on line %(line)s", line=self.line_id.display_name)
        return ""
