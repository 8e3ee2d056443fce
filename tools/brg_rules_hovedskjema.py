"""BRG's validations of the RR-0002 Hovedskjema sheet that the filing data can decide.

Each rule set is a generator ``(filing, today) -> Issue``; ``brg_validation.check`` runs them.
"""

import re
from datetime import date

from .brg_issue import issue
from .brg_underskjema import exact_figures

# Tillatte_org.former: the organisation forms that may file RR-0002.
ALLOWED_ORG_FORMS = frozenset(
    "ANNA ANS AS ASA BA BBL BRL DA ENK EOFG ESEK FLI GFS IKS KF KIRK KS NUF PK PRE SA SAM SE SF"
    " SPA STI SÆR VPFO".split()
)
# Forms that must attach the auditor's report whatever they answer (Vedleggsside).
AUDITED_ORG_FORMS = frozenset({"ASA", "SF", "BBL", "BRL", "VPFO", "STI", "SE"})
MAX_PERIOD_DAYS = 549
SMALL_SALES_LIMIT = 25_000_000
SMALL_ASSETS_LIMIT = 10_000_000
# BRG's own e-mail pattern (VAL_19022), from .NET to Python syntax.
_LOCAL = r"[a-zA-Z0-9!#$%&'*+\-/=?\^_`{|}~]"
_HOST = r"[a-zæøåA-ZÆØÅ0-9]"
EMAIL_RE = re.compile(
    rf'(("[^"]+")|({_LOCAL}+(\.{_LOCAL}+)*))@'
    rf"(((({_HOST}\.)|({_HOST}([a-zæøåA-ZÆØÅ0-9\-]{{0,61}}){_HOST}\.))*"
    rf"({_HOST}([a-zæøåA-ZÆØÅ0-9\-]{{0,61}}){_HOST}\.)([a-zA-Z]{{2,6}}))"
    r"|((\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(:\d{2,5})?))"
)


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _orgnr_valid(orgnr):
    if not re.fullmatch(r"\d{9}", orgnr):
        return False
    weighted = sum(int(d) * w for d, w in zip(orgnr[:8], (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    control = 11 - weighted % 11
    return control != 10 and control % 11 == int(orgnr[8])


def company(filing, today):
    unit = filing["company"]
    if not _orgnr_valid(str(unit.get("orgnr") or "")):
        yield issue(
            "ORGNR",
            "18",
            "Organisasjonsnummeret er ikke gyldig (9 siffer med kontrollsiffer).",
            "The organisation number is not valid (9 digits with check digit).",
        )
    if unit.get("org_form") not in ALLOWED_ORG_FORMS:
        yield issue(
            "VAL_756",
            "756",
            "Du kan ikke starte denne tjenesten. Virksomheten kan ikke registrere årsregnskapet"
            " på valgte tjeneste. Du må velge rett tjeneste.",
            "This organisation form cannot file on this service.",
        )
    email = filing.get("contact_email")
    if email and not EMAIL_RE.fullmatch(email):
        yield issue(
            "VAL_19022",
            "19022",
            "Du må legge inn en gyldig e-postadresse.",
            "Enter a valid e-mail address.",
        )
    if filing.get("country_by_country_report"):
        yield issue(
            "_MYK_VAL_35172",
            "35172",
            "Du må opplyse i årsberetningen om hvor rapporten med opplysninger om utbetalinger"
            " til myndigheter på land- og prosjektnivå er offentliggjort.",
            "State in the directors' report where the country-by-country report is published.",
        )


def period(filing, today):
    period = filing["period"]
    year, start, end = period.get("year"), period.get("start"), period.get("end")
    if not year:
        yield issue("VAL_17102", "17102", "Du må legge inn regnskapsår.", "Enter the year.")
    elif int(year) < 1980:
        yield issue(
            "VAL_17102", "17102", "Du må legge inn et årstall som er etter 1979.", "Year < 1980."
        )
    if not start:
        yield issue("VAL_17103", "17103", "Du må fylle ut startdato.", "Enter the start date.")
    if not end:
        yield issue("VAL_17104", "17104", "Du må fylle ut sluttdato.", "Enter the end date.")
    if not (start and end):
        return
    start, end = _as_date(start), _as_date(end)
    if start.year < 1980:
        yield issue(
            "VAL_17103",
            "17103",
            "Du må legge inn en startdato med et årstall som er etter 1979.",
            "Start date before 1980.",
        )
    if end.year < 1980:
        yield issue(
            "VAL_17104",
            "17104",
            "Du må legge inn en sluttdato med et årstall som er etter 1979.",
            "End date before 1980.",
        )
    if end > today:
        yield issue(
            "VAL_17104",
            "17104",
            "Du kan ikke legge inn en sluttdato som er fram i tid",
            "The end date is in the future.",
        )
    if end < start:
        yield issue(
            "VAL_17104",
            "17104",
            "Du må legge inn en sluttdato som er etter startdato.",
            "The end date is before the start date.",
        )
    elif (end - start).days > MAX_PERIOD_DAYS:
        yield issue(
            "VAL_17104",
            "17104",
            "Du må legge inn ny startdato/sluttdato. Regnskapsåret kan ikke være lenger enn 18"
            " måneder.",
            "The financial year cannot be longer than 18 months.",
        )
    calendar_end = (end.month, end.day) == (12, 31)
    if not calendar_end and not filing.get("liquidation_accounts"):
        yield issue(
            "MYK_VAL_17104",
            "17104",
            "Sluttdatoen kan bare være forskjellig fra 31.12. hvis virksomheten:  - har avvikende"
            " regnskapsperiode, eller - er meldt slettet, og dette er avviklingsregnskapet.",
            "The end date differs from 31 December.",
        )
    if calendar_end and (start.month, start.day) != (1, 1):
        yield issue(
            "_MYK_VAL_17103",
            "17103",
            "Regnskapsperioden følger ikke kalenderåret. Sjekk at du har skrevet korrekt"
            " startdato for årsregnskapet.",
            "The period does not follow the calendar year.",
        )


def group(filing, today):
    answers, org_form = filing["group"], filing["company"].get("org_form")
    parent = answers.get("parent_company")
    group_accounts, foreign = answers.get("group_accounts"), answers.get("foreign_group")
    if parent is None:
        yield issue(
            "VAL_4168",
            "4168",
            "Du må velge om virksomheten er et morselskap i et konsern. ",
            "State whether the entity is a parent company.",
        )
    elif parent and org_form in ("ENK", "NUF"):
        text = {
            "ENK": "Enkeltpersonforetak kan ikke være morselskap.",
            "NUF": "Norskregistrert utenlandsk foretak kan ikke være morselskap.",
        }[org_form]
        yield issue("VAL_4168", "4168", text, f"An {org_form} cannot be a parent company.")
    if parent and group_accounts is None:
        yield issue(
            "VAL_25943",
            "25943",
            "Du må velge om virksomheten skal sende inn konsernregnskap",
            "State whether group accounts are filed.",
        )
    if parent is False and group_accounts:
        yield issue(
            "VAL_25943",
            "25943",
            "Du har i hovedskjema opplyst at regnskapsskjema for konsernregnskap ikke skal fylles"
            " ut.",
            "Group accounts are only filed by a parent company.",
        )
    if foreign and (parent is False or group_accounts):
        yield issue(
            "VAL_36640",
            "36640",
            "Du skal bare velge Utenlandsk konsernregnskap når virksomheten er morselskap, og"
            " ikke legger ved konsernregnskapet i vedleggsskjema .",
            "Foreign group accounts only apply to a parent not filing group accounts.",
        )


def accounting_rules(filing, today):
    rules, parent = filing["rules"], filing["group"].get("parent_company")
    small, ifrs = rules.get("small_enterprise"), rules.get("ifrs")
    simplified, group_ifrs = rules.get("simplified_ifrs"), rules.get("group_ifrs")
    group_accounts = filing["group"].get("group_accounts")
    if small is None:
        yield issue(
            "VAL_8079",
            "8079",
            "Du må velge om regnskapsreglene for små foretak er brukt.",
            "State whether the small-enterprise rules are applied.",
        )
    elif small is False:
        figures = exact_figures(filing["statement"])
        if (
            figures.get("1340", 0) < SMALL_SALES_LIMIT
            and figures.get("219", 0) < SMALL_ASSETS_LIMIT
        ):
            yield issue(
                "_MYK_VAL_8079",
                "8079",
                "Sjekk om du har krysset rett. Krysser du Nei, er hovedregelen at"
                " kontantstrømoppstilling skal legges med som filvedlegg.",
                "Below the small-enterprise thresholds: check the answer (cash flow statement).",
            )
    if ifrs is None:
        yield issue(
            "VAL_25021",
            "25021",
            "Du må velge hvilke regler som er brukt når dere utarbeidet årsregnskapet til"
            " virksomheten.",
            "State which rules the annual accounts follow.",
        )
    elif ifrs and small:
        group_part = " for både morselskapet og konsernet" if parent else ""
        tail = " - du må utarbeide konsernregnskap" if parent else ""
        yield issue(
            "_MYK_VAL_25021",
            "25021",
            "Når årsregnskapet er satt opp etter IFRS, kan dere ikke følge alle unntakene som"
            f" gjelder for små foretak: - du må legge ved kontantstrømoppstilling{group_part}"
            f" - virksomheten kan ikke følge notekravene som gjelder for små foretak{tail}",
            "IFRS accounts cannot use the small-enterprise exemptions.",
        )
    if simplified and ifrs:
        yield issue(
            "VAL_36639",
            "36639",
            "Du har oppgitt at årsregnskapet er satt opp etter IFRS og kan derfor ikke velge"
            " 'Forenklet IFRS'.",
            "Full IFRS and simplified IFRS exclude each other.",
        )
    if simplified and small:
        yield issue(
            "_MYK_VAL_36639",
            "36639",
            "Du har valgt at årsregnskapet er satt opp etter forenklet anvendelse av IFRS. Dere"
            " kan derfor ikke følge alle unntakene som gjelder for små foretak: - du må legge ved"
            " kontantstrømoppstilling - virksomheten kan ikke følge notekravene som gjelder for"
            " små foretak",
            "Simplified IFRS cannot use the small-enterprise exemptions.",
        )
    yield from _group_rules(rules, small, ifrs, group_ifrs, group_accounts)


def _group_rules(rules, small, ifrs, group_ifrs, group_accounts):
    if group_accounts and group_ifrs is None:
        yield issue(
            "VAL_RegnskapsoppsettKonsernIFRS",
            "25944",
            "Du må velge hvilke regler som ble brukt når dere utarbeidet årsregnskapet til"
            " konsernet. ",
            "State which rules the group accounts follow.",
        )
    if group_ifrs and small and ifrs is False and group_accounts:
        yield issue(
            "_MYK_VAL_25945",
            "25944",
            "Når konsernregnskapet er satt opp etter IFRS, kan dere ikke følge alle unntakene som"
            " gjelder for små foretak: - du må legge ved kontantstrømoppstillingen for konsernet"
            " - virksomheten kan ikke følge notekravene som gjelder for små foretak",
            "IFRS group accounts cannot use the small-enterprise exemptions.",
        )
    group_simplified = rules.get("group_simplified_ifrs")
    if group_simplified and group_ifrs:
        yield issue(
            "VAL_36641",
            "36641",
            "Du har oppgitt at årsregnskapet er satt opp etter IFRS.",
            "Full IFRS and simplified IFRS exclude each other (group).",
        )
    if group_simplified and small:
        yield issue(
            "_MYK_VAL_36641",
            "36641",
            "Du har valgt at årsregnskapet er satt opp etter forenklet anvendelse av IFRS. Dere"
            " kan derfor ikke følge alle unntakene som gjelder for små foretak: - du må legge ved"
            " kontantstrømoppstilling for konsernet - virksomheten kan ikke følge notekravene som"
            " gjelder for små foretak",
            "Simplified IFRS (group) cannot use the small-enterprise exemptions.",
        )


def approval(filing, today):
    answers = filing["approval"]
    if not answers.get("confirmed_by"):
        yield issue(
            "VAL_19023",
            "19023",
            "Du må legge til navn på en representant for virksomheten",
            "Enter the name of the representative confirming the approval.",
        )
    if not answers.get("date"):
        yield issue(
            "VAL_17105",
            "17105",
            "Du må legge til hvilken dato årsregnskapet ble fastsatt",
            "Enter the date the accounts were approved.",
        )
        return
    approved = _as_date(answers["date"])
    if approved > today:
        yield issue(
            "VAL_17105",
            "17105",
            "Du må legge til en dato for fastsettelse som ikke er fram i tid. ",
            "The approval date is in the future.",
        )
    end = filing["period"].get("end")
    if end and approved <= _as_date(end):
        yield issue(
            "VAL_17105",
            "17105",
            "Dato for fastsettelse må være etter regnskapsperiodens slutt.",
            "The approval date must be after the end of the period.",
        )


def audit_and_attachments(filing, today):
    audit, org_form = filing.get("audit") or {}, filing["company"].get("org_form")
    not_audited = audit.get("not_audited")
    if org_form == "AS" and not_audited is None:
        yield issue(
            "VAL_34669",
            "34669",
            "Du må opplyse om selskapet har besluttet at regnskapet ikke skal revideres.",
            "State whether the company has opted out of audit.",
        )
    if org_form != "AS":
        answered = (
            ("VAL_34669", "34669", "not_audited"),
            ("VAL_34670", "34670", "prepared_by_authorised_accountant"),
            ("VAL_34671", "34671", "external_accountant_assistance"),
        )
        for rule_id, orid, key in answered:
            if audit.get(key) is not None:
                text = (
                    "Det er bare aksjeselskap som kan rapportere fravalg."
                    if orid == "34669"
                    else "Det er kun AS som kan rapportere denne opplysningen."
                )
                yield issue(rule_id, orid, text, "Only an AS reports this.")
    if not filing.get("attachments") and _attachment_required(filing, org_form, not_audited):
        yield issue(
            "VAL_FileAttachments",
            "FileAttachments",
            "Du må laste opp filer under Vedlegg",
            "Upload the required attachments (notes, auditor's report, ...).",
        )


def _attachment_required(filing, org_form, not_audited):
    return (
        filing["rules"].get("small_enterprise") is not True
        or org_form in AUDITED_ORG_FORMS
        or (org_form == "AS" and not_audited is not True)
        or bool(filing["group"].get("foreign_group"))
        or bool(filing.get("foreign_nuf_accounts"))
    )
