import contextlib
import logging
import time

from odoo import api, fields, models

from ..tools.altinn_client import AltinnError, AltinnInstance

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
    ("validate", "Validate"),
    ("process_next", "Send for signing"),
    ("instance_read", "Read the filing"),
    ("instance_delete", "Delete the unsigned filing"),
    ("receipt_download", "Download the receipt"),
    ("register_lookup", "Look up the register"),
]


class AnnualAltinnCall(models.Model):
    """One call to Altinn (one client operation, retries included): what, when, outcome.

    Written in the caller's transaction, so a row exists exactly when the caller's state
    change is kept; callers catch ``AltinnError`` and return normally, so failures stay too.
    Never holds a secret: the summary is written by the caller from plain facts.
    """

    _name = "annual.altinn.call"
    _description = "Altinn call"
    _order = "id desc"
    _rec_name = "operation"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    filing_id = fields.Many2one(
        "annual.account", string="Filing", readonly=True, index=True, ondelete="set null"
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
        raised again. The block may set ``call["reference"]`` once it knows it."""
        call = {"reference": links.pop("reference", None)}
        client.last_status = None
        start = time.monotonic()
        values = {
            "company_id": company.id,
            "operation": operation,
            "request_summary": summary,
            **links,
        }
        try:
            yield call
        except AltinnError as error:
            status = (error.details or {}).get("status") or client.last_status or 0
            self._record(values, start, call, "failure", status, error.code, error.message)
            # details may hold a short response body, never a secret (see tools/altinn_client)
            _logger.info("Altinn %s for company %s failed: %s", operation, company.id, error.code)
            raise
        self._record(values, start, call, "success", client.last_status or 0)

    def _record(self, values, start, call, outcome, status, code=False, message=False):
        self.sudo().create(
            {
                **values,
                "reference": call.get("reference") or False,
                "outcome": outcome,
                "http_status": status,
                "error_code": code,
                "error_message": message,
                "duration_ms": int((time.monotonic() - start) * 1000),
            }
        )


class TrackedClient:
    """``client`` whose next call is recorded in the history (of ``filing`` when given); an
    instance it answers becomes the row's reference."""

    def __init__(self, client, company, operation, summary, filing=None):
        self._client, self._company, self._filing = client, company, filing
        self._operation, self._summary = operation, summary

    def __getattr__(self, name):
        method = getattr(self._client, name)

        def call(*args, **kwargs):
            filing = self._filing
            links = (
                {"filing_id": filing.id, "reference": filing.altinn_instance_id} if filing else {}
            )
            calls = self._company.env["annual.altinn.call"]
            with calls._track(
                self._client, self._company, self._operation, self._summary, **links
            ) as record:
                result = method(*args, **kwargs)
                if isinstance(result, AltinnInstance):
                    record["reference"] = result.id
            return result

        return call
