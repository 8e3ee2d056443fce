"""Checks before filing that the law requires and BRG's sheets leave out, or make only against
facts the filing data did not carry (the registered organisation form, the Altinn party).

Each rule set is a generator ``(filing, today) -> Issue``; ``brg_validation.check`` runs them.
Our ids start ``LAW_`` (a paragraph) or ``ANSWER_`` (a question the user has not answered);
BRG's val_756 and val_18 keep BRG's ids. Filing-data keys read here beyond the builders' (all
optional; see docs/brg-validation-rules.md):

- ``company.registered_org_form``: the form Enhetsregisteret has (val_756);
- ``company.instance_owner_orgnr``: the organisation the Altinn instance is filed for (val_18);
- ``prior_full_time_equivalents``: last year's full-time equivalents (§ 7-6, § 1-6);
- ``attachments``: file names, or ``{"name", "kind"}`` with ``kind`` one of
  :data:`ATTACHMENT_KINDS`; only a file of kind ``auditors_report`` is an auditor's report.
"""

from datetime import date
from decimal import Decimal

from .brg_issue import issue
from .brg_notes import route_notes
from .brg_rules_hovedskjema import AUDITED_ORG_FORMS
from .brg_underskjema import statement_figures

ATTACHMENT_KINDS = ("annual_accounts", "auditors_report", "annual_report", "cash_flow", "other")

# aksjeloven § 7-6 (1): driftsinntekter and balance sum below the thresholds of the regulation
# of 3 June 2018 nr. 7 (7 and 27 million kroner from 1 May 2023, for the financial year 2023 on;
# 6 and 23 from 2018; 5 and 20 before), and at most ten full-time equivalents.
AUDIT_THRESHOLDS = (
    (2023, 7_000_000, 27_000_000),
    (2018, 6_000_000, 23_000_000),
    (0, 5_000_000, 20_000_000),
)
AUDIT_MAX_FTE = Decimal(10)
# regnskapsloven § 1-6 (1): not more than two of salgsinntekt, balance sum, average FTE above
# these, for financial years from 2024 (Prop. 57 L (2023-2024)); before, 70 and 35 million.
SMALL_THRESHOLDS = ((2024, 168_000_000, 84_000_000), (0, 70_000_000, 35_000_000))
SMALL_MAX_FTE = Decimal(50)
SALES, REVENUE, ASSETS = ("1340", "7965"), ("72", "6972"), ("219", "7127")
SALARY_LINE = "81"


def _year(filing):
    """The financial year the thresholds are taken for: the year of its end."""
    period = filing.get("period") or {}
    if period.get("end"):
        return date.fromisoformat(str(period["end"])).year
    return int(period.get("year") or 0)


def _threshold(table, year):
    return next(row[1:] for row in table if year >= row[0])


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def _fte(filing):
    return _decimal((filing.get("note_values") or {}).get("full_time_equivalents"))


def attachment_kinds(filing):
    """The kinds of the attached files; a bare file name is of kind ``"file"`` (unknown)."""
    return {
        item.get("kind") or "file" if isinstance(item, dict) else "file"
        for item in filing.get("attachments") or ()
    }


def is_audited(filing):
    """The accounts are audited: an organisation form that must be, or an AS that has not opted
    out (``not_audited`` False)."""
    org_form = filing["company"].get("org_form")
    audit = filing.get("audit") or {}
    return org_form in AUDITED_ORG_FORMS or (org_form == "AS" and audit.get("not_audited") is False)


# ----------------------------------------------------------------------------------------------
# The registered party: val_756 and val_18
# ----------------------------------------------------------------------------------------------


def propose_org_form(register_entry):
    """The organisation form Enhetsregisteret has for the company, from its open register's
    answer (``GET data.brreg.no/enhetsregisteret/api/enheter/{orgnr}``: ``{"organisasjonsform":
    {"kode": "AS", "beskrivelse": "Aksjeselskap"}, ...}``), as a proposal with its reason; the
    value is None when the answer has none."""
    form = (register_entry or {}).get("organisasjonsform") or {}
    code = form.get("kode")
    reasons = [f"Enhetsregisteret: {code} ({form.get('beskrivelse') or code})."] if code else []
    return {"value": code or None, "paragraph": "val_756", "reasons": reasons}


def check_org_form(org_form, registered):
    """val_756 (second row): the organisation form filed differs from the registered one."""
    return bool(registered) and org_form != registered


def registered_party(filing, today):
    unit = filing["company"]
    if check_org_form(unit.get("org_form"), unit.get("registered_org_form")):
        yield issue(
            "VAL_756",
            "756",
            "Organisasjonsformen som er lagt inn avviker fra det som er lagt inn i skjemaet",
            f"The organisation form {unit.get('org_form')} differs from the registered"
            f" {unit['registered_org_form']}.",
        )
    owner = unit.get("instance_owner_orgnr")
    if owner and owner != unit.get("orgnr"):
        yield issue(
            "val_18",
            "18",
            "Organisasjonsnummeret du skal sende inn for avviker fra det som lagt inn i skjemaet",
            "The organisation number differs from the party the form is filed for.",
        )


