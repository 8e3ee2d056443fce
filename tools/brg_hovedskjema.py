"""RR-0002 Hovedskjema (1266/51820): who files, for which period, under which rules.

``build_hovedskjema(filing)`` reads these keys of the filing data (the full dict, shared with
the Underskjema builder and the validations, is documented in ``docs/architecture.md``,
section "Filing data"):

- ``company``: ``{"orgnr": str (9 digits), "org_form": str ("AS", ...), "name": str}``
- ``contact_email``: optional address (orid 19022) that also gets BRG's decision (the form
  allows ten; one is what the product collects)
- ``system``: ``{"name": str, "version": str}``, written as "name, versjon x" (orid 39007, at
  most 50 characters, BRG's own format)
- ``period``: ``{"year": int, "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}``
- ``group``: ``{"parent_company": bool, "group_accounts": bool | None,
  "foreign_group": bool | None}`` (orids 4168, 25943, 36640)
- ``rules``: ``{"small_enterprise": bool, "ifrs": bool, "simplified_ifrs": bool | None,
  "group_ifrs": bool | None, "group_simplified_ifrs": bool | None}``
  (orids 8079, 25021, 36639, 25944, 36641)
- ``approval``: ``{"date": "YYYY-MM-DD", "confirmed_by": str}`` (orids 17105, 19023)
- ``audit``: ``{"not_audited": bool | None, "prepared_by_authorised_accountant": bool | None,
  "external_accountant_assistance": bool | None}`` (orids 34669, 34670, 34671; AS only)
- optional flags (bool, omitted when absent): ``country_by_country_report`` (35172),
  ``liquidation_accounts`` (40314), ``foreign_nuf_accounts`` (39006)
- optional ``machine_notes`` (orid 37499, default "20" as in BRG's own example payload; BRG
  publishes no code list for it)

``None`` means "not answered" and leaves the element out; the validations report the answers
BRG requires.
"""

from . import brg_schema
from .limits import clean_text

KIND = "hovedskjema"
SYSTEM_NAME_MAX = 50
DEFAULT_MACHINE_NOTES = "20"


def yes_no(value):
    return None if value is None else ("ja" if value else "nei")


def true_false(value):
    return None if value is None else ("true" if value else "false")


def text(value):
    return None if value in (None, "") else str(value)


def system_name(system):
    """BRG's format "Systemnavn, versjon x", cut to the schema's 50 characters."""
    name = system["name"]
    if system.get("version"):
        name = f"{name}, versjon {system['version']}"
    return name[:SYSTEM_NAME_MAX]


def hovedskjema_values(filing):
    """``{orid: text}`` of the Hovedskjema for ``filing``; unanswered fields are left out, so
    a missing required answer fails the XSD instead of being filed as "nei"."""
    company, period = filing["company"], filing["period"]
    group, rules = filing["group"], filing["rules"]
    approval, audit = filing["approval"], filing.get("audit") or {}
    values = {
        "18": text(company.get("orgnr")),
        "756": text(company.get("org_form")),
        "1": text(company.get("name")),
        "19022": text(filing.get("contact_email")),
        "35172": true_false(filing.get("country_by_country_report")),
        "40314": true_false(filing.get("liquidation_accounts")),
        "37499": text(filing.get("machine_notes")) or DEFAULT_MACHINE_NOTES,
        "39006": true_false(filing.get("foreign_nuf_accounts")),
        "39007": system_name(filing["system"]),
        "17102": text(period.get("year")),
        "17103": text(period.get("start")),
        "17104": text(period.get("end")),
        "4168": yes_no(group.get("parent_company")),
        "25943": yes_no(group.get("group_accounts")),
        "36640": yes_no(group.get("foreign_group")),
        "8079": yes_no(rules.get("small_enterprise")),
        "25021": yes_no(rules.get("ifrs")),
        "36639": yes_no(rules.get("simplified_ifrs")),
        "25944": yes_no(rules.get("group_ifrs")),
        "36641": yes_no(rules.get("group_simplified_ifrs")),
        "17105": text(approval.get("date")),
        "19023": text(approval.get("confirmed_by")),
        "34669": yes_no(audit.get("not_audited")),
        "34670": yes_no(audit.get("prepared_by_authorised_accountant")),
        "34671": yes_no(audit.get("external_accountant_assistance")),
    }
    return {orid: value for orid, value in values.items() if value is not None}


def build_hovedskjema(filing) -> bytes:
    """The RR-0002 Hovedskjema XML (UTF-8, with declaration) for ``filing``."""
    values = hovedskjema_values(filing)
    return brg_schema.render(KIND, {orid: clean_text(text) for orid, text in values.items()})
