import logging
from datetime import datetime, timedelta, timezone

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.altinn_client import AltinnError
from .altinn_apart import create_apart, write_apart
from .altinn_messages import altinn_error_message

_logger = logging.getLogger(__name__)

# The Altinn side of one attempt to file (the filing's own state is annual.account.state):
#
#   new ──create──▶ filling ──process/next──▶ awaiting_signature ──signed in Altinn──▶ signed
#    │                 │                             │
#    │                 └──────── cancel (hard delete) ┴──▶ deleted
#    └── a create without answer: the instance it made is found again (_find_own)
#
# A failure is no state: the attempt keeps its state with the error (code and params), and
# submitting again continues from there with the same instance.
STATES = [
    ("new", "Not sent"),
    ("filling", "Filling in"),
    ("awaiting_signature", "Awaiting signature"),
    ("signed", "Signed"),
    ("deleted", "Deleted in Altinn"),
]
OPEN_STATES = ("new", "filling", "awaiting_signature")
# How long after a create whose answer was lost the instance it made may have been created
# (Altinn's clock against ours, the client's read time-out, a slow app).
CREATE_WINDOW = timedelta(minutes=10)


class AnnualAltinnAttempt(models.Model):
    """One attempt to file an annual.account through Altinn 3, as Odoo's EDI documents are:
    its instance, its step in Altinn (drawn above), when it was sent and signed, Altinn's
    receipt, the last error as a code with its params, and every call made.

    Everything here is a record of an effect outside our transaction, so it is written
    through a cursor of its own and committed at once (``altinn_apart``): a rollback of the
    request that made it does not lose it, and a retry continues with the same instance.
    """

    _name = "annual.altinn.attempt"
    _description = "Altinn filing attempt"
    _order = "id desc"
    _rec_name = "instance_id"
    _check_company_auto = True

    annual_account_id = fields.Many2one(
        "annual.account",
        string="Filing",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="annual_account_id.company_id", store=True, index=True, string="Company"
    )
    reporting_year = fields.Integer(related="annual_account_id.reporting_year", store=True)
    state = fields.Selection(STATES, default="new", required=True, readonly=True)
    instance_id = fields.Char(string="Altinn Instance", readonly=True, index="btree_not_null")
    create_sent_at = fields.Datetime(
        string="Instance Requested",
        readonly=True,
        help="When the instance was asked for; an answer lost then is found again by it.",
    )
    submitted_at = fields.Datetime(string="Sent for Signing", readonly=True)
    signed_at = fields.Datetime(readonly=True)
    receipt_id = fields.Many2one("ir.attachment", string="Altinn Receipt", readonly=True)
    error_code = fields.Char(readonly=True)
    error_params = fields.Json(readonly=True)
    error_detail = fields.Text(
        readonly=True, help="The client's own words and BRG's messages, for the codes not worded."
    )
    error_message = fields.Text(compute="_compute_error_message")
    signing_url = fields.Char(string="Signing Link", compute="_compute_signing_url")
    call_ids = fields.One2many("annual.altinn.call", "attempt_id", string="Calls", readonly=True)

    @api.depends("error_code", "error_params", "error_detail")
    def _compute_error_message(self):
        for attempt in self:
            attempt.error_message = attempt.error_code and attempt._worded_error()

    @api.depends("instance_id", "state", "company_id")
    def _compute_signing_url(self):
        for attempt in self:
            url = False
            environment = attempt.company_id.sudo()._l10n_no_altinn_environment()
            if attempt.state == "awaiting_signature" and attempt.instance_id and environment:
                # the simulator has a page per instance; Altinn signs from the inbox
                url = environment.inbox_url
                if environment.name == "simulator":
                    url = f"{environment.inbox_url}/{attempt.instance_id}"
            attempt.signing_url = url

    def _worded_error(self):
        """The error in the user's language, from its code and params (altinn_messages);
        BRG's own messages follow."""
        self.ensure_one()
        params = self.error_params or {}
        fallback, _sep, issues = (self.error_detail or "").partition("\n")
        error = AltinnError(self.error_code, params.get("message") or fallback, {}, params)
        message = altinn_error_message(self.env, error)
        return f"{message}\n{issues}" if issues else message

    # ------------------------------------------------------------------------------------------
    # Records (committed at once, see the class)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _start(self, account):
        """A new attempt of ``account``, committed at once."""
        attempt = create_apart(self, {"annual_account_id": account.id})
        account.invalidate_recordset(account._ALTINN_ATTEMPT_FIELDS)
        account._update_cache({"altinn_attempt_ids": attempt | account.altinn_attempt_ids})
        return attempt

    def _keep(self, values):
        write_apart(self, values)
        self.annual_account_id.invalidate_recordset(self.annual_account_id._ALTINN_ATTEMPT_FIELDS)

    def _keep_error(self, error):
        issues = [i for i in error.issues if i.get("severity") == 1]
        detail = "\n".join(
            [error.message] + [f"{i.get('code')}: {i.get('description')}" for i in issues]
        )
        self._keep(
            {"error_code": error.code, "error_params": _json_params(error), "error_detail": detail}
        )
        _logger.info(
            "Filing %s: Altinn refused or failed (%s)", self.annual_account_id.id, error.code
        )

    def _call(self, client, operation, summary):
        """Record the call made inside the block (``annual.altinn.call._track``)."""
        return self.env["annual.altinn.call"]._track(
            client, self.company_id, operation, summary, attempt=self
        )

    def _client(self):
        company = self.company_id
        return company._l10n_no_altinn_client(), company._l10n_no_altinn_orgnr()

    # ------------------------------------------------------------------------------------------
    # Submit
    # ------------------------------------------------------------------------------------------

    def _submit(self, forms, attachments):
        """Send the forms and attachments and move the instance to signing. ``(sent,
        others)``: ``sent`` once it awaits signature (or is signed), False on a failure
        (recorded on the attempt); ``others``: unfinished instances of the company that no
        attempt made and that are left alone. ``InstanceGone`` when the attempt's instance
        was deleted in Altinn."""
        self.ensure_one()
        client, orgnr = self._client()
        others = []
        try:
            instance = self._instance(client, orgnr, forms, others)
            if instance.filling:
                self._fill(client, orgnr, instance, forms, attachments)
                with self._call(client, "process_next", "PUT process/next (confirm)"):
                    client.process_next(orgnr, instance.id)
            elif not (instance.awaiting_signature or instance.signed):
                raise AltinnError(
                    "conflict",
                    f"The filing in Altinn is in an unexpected step ({instance.task_type}).",
                )
        except AltinnError as error:
            self._keep_error(error)
            return False, others
        now = fields.Datetime.now()
        self._keep(
            {
                "state": "signed" if instance.signed else "awaiting_signature",
                "submitted_at": self.submitted_at or now,
                "signed_at": now if instance.signed else False,
                "error_code": False,
                "error_params": False,
                "error_detail": False,
            }
        )
        return True, others

    def _instance(self, client, orgnr, forms, others):
        """The instance to fill: the one this attempt has, else one it made whose answer was
        lost, else a new one (its id kept at once). Unfinished instances of the company that
        no attempt made are left alone and added to ``others``."""
        if self.instance_id:
            with self._call(client, "instance_read", "GET instance"):
                try:
                    instance = client.get_instance(orgnr, self.instance_id)
                except AltinnError as error:
                    if error.code != "not_found":
                        raise
                    instance = None
            if instance is not None and not instance.deleted:
                return instance
            # deleted in Altinn meanwhile: this attempt is over; the filing starts another
            self._keep({"state": "deleted"})
            raise InstanceGone()
        instance = self._find_own(client, orgnr, forms, others)
        if instance:
            self._keep({"instance_id": instance.id, "state": _state_of(instance)})
            _logger.info("Filing %s: continuing with %s", self.annual_account_id.id, instance.id)
            return instance
        self._keep({"create_sent_at": fields.Datetime.now()})
        with self._call(client, "instance_create", f"POST instances (owner {orgnr})") as call:
            instance = client.create_instance(orgnr)
            call["reference"] = instance.id
        self._keep({"instance_id": instance.id, "state": "filling"})
        _logger.info("Filing %s: created %s", self.annual_account_id.id, instance.id)
        return instance

    def _find_own(self, client, orgnr, forms, others):
        """An unfinished instance this filing made and lost the record of: one in signing
        with this filing's very Hovedskjema (hence its year), or one still being filled in
        that Altinn created within ``CREATE_WINDOW`` of this attempt's unanswered create.
        Any other unfinished instance no attempt recorded goes to ``others``."""
        recorded = set(self.sudo().search([("instance_id", "!=", False)]).mapped("instance_id"))
        party = next((i.split("/")[0] for i in self._company_instances()), None)
        with self._call(client, "instance_find", "GET instances (unfinished)"):
            active = client.active_instances(orgnr, party)
        for found in sorted(active, key=lambda i: i.get("lastChanged") or "", reverse=True):
            if found["id"] in recorded:
                continue
            with self._call(client, "instance_read", "GET instance") as call:
                call["reference"] = found["id"]
                instance = client.get_instance(orgnr, found["id"])
            if instance.filling and self._made_by_my_create(instance):
                return instance
            if self._sent_already(client, orgnr, instance, forms):
                return instance
            if not instance.signed and not instance.deleted:
                others.append(instance)
        return None

    def _company_instances(self):
        # a party id Altinn gave this company before saves the lookup by organisation number
        return (
            self.sudo()
            .search([("company_id", "=", self.company_id.id), ("instance_id", "!=", False)])
            .mapped("instance_id")
        )

    def _made_by_my_create(self, instance):
        sent = self.create_sent_at
        created = _parse_time(instance.raw.get("created"))
        if not (sent and created):
            return False
        return sent - CREATE_WINDOW <= created <= sent + CREATE_WINDOW

    def _sent_already(self, client, orgnr, instance, forms):
        """``instance`` awaits signature with exactly this filing's Hovedskjema: an earlier
        attempt sent it and then lost its record here."""
        element_id = instance.element_id("Hovedskjema")
        if not instance.awaiting_signature or not element_id:
            return False
        with self._call(client, "instance_read", "GET data Hovedskjema"):
            return client.get_data(orgnr, instance.id, element_id) == forms["Hovedskjema"]

    def _fill(self, client, orgnr, instance, forms, attachments):
        underskjemaer = instance.elements("Underskjema")
        uploads = [
            ("Hovedskjema", instance.element_id("Hovedskjema"), forms["Hovedskjema"]),
            ("Underskjema", underskjemaer[0]["id"], forms["Underskjema"]),
        ]
        group = forms["Konsernregnskap"]
        if group is not None and len(underskjemaer) > 1:  # made by an earlier attempt
            uploads.append(("Underskjema (konsern)", underskjemaer[1]["id"], group))
        for what, element_id, content in uploads:
            with self._call(client, "data_upload", f"PUT data {what}"):
                client.put_data(orgnr, instance.id, element_id, content)
        if group is not None and len(underskjemaer) == 1:
            with self._call(client, "data_upload", "POST data/Underskjema (konsern)"):
                client.add_form(orgnr, instance.id, "Underskjema", group)
        present = {e.get("filename"): e for e in instance.elements("Vedlegg")}
        for filename, content, mimetype in attachments:
            element = present.get(filename)
            if element and not self._rejected(element, content):
                continue  # uploaded by an earlier try
            if element:  # refused by Altinn (the virus scan, its checks) or changed since
                with self._call(client, "data_delete", f"DELETE data Vedlegg {filename}"):
                    client.delete_data(orgnr, instance.id, element["id"])
            summary = f"POST data Vedlegg {filename} ({len(content)} bytes)"
            with self._call(client, "attachment_upload", summary):
                element = client.add_attachment(orgnr, instance.id, filename, content, mimetype)
            with self._call(client, "file_scan", f"GET instance (scan of {filename})"):
                client.wait_for_file_scan(orgnr, instance.id, element["id"])

    def _rejected(self, element, content):
        """An attachment already in Altinn is replaced when Altinn's virus scan found it
        infected, when this attempt's last error named it, or when the file changed since."""
        named = (self.error_params or {}).get("filename") == element.get("filename")
        return (
            element.get("fileScanResult") == "Infected"
            or named
            or element.get("size") not in (None, len(content))
        )

    # ------------------------------------------------------------------------------------------
    # Status: signature, receipt
    # ------------------------------------------------------------------------------------------

    def _refresh(self):
        """Read the instance: signed (with Altinn's receipt) or still awaiting signature.
        UserError when it is gone from Altinn; AltinnError on a failure."""
        self.ensure_one()
        client, orgnr = self._client()
        with self._call(client, "instance_read", "GET instance"):
            try:
                instance = client.get_instance(orgnr, self.instance_id)
            except AltinnError as error:
                if error.code != "not_found":
                    raise
                instance = None
        if instance is None or (instance.deleted and not instance.signed):
            raise UserError(
                _("The filing is gone from Altinn; it was deleted there. Cancel it here.")
            )
        values = {"error_code": False, "error_params": False, "error_detail": False}
        if instance.signed and self.state != "signed":
            values.update(state="signed", signed_at=fields.Datetime.now())
            values["receipt_id"] = self._receipt(client, orgnr, instance)
        elif instance.awaiting_signature:
            values["state"] = "awaiting_signature"
        self._keep(values)
        return client, orgnr

    def _receipt(self, client, orgnr, instance):
        with self._call(client, "receipt_download", "GET data ref-data-as-pdf"):
            content = client.download_receipt(orgnr, instance.id)
        if not content:
            return False
        account = self.annual_account_id
        return create_apart(
            self.env["ir.attachment"],
            {
                "name": _("Altinn receipt %(year)s.pdf", year=account.reporting_year),
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": account._name,
                "res_id": account.id,
                "company_id": account.company_id.id,
            },
        ).id

    # ------------------------------------------------------------------------------------------
    # Cancel
    # ------------------------------------------------------------------------------------------

    def _delete(self):
        """Hard-delete the unsigned instance (a soft-deleted one can be restored in the inbox
        and signed: docs/altinn-simulator.md, "Cancel"). AltinnError when Altinn refuses."""
        self.ensure_one()
        client, orgnr = self._client()
        with self._call(client, "instance_delete", "DELETE instance (hard)"):
            try:
                client.delete_unsigned_instance(orgnr, self.instance_id)
            except AltinnError as error:
                if error.code != "not_found":  # deleted in Altinn already
                    raise
        self._keep({"state": "deleted", "error_code": False, "error_params": False})


class InstanceGone(Exception):
    """The attempt's instance was deleted in Altinn: the filing starts a new attempt."""


def _state_of(instance):
    if instance.signed:
        return "signed"
    return "awaiting_signature" if instance.awaiting_signature else "filling"


def _parse_time(text):
    """Altinn's ISO time as naive UTC (as Odoo keeps datetimes), or None."""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _json_params(error):
    """The error's params as JSON can keep them, with the client's English words."""
    params = {k: v for k, v in error.params.items() if isinstance(v, str | int | float | bool)}
    params["message"] = error.message
    return params