# ----------------------------------------------------------------------------------------------
# Audit opt-out: aksjeloven § 7-6
# ----------------------------------------------------------------------------------------------


def audit_opt_out(filing):
    """Whether the AS may have opted out of audit (§ 7-6), as ``{"allowed": True | False | None,
    "paragraph", "reasons": [...], "next_year_audited": bool}``. The thresholds of (1) nr. 1 and
    2 are read on last year's accounts ((2)); ``None`` when the filing carries no such figures
    (the first financial year: (2) second sentence asks facts the ledger does not hold). (3):
    this year's figures above a threshold mean next year's accounts are audited."""
    year = _year(filing)
    revenue_limit, assets_limit = _threshold(AUDIT_THRESHOLDS, year)
    figures = statement_figures(filing["statement"])
    prior = {"revenue": figures.get(REVENUE[1], 0), "assets": figures.get(ASSETS[1], 0)}
    current = {"revenue": figures.get(REVENUE[0], 0), "assets": figures.get(ASSETS[0], 0)}
    prior_fte = _decimal(filing.get("prior_full_time_equivalents"))
    reasons = []

    def over(values, fte):
        found = []
        if values["revenue"] >= revenue_limit:
            found.append(f"driftsinntekter {values['revenue']} kr (grense {revenue_limit})")
        if values["assets"] >= assets_limit:
            found.append(f"balansesum {values['assets']} kr (grense {assets_limit})")
        if fte is not None and fte > AUDIT_MAX_FTE:
            found.append(f"{fte:f} årsverk (grense {AUDIT_MAX_FTE})")
        return found

    allowed = None
    if any(prior.values()):
        reasons = over(prior, prior_fte)
        allowed = not reasons
    return {
        "allowed": allowed,
        "paragraph": "aksjeloven § 7-6",
        "reasons": reasons,
        "next_year_audited": bool(over(current, _fte(filing))),
    }


def audit(filing, today):
    audit_answers, org_form = filing.get("audit") or {}, filing["company"].get("org_form")
    if org_form != "AS":
        return
    for orid, key, text in (
        (
            "34670",
            "prepared_by_authorised_accountant",
            "utarbeidet av ekstern autorisert" " regnskapsfører",
        ),
        (
            "34671",
            "external_accountant_assistance",
            "bistått av ekstern autorisert" " regnskapsfører i løpet av året",
        ),
    ):
        if audit_answers.get(key) is None:
            yield issue(
                f"ANSWER_{orid}",
                orid,
                f"Du må svare på om årsregnskapet er {text}. Ubesvart leser"
                " Brønnøysundregistrene det som «nei».",
                f"Answer whether the accounts were {key.replace('_', ' ')}.",
            )
    if audit_answers.get("not_audited") is not True:
        return
    found = audit_opt_out(filing)
    if found["allowed"] is False:
        yield issue(
            "LAW_ASL_7_6",
            "34669",
            "Selskapet kan ikke unnlate revisjon etter aksjeloven § 7-6: fjorårets årsregnskap"
            f" viser {', '.join(found['reasons'])}. Årsregnskapet må revideres.",
            "The company may not opt out of audit (aksjeloven § 7-6): last year's accounts are"
            " above the thresholds.",
        )
    if found["next_year_audited"]:
        yield issue(
            "LAW_ASL_7_6_3",
            "34669",
            "Årets tall er over terskelverdiene i aksjeloven § 7-6: årsregnskapet for neste år"
            " skal revideres, og revisor må registreres i Foretaksregisteret.",
            "This year's figures are above the audit thresholds: next year is audited.",
            severity="warning",
        )
    if filing.get("group", {}).get("parent_company"):
        yield issue(
            "LAW_ASL_7_6_GROUP",
            "34669",
            "Et morselskap kan bare unnlate revisjon når vilkårene i aksjeloven § 7-6 er oppfylt"
            " for konsernet sett som en enhet. Sjekk konsernets tall.",
            "A parent may only opt out of audit when the group as a whole is below the"
            " thresholds.",
            severity="warning",
        )


# ----------------------------------------------------------------------------------------------
# Small enterprise: regnskapsloven § 1-6
# ----------------------------------------------------------------------------------------------


