import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import brg_validation
from ..tools.altinn_client import AltinnError
from .annual_altinn_call import TrackedClient

_logger = logging.getLogger(__name__)

FILLING_TASK = "Utfylling"
SIGNING_TASK = "Signering"
# Failures after which Altinn may have done what was asked without our hearing the answer.
UNCERTAIN = ("timeout", "connection", "server_error", "bad_response")


class AnnualAccount(models.Model):
    """The filing in Altinn 3: submit (instance, forms, attachments, lock for signing), the
    signing hand-off, status tracking, BRG's decision, cancel; every call in the history.

    Each failure from Altinn is caught, recorded (history row, ``error_message``, chatter)
    and answered, never raised, so what was recorded stays. A retry continues with the
    instance Altinn already has instead of creating a second one.
    """

    _inherit = "annual.account"

    altinn_call_ids = fields.One2many(
        "annual.altinn.call", "filing_id", string="Altinn Calls", readonly=True
    )
    altinn_signing_url = fields.Char(
        string="Signing Link", compute="_compute_altinn_signing_url", compute_sudo=True
    )
    altinn_receipt_id = fields.Many2one(
        "ir.attachment", string="Altinn Receipt", readonly=True, copy=False
    )
    altinn_setup_missing = fields.Text(
        string="Missing Before Filing", compute="_compute_altinn_setup_missing", compute_sudo=True
    )

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends("altinn_instance_id", "altinn_state", "company_id")
    def _compute_altinn_signing_url(self):
        for account in self:
            url = False
            if account.altinn_state == "awaiting_signature" and account.altinn_instance_id:
                environment = account.company_id._l10n_no_altinn_environment()
                if environment and environment.name == "simulator":
                    # the simulator has a page per instance; Altinn signs from the inbox
                    url = f"{environment.inbox_url}/{account.altinn_instance_id}"
                elif environment:
                    url = environment.inbox_url
            account.altinn_signing_url = url

    @api.depends("state", "company_id")
    def _compute_altinn_setup_missing(self):
        for account in self:
            company = account.company_id
            missing = []
            if account.state == "draft" and company:
                if not company._l10n_no_altinn_orgnr():
                    missing.append(
                        _("%(company)s has no organisation number.", company=company.name)
                    )
                if company.l10n_no_altinn_settings_origin == "none":
                    missing.append(
                        _(
                            "Altinn is not set up for %(company)s: an administrator sets it up "
                            "in Settings > Accounting, on this company or on its organisation.",
                            company=company.name,
                        )
                    )
                elif company.l10n_no_altinn_systemuser_state != "approved":
                    missing.append(
                        _(
                            "%(company)s has not approved its system user in Altinn yet "
                            "(the company form, tab Altinn).",
                            company=company.name,
                        )
                    )
            account.altinn_setup_missing = "\n".join(missing) or False

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def action_altinn_refresh(self):
        self._check_action("refresh_status")
        self._altinn_refresh(chatter=True)
        return True

    def action_open_decision_wizard(self):
        self.ensure_one()
        self._check_action("record_decision")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record BRG's decision"),
            "res_model": "annual.account.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    # ------------------------------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_altinn_refresh(self):
        accounts = self.search([("state", "=", "submitted"), ("altinn_instance_id", "!=", False)])
        accounts._altinn_refresh(notify_progress=True)

    # ------------------------------------------------------------------------------------------
    # Submit (hook of action_submit: checks passed, row locked)
    # ------------------------------------------------------------------------------------------

    def _altinn_submit(self):
        self.ensure_one()
        company = self.company_id
        try:
            client = company._l10n_no_altinn_client()
        except UserError:
            raise UserError(
                _(
                    "Altinn submission is not configured for %(company)s: set up its Altinn "
                    "connection or that of its organisation.",
                    company=company.name,
                )
            ) from None
        orgnr = company._l10n_no_altinn_orgnr()
        # everything that can fail locally comes before the first call to Altinn
        hovedskjema, underskjema = self._brg_payload()
        attachments = self._altinn_attachments()
        try:
            instance = self._altinn_instance(client, orgnr)
            if instance.current_task == FILLING_TASK:
                self._altinn_fill(client, orgnr, instance, hovedskjema, underskjema, attachments)
                self._altinn_call(client, "process_next", "PUT process/next").process_next(
                    orgnr, instance.id
                )
            elif not (instance.current_task == SIGNING_TASK or instance.ended):
                raise AltinnError(
                    "conflict",
                    f"The filing in Altinn is in an unexpected step ({instance.current_task}).",
                )
        except AltinnError as error:
            self._altinn_failed(error)
            return False
        self.write(
            {
                "state": "submitted",
                "altinn_state": "signed" if instance.ended else "awaiting_signature",
                "submitted_at": fields.Datetime.now(),
                "error_message": False,
            }
        )
        self.message_post(
            body=Markup("%s <a href='%s' target='_blank'>%s</a>")
            % (
                _(
                    "Sent to Altinn (instance %(instance)s). The daglig leder or a board member "
                    "now signs it in Altinn:",
                    instance=self.altinn_instance_id,
                ),
                self.altinn_signing_url or "",
                _("signing link"),
            )
        )
        return True

    def _altinn_instance(self, client, orgnr):
        """The instance to fill: the one this filing has, else an unfinished one a failed
        attempt left in Altinn, else a new one (its id kept at once)."""
        if self.altinn_instance_id:
            try:
                return self._altinn_call(client, "instance_read", "GET instance").get_instance(
                    orgnr, self.altinn_instance_id
                )
            except AltinnError as error:
                if error.code != "not_found":
                    raise
            # deleted in Altinn meanwhile: start again
            self.write({"altinn_instance_id": False, "altinn_state": "none"})
        active = self._altinn_call(client, "instance_find", "GET instances/active")
        others = self.sudo().search([("altinn_instance_id", "!=", False), ("id", "!=", self.id)])
        taken = set(others.mapped("altinn_instance_id"))
        for found in sorted(
            active.active_instances(orgnr), key=lambda i: i.get("lastChanged") or "", reverse=True
        ):
            if found["id"] in taken:
                continue
            instance = self._altinn_call(client, "instance_read", "GET instance").get_instance(
                orgnr, found["id"]
            )
            if instance.current_task == FILLING_TASK:
                self._altinn_keep_instance(
                    instance, _("Continuing with the filing already in Altinn")
                )
                return instance
        creator = self._altinn_call(client, "instance_create", f"POST instances (owner {orgnr})")
        instance = creator.create_instance(orgnr)
        self._altinn_keep_instance(instance, _("Filing created in Altinn"))
        return instance

    def _altinn_keep_instance(self, instance, what):
        self.write({"altinn_instance_id": instance.id, "altinn_state": "filling"})
        _logger.info("Filing %s: %s %s", self.id, what, instance.id)

    def _altinn_fill(self, client, orgnr, instance, hovedskjema, underskjema, attachments):
        for data_type, content in (("Hovedskjema", hovedskjema), ("Underskjema", underskjema)):
            uploader = self._altinn_call(client, "data_upload", f"PUT data {data_type}")
            uploader.put_data(orgnr, instance.id, instance.element_id(data_type), content)
        present = {e.get("filename") for e in instance.elements("Vedlegg")}
        for filename, content, mimetype in attachments:
            if filename in present:  # uploaded by an earlier attempt
                continue
            summary = f"POST data Vedlegg {filename} ({len(content)} bytes)"
            element = self._altinn_call(client, "attachment_upload", summary).add_attachment(
                orgnr, instance.id, filename, content, mimetype
            )
            scan = self._altinn_call(client, "file_scan", f"GET instance (scan of {filename})")
            scan.wait_for_file_scan(orgnr, instance.id, element["id"])

    def _altinn_attachments(self):
        """``[(filename, bytes, mimetype)]`` to upload as Vedlegg: when BRG's rules want an
        attachment, the annual-accounts PDF and the PDFs attached to the filing."""
        self.ensure_one()
        if not self._altinn_attachment_required():
            return []
        files = [(self._pdf_filename(), self._render_pdf(), "application/pdf")]
        own = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("mimetype", "=", "application/pdf"),
                ("id", "!=", self.altinn_receipt_id.id),
            ]
        )
        files += [(a.name, a.raw, a.mimetype) for a in own if a.name != self._pdf_filename()]
        return files

    def _altinn_attachment_required(self):
        return _attachment_required(super()._brg_filing_data())

    def _brg_filing_data(self):
        data = super()._brg_filing_data()
        if self.state == "draft" and _attachment_required(data):
            # the annual-accounts PDF goes with the filing (see _altinn_attachments)
            data["attachments"] = [*data["attachments"], self._pdf_filename()]
        return data

    def _altinn_failed(self, error):
        """What the user sees of a failure: the message, BRG's own messages, chatter."""
        message = error.message
        issues = [i for i in error.issues if i.get("severity") == 1]
        if issues:
            message += "\n" + "\n".join(f"{i.get('code')}: {i.get('description')}" for i in issues)
        self.error_message = message
        self.message_post(body=_("Altinn: %(message)s", message=message))
        _logger.info("Filing %s: Altinn refused or failed (%s)", self.id, error.code)

    def _altinn_call(self, client, operation, summary):
        """``client``, with the next call recorded in the history of this filing."""
        return TrackedClient(client, self.company_id, operation, summary, filing=self)

    # ------------------------------------------------------------------------------------------
    # Tracking: signature, receipt, publication
    # ------------------------------------------------------------------------------------------

    def _altinn_refresh(self, chatter=False, notify_progress=False):
        """Read each filing's instance (and the register once signed); a failure is recorded
        on its filing and the others go on."""
        todo = self.filtered(lambda a: a.state == "submitted" and a.altinn_instance_id)
        for done, account in enumerate(todo):
            try:
                account._altinn_refresh_one()
            except (AltinnError, UserError) as error:
                message = getattr(error, "message", None) or error.args[0]
                account.error_message = message
                if chatter:
                    account.message_post(body=_("Altinn: %(message)s", message=message))
            if notify_progress:
                self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(todo) - done - 1)

    def _altinn_refresh_one(self):
        company = self.company_id
        client, orgnr = company._l10n_no_altinn_client(), company._l10n_no_altinn_orgnr()
        reader = self._altinn_call(client, "instance_read", "GET instance")
        try:
            instance = reader.get_instance(orgnr, self.altinn_instance_id)
        except AltinnError as error:
            if error.code == "not_found":
                raise UserError(
                    _("The filing is gone from Altinn; it was deleted there. Cancel it here.")
                ) from None
            raise
        values = {"error_message": False}
        if instance.ended and self.altinn_state != "signed":
            values["altinn_state"] = "signed"
            self._altinn_attach_receipt(client, orgnr, instance)
        elif instance.current_task == SIGNING_TASK:
            values["altinn_state"] = "awaiting_signature"
        self.write(values)
        if self.altinn_state == "signed":
            lookup = self._altinn_call(client, "register_lookup", f"GET regnskap/{orgnr}")
            published = [
                accounts
                for accounts in lookup.published_accounts(orgnr)
                if (accounts.get("regnskapsperiode") or {}).get("tilDato")
                == self.date_to.isoformat()
            ]
            if published:
                self._record_decision(True)
                self.message_post(
                    body=_(
                        "Approved: Regnskapsregisteret publishes these accounts (journal "
                        "number %(number)s).",
                        number=published[0].get("journalnr") or "-",
                    )
                )

    def _altinn_attach_receipt(self, client, orgnr, instance):
        receipt = self._altinn_call(client, "receipt_download", "GET data ref-data-as-pdf")
        content = receipt.download_receipt(orgnr, instance.id)
        if not content:
            return
        attachment = self.env["ir.attachment"].create(
            {
                "name": _("Altinn receipt %(year)s.pdf", year=self.reporting_year),
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.altinn_receipt_id = attachment
        self.message_post(
            body=_("Signed in Altinn; Altinn's receipt is attached."),
            attachment_ids=attachment.ids,
        )

    # ------------------------------------------------------------------------------------------
    # Cancel (hook of action_cancel, for a SUBMITTED filing)
    # ------------------------------------------------------------------------------------------

    def action_cancel(self):
        # One by one: a filing whose instance Altinn would not delete stays SUBMITTED with the
        # reason recorded (error, chatter, history) while the others are cancelled.
        for account in self:
            try:
                super(AnnualAccount, account).action_cancel()
            except _KeptSubmitted:
                continue
        return True

    def _altinn_cancel(self):
        self.ensure_one()
        if not self.altinn_instance_id or self.altinn_state == "signed":
            self.message_post(
                body=_(
                    "Cancelled here only: a signed årsregnskap cannot be withdrawn from "
                    "Brønnøysundregistrene; a correction is filed as a new filing of the year."
                )
            )
            return
        company = self.company_id
        client, orgnr = company._l10n_no_altinn_client(), company._l10n_no_altinn_orgnr()
        deleter = self._altinn_call(client, "instance_delete", "DELETE instance")
        try:
            deleter.delete_instance(orgnr, self.altinn_instance_id)
        except AltinnError as error:
            if error.code == "not_found":  # deleted in Altinn already
                return
            message = error.message
            if error.code == "conflict":
                message = _(
                    "Not cancelled: it has been signed in Altinn meanwhile. Refresh its status. "
                    "A filed årsregnskap is corrected by filing again, not withdrawn."
                )
            self._altinn_failed(AltinnError(error.code, message))
            raise _KeptSubmitted() from error
        self.write({"error_message": False})
        self.message_post(body=_("The unsigned filing was deleted in Altinn."))


class _KeptSubmitted(Exception):
    """Altinn did not delete the instance; the reason is recorded on the filing."""


def _attachment_required(data):
    """BRG's rules want a Vedlegg (VAL_FileAttachments) for this filing data."""
    issues = brg_validation.check({**data, "attachments": []})
    return any(issue.rule_id == "VAL_FileAttachments" for issue in issues)
