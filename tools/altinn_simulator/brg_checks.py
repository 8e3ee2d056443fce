"""The simulator's own checks of a filing, as the BRG app runs them before signing.

Written independently of the product's XML builders: the XSDs in data/brreg/ and a few of
BRG's validations from its design sheets (``*Datavalideringer.tsv``). Field codes (orid) are
read from the ``orid`` attribute BRG puts on every element. Severity 1 = error, 2 = warning.
"""

import functools
from datetime import date
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parents[2] / "data" / "brreg"
SCHEMAS = {"Hovedskjema": "RR-0002_1266-51820.xsd", "Underskjema": "RR-0002-U_758-51980.xsd"}
# VAL_FileAttachments: these forms always need the notes/auditor's report as a file.
ATTACHMENT_ORG_FORMS = {"ASA", "SF", "BBL", "BRL", "VPFO", "STI", "SE"}
MAX_PERIOD_MONTHS = 18
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@functools.cache
def schema(data_type):
    return etree.XMLSchema(etree.parse(str(XSD_DIR / SCHEMAS[data_type])))


def issue(code, description, field=None, element_id=None, severity=1):
    """A ``ValidationIssueWithSource`` as the app library returns it."""
    return {
        "severity": severity,
        "dataElementId": element_id,
        "field": field,
        "code": code,
        "description": description,
        "source": "BrgValidator",
        "noIncrementalUpdates": False,
        "customTextKey": None,
        "customTextParameters": None,
    }


def read_fields(content):
    """orid -> text of one BRG document (first occurrence wins)."""
    fields = {}
    for element in etree.fromstring(content, _PARSER).iter():
        orid = element.get("orid") if isinstance(element.tag, str) else None
        if orid and orid not in fields:
            fields[orid] = (element.text or "").strip()
    return fields


def check_documents(documents):
    """XSD checks. ``documents``: dataType -> (element id, bytes). Returns (issues, fields)."""
    issues, fields = [], {}
    for data_type in SCHEMAS:
        element_id, content = documents[data_type]
        if not content:
            issues.append(issue("Required", f"{data_type} is empty", None, element_id))
            continue
        try:
            tree = etree.fromstring(content, _PARSER)
        except etree.XMLSyntaxError as exc:
            issues.append(issue("XmlSyntax", str(exc), None, element_id))
            continue
        xsd = schema(data_type)
        if not xsd.validate(tree):
            for error in list(xsd.error_log)[:20]:
                issues.append(issue("XsdValidation", error.message, error.path, element_id))
        fields.update({k: v for k, v in read_fields(content).items() if k not in fields})
    return issues, fields


def _amount(fields, orid):
    try:
        return int(fields[orid])
    except (KeyError, ValueError):
        return None


def _months(start, end):
    return (end.year - start.year) * 12 + end.month - start.month + 1


def check_rules(fields, owner_orgnr, attachments):
    """BRG's validations on the field values of both documents."""
    issues = []
    if fields.get("18") and fields["18"] != owner_orgnr:
        issues.append(issue("val_18", "The organisation number differs from the filer's.", "18"))
    for orid, name in (("172", "Årsresultat"), ("219", "Sum eiendeler"), ("251", "Sum EK/gjeld")):
        if _amount(fields, orid) is None:
            issues.append(issue(f"VAL_{orid}", f"{name} (orid {orid}) is required.", orid))
    # BRG's sheet marks these two MYK (soft): a warning, not a refusal. The 7071 check is
    # skipped for minority interests (33415) and IFRS total result (36633), as BRG does.
    pairs = [("251", "219", "MYK_VAL_251")]
    if not fields.get("33415") and not fields.get("36633"):
        pairs.append(("7071", "172", "MYK_VAL_7071"))
    for orid, other, code in pairs:
        left, right = _amount(fields, orid), _amount(fields, other)
        if left is not None and right is not None and abs(left - right) > 2:
            text = f"orid {orid} ({left}) differs from orid {other} ({right}) by more than 2."
            issues.append(issue(code, text, orid, severity=2))
    issues += _check_period(fields)
    if attachments == 0 and _needs_attachment(fields):
        issues.append(issue("VAL_FileAttachments", "Upload the files under Vedlegg.", None))
    return issues


def _check_period(fields):
    try:
        start = date.fromisoformat(fields["17103"])
        end = date.fromisoformat(fields["17104"])
    except (KeyError, ValueError):
        return [issue("VAL_17103", "The accounting period is missing or invalid.", "17103")]
    if end <= start or _months(start, end) > MAX_PERIOD_MONTHS:
        return [issue("VAL_17104", "The accounting period is not consistent.", "17104")]
    if fields.get("17102") != str(end.year):
        return [issue("VAL_17102", "The accounting year is not the period's end year.", "17102")]
    return []


def _needs_attachment(fields):
    org_form = fields.get("756")
    return (
        fields.get("8079") != "ja"
        or org_form in ATTACHMENT_ORG_FORMS
        or (org_form == "AS" and fields.get("34669") != "ja")
        or fields.get("36640") == "ja"
    )


def auto_approvable(fields):
    """Small AS, calendar year, not audited, small-enterprise rules: BRG approves at once."""
    return (
        fields.get("756") == "AS"
        and fields.get("8079") == "ja"
        and fields.get("34669") == "ja"
        and fields.get("17103", "").endswith("-01-01")
        and fields.get("17104", "").endswith("-12-31")
    )


def check_filing(documents, owner_orgnr, attachments):
    issues, fields = check_documents(documents)
    if all(content for _element, content in documents.values()):
        issues += check_rules(fields, owner_orgnr, attachments)
    return issues, fields