def small_enterprise(filing):
    """Whether the company is a small enterprise (§ 1-6), as ``{"allowed": bool, "paragraph",
    "reasons"}``: never an ASA; otherwise not when two of the three limits are exceeded at both
    balance dates the filing holds (a company changes category after two years in a row). An
    unknown number of full-time equivalents counts as not exceeded."""
    if filing["company"].get("org_form") == "ASA":
        return {
            "allowed": False,
            "paragraph": "regnskapsloven § 1-6",
            "reasons": ["allmennaksjeselskap"],
        }
    sales_limit, assets_limit = _threshold(SMALL_THRESHOLDS, _year(filing))
    figures = statement_figures(filing["statement"])
    ftes = (_fte(filing), _decimal(filing.get("prior_full_time_equivalents")))
    years = []
    for index in (0, 1):
        exceeded = []
        if figures.get(SALES[index], 0) > sales_limit:
            exceeded.append(f"salgsinntekt {figures[SALES[index]]} kr (grense {sales_limit})")
        if figures.get(ASSETS[index], 0) > assets_limit:
            exceeded.append(f"balansesum {figures[ASSETS[index]]} kr (grense {assets_limit})")
        if ftes[index] is not None and ftes[index] > SMALL_MAX_FTE:
            exceeded.append(f"{ftes[index]:f} årsverk (grense {SMALL_MAX_FTE})")
        years.append(exceeded)
    both = all(len(exceeded) >= 2 for exceeded in years)
    return {
        "allowed": not both,
        "paragraph": "regnskapsloven § 1-6",
        "reasons": years[0] + [f"i fjor: {text}" for text in years[1]] if both else [],
    }


def size(filing, today):
    if filing["rules"].get("small_enterprise") is not True:
        return
    found = small_enterprise(filing)
    if found["allowed"]:
        return
    if filing["company"].get("org_form") == "ASA":
        message = "Et allmennaksjeselskap kan ikke følge regnskapsreglene for små foretak."
    else:
        message = (
            "Selskapet er ikke et lite foretak etter regnskapsloven § 1-6: to av tre grenser er"
            f" overskredet to år på rad ({', '.join(found['reasons'])})."
        )
    yield issue("LAW_RSKL_1_6", "8079", message, "Not a small enterprise (regnskapsloven § 1-6).")


# ----------------------------------------------------------------------------------------------
# Attachments: the auditor's report and the notes without a structured home
# ----------------------------------------------------------------------------------------------


def required_attachments(filing):
    """The files the law or the notes want with this filing, each ``{"kind", "rule_id",
    "reason"}``: the auditor's report when the accounts are audited (regnskapsloven § 8-2; the
    product's own PDF is not one), the Årsregnskap PDF when a note can only reach BRG there."""
    found = []
    if is_audited(filing):
        found.append({"kind": "auditors_report", "rule_id": "LAW_RSKL_8_2", "reason": "audited"})
    notes = filing.get("notes") or []
    period = filing.get("period") or {}
    if route_notes(notes, (period.get("start"), period.get("end")))["attachment_required"]:
        found.append({"kind": "annual_accounts", "rule_id": "NOTES_ATTACHMENT", "reason": "notes"})
    return found


def attachments(filing, today):
    kinds = attachment_kinds(filing)
    for needed in required_attachments(filing):
        if needed["kind"] == "auditors_report" and "auditors_report" not in kinds:
            yield issue(
                "LAW_RSKL_8_2",
                "FileAttachments",
                "Årsregnskapet er revidert: revisjonsberetningen må legges ved (regnskapsloven"
                " § 8-2). Årsregnskapet som systemet lager, er ikke en revisjonsberetning.",
                "Audited accounts: attach the auditor's report.",
            )
        if needed["kind"] == "annual_accounts" and not kinds - {"auditors_report"}:
            yield issue(
                "NOTES_ATTACHMENT",
                "FileAttachments",
                "Noen noter får ikke plass i skjemaets notefelter og må sendes som vedlegg:"
                " legg ved årsregnskapet med noter.",
                "Some notes do not fit the form's note fields: attach the annual accounts.",
            )


# ----------------------------------------------------------------------------------------------
# Answers the notes need
# ----------------------------------------------------------------------------------------------


def answers(filing, today):
    values = filing.get("note_values") or {}
    if "going_concern_uncertain" not in values or values["going_concern_uncertain"] is None:
        yield issue(
            "ANSWER_37443",
            "37443",
            "Du må svare på om det er usikkerhet om fortsatt drift (regnskapsloven § 7-46).",
            "Answer whether there is uncertainty about going concern.",
        )
    fte = _fte(filing)
    salaries = statement_figures(filing["statement"]).get(SALARY_LINE, 0)
    if fte == 0 and salaries > 0:
        yield issue(
            "LAW_RSKL_7_43",
            "37467",
            f"Antall årsverk er 0, men lønnskostnaden er {salaries} kr. Sjekk antall årsverk"
            " (regnskapsloven § 7-43).",
            "Zero full-time equivalents beside salary costs: check the number.",
            severity="warning",
        )
