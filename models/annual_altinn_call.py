import contextlib
import logging
import time

from odoo import api, fields, models

from ..tools.altinn_client import AltinnError
from .altinn_apart import create_apart

_logger = logging.getLogger(__name__)

OPERATIONS = [
    ("test_connection", "Test connection"),
    ("token", "Log in (Maskinporten)"),
    ("exchange", "Exchange for an Altinn token"),
    ("system_register", "Register the system"),
    ("system_update", "Update the system"),
    ("systemuser_request", "Request a system user"),
    ("systemuser_status", "Read a system-user request"),
    ("instance_find", "Look for an unfinished filing"),
    ("instance_create", "Create the filing"),
    ("data_upload", "Upload a form"),
    ("attachment_upload", "Upload an attachment"),
    ("file_scan", "Wait for the virus scan"),
    ("data_delete", "Remove a rejected file"),
    ("validate", "Validate"),
    ("process_next", "Send for signing"),
    ("instance_read", "Read the filing"),
    ("instance_delete", "Delete the unsigned filing"),
    ("receipt_download", "Download the receipt"),
    ("register_lookup", "Look up the register"),
]


class AnnualAltinnCall(models.Model):
    """One call to Altinn (one client operation, retries included): what, when, outcome.

    The one way a call is recorded: ``_track``. The row is committed at once through a cursor
    of its own (``altinn_apart``), so it stays whatever happens to the caller's transaction
    afterwards. Never holds a secret: the summary is written by the caller from plain facts.
    """

    _name = "annual.altinn.call"
    _description = "Altinn call"
    _order = "id desc"
    _rec_name = "operation"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    annual_account_id = fields.Many2one(
        "annual.account",
        string="Filing",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    attempt_id = fields.Many2one(
        "annual.altinn.attempt",
        string="Attempt",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    request_summary = fields.Char(readonly=True)
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    outcome = fields.Selection(
        [("success", "Success"), ("failure", "Failure")], required=True, readonly=True
    )
    reference = fields.Char(readonly=True, help="Instance, request or system id in Altinn.")
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    called_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @api.model
    @contextlib.contextmanager
    def _track(self, client, company, operation, summary, **links):
        """Record the Altinn call made inside the block; ``AltinnError`` is recorded and
        raised again. ``links``: ``reference``, ``attempt`` (an ``annual.altinn.attempt``).
        The block may set ``call["reference"]`` once it knows it."""
        attempt = links.pop("attempt", None)
        call = {"reference": links.pop("reference", None)}
        client.http.last_status = None
        start = time.monotonic()
        values = {"company_id": company.id, "operation": operation, "request_summary": summary}
        if attempt:
            values.update(attempt_id=attempt.id, annual_account_id=attempt.annual_account_id.id)
            call["reference"] = call["reference"] or attempt.instance_id
        try:
            yield call
        except AltinnError as error:
            status = (error.details or {}).get("status") or client.http.last_status or 0
            self._record(values, start, call, "failure", status, error.code, error.message)
            # details may hold a short response body, never a secret (see tools/altinn_client)
            _logger.info("Altinn %s for company %s failed: %s", operation, company.id, error.code)
            raise
        self._record(values, start, call, "success", client.http.last_status or 0)

    def _record(self, values, start, call, outcome, status, code=False, message=False):
        create_apart(
            self,
            {
                **values,
                "reference": call.get("reference") or False,
                "outcome": outcome,
                "http_status": status,
                "error_code": code,
                "error_message": message,
                "duration_ms": int((time.monotonic() - start) * 1000),
                "user_id": self.env.uid,
            },
        )
