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

KIND = "hovedskjema"
SYSTEM_NAME_MAX = 50
DEFAULT_MACHINE_NOTES = "20"


def yes_no(value):
    return "ja" if value else "nei"


def true_false(value):
    return "true" if value else "false"


def system_name(system):
    """BRG's format "Systemnavn, versjon x", cut to the schema's 50 characters."""
    text = system["name"]
    if system.get("version"):
        text = f"{text}, versjon {system['version']}"
    return text[:SYSTEM_NAME_MAX]


def hovedskjema_values(filing):
    """``{orid: text}`` of the Hovedskjema for ``filing``."""
    company, period = filing["company"], filing["period"]
    group, rules = filing["group"], filing["rules"]
    approval, audit = filing["approval"], filing.get("audit") or {}
    values = {
        "18": str(company["orgnr"]),
        "756": company["org_form"],
        "1": company["name"],
        "37499": filing.get("machine_notes") or DEFAULT_MACHINE_NOTES,
        "39007": system_name(filing["system"]),
        "17102": str(period["year"]),
        "17103": str(period["start"]),
        "17104": str(period["end"]),
        "4168": yes_no(group["parent_company"]),
        "8079": yes_no(rules["small_enterprise"]),
        "25021": yes_no(rules["ifrs"]),
        "17105": str(approval["date"]),
        "19023": approval["confirmed_by"],
    }
    optional_yes_no = {
        "25943": group.get("group_accounts"),
        "36640": group.get("foreign_group"),
        "36639": rules.get("simplified_ifrs"),
        "25944": rules.get("group_ifrs"),
        "36641": rules.get("group_simplified_ifrs"),
        "34669": audit.get("not_audited"),
        "34670": audit.get("prepared_by_authorised_accountant"),
        "34671": audit.get("external_accountant_assistance"),
    }
    values.update({orid: yes_no(v) for orid, v in optional_yes_no.items() if v is not None})
    if filing.get("contact_email"):
        values["19022"] = filing["contact_email"]
    optional_true_false = {
        "35172": filing.get("country_by_country_report"),
        "40314": filing.get("liquidation_accounts"),
        "39006": filing.get("foreign_nuf_accounts"),
    }
    values.update({orid: true_false(v) for orid, v in optional_true_false.items() if v is not None})
    return values


def build_hovedskjema(filing) -> bytes:
    """The RR-0002 Hovedskjema XML (UTF-8, with declaration) for ``filing``."""
    return brg_schema.render(KIND, hovedskjema_values(filing))
