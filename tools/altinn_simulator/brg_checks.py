"""The simulator's own checks of a filing, as the BRG app runs them before signing.

Written independently of the product's XML builders: a few of BRG's validations from its
design sheets (``*Datavalideringer.tsv``), on the field codes (orid) read from the ``orid``
attribute BRG puts on every element. Severity 1 = error, 2 = warning. No XSD check: BRG's own
TT02 documents (Postman environment) carry ``altinnRowId`` attributes and elements outside
data/brreg's XSD, so the app's model does not hold them to it.
"""

from datetime import date

from lxml import etree

# VAL_FileAttachments: these forms always need the notes/auditor's report as a file.
ATTACHMENT_ORG_FORMS = {"ASA", "SF", "BBL", "BRL", "VPFO", "STI", "SE"}
MAX_PERIOD_MONTHS = 18
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


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


def check_documents(forms):
    """``forms``: ``[(data type, element id, bytes)]`` in the instance's order. Returns
    (fields, kinds): the fields of the Hovedskjema and the company accounts (regnskapstype
    S), and the regnskapstype (orid 25942) of each Underskjema. A form never uploaded gives
    no fields, so BRG's rules on required fields speak for it."""
    fields, kinds = {}, []
    for data_type, _element_id, content in forms:
        found = read_fields(content) if content else {}
        if data_type == "Underskjema":
            kinds.append(found.get("25942"))
            if found.get("25942") == "K":
                continue  # the group's figures are not the company's
        fields.update({k: v for k, v in found.items() if k not in fields})
    return fields, kinds


def check_group(fields, kinds):
    """RR-0002-U Datavalideringer rows 31 and 32 (no rule id in BRG's sheet; the codes are
    the simulator's): group accounts (an Underskjema with regnskapstype K) are there exactly
    when the Hovedskjema says konsernregnskap (25943) = ja for a parent (4168 = ja)."""
    has_group = "K" in kinds
    if fields.get("25943") == "ja" and not has_group:
        return [
            issue(
                "VAL_Konsernregnskap",
                "Du må velge om virksomheten skal sende inn " "konsernregnskap.",
                "25943",
            )
        ]
    if has_group and (fields.get("4168") != "ja" or fields.get("25943") != "ja"):
        return [
            issue(
                "VAL_Konsernregnskap_ikke_mor",
                "Du skal ikke legge ved " "konsernregnskap, da virksomheten ikke er morselskap.",
                "25942",
            )
        ]
    return []


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


def check_filing(forms, owner_orgnr, attachments):
    fields, kinds = check_documents(forms)
    issues = check_rules(fields, owner_orgnr, attachments) + check_group(fields, kinds)
    return issues, fields


def instance_issues(inst, data_types):
    """What app-lib's validators and BRG's find on an instance (state lock held): the data
    types' counts (``DefaultInstanceValidator``-style TooFew/TooMany), each element's
    content type, size and virus scan (``DefaultDataElementValidator``), and BRG's own
    checks of the forms. Returns (issues, fields)."""
    inst.refresh_scans()
    issues = []
    for data_type, spec in data_types.items():
        count = len(inst.elements(data_type))
        if count < spec.get("minCount", 0):
            issues.append(issue("TooFewDataElementsOfType", data_type, data_type))
        if spec.get("maxCount", 0) and count > spec["maxCount"]:
            issues.append(issue("TooManyDataElementsOfType", data_type, data_type))
    for element in inst.doc["data"]:
        spec = data_types.get(element["dataType"], {})
        issues += element_issues(element, spec)
    forms = [
        (d["dataType"], d["id"], inst.contents.get(d["id"], b""))
        for d in inst.doc["data"]
        if data_types.get(d["dataType"], {}).get("form")
    ]
    attachments = len(inst.elements("Vedlegg"))
    found, fields = check_filing(forms, inst.orgnr, attachments)
    return issues + found, fields


def element_issues(element, spec):
    """app-lib ``DefaultDataElementValidator`` for one data element."""
    found, code = [], None
    content_type = (element.get("contentType") or "").split(";")[0]
    allowed = spec.get("allowedContentTypes") or []
    if allowed and content_type.lower() not in [a.lower() for a in allowed]:
        code = "ContentTypeNotAllowed"
    elif spec.get("maxSize") and element.get("size", 0) > spec["maxSize"] * 1024 * 1024:
        code = "DataElementTooLarge"
    if code:
        found.append(issue(code, code, element["dataType"], element["id"]))
    scan = element.get("fileScanResult")
    if spec.get("enableFileScan") and scan == "Infected":
        found.append(
            issue(
                "DataElementFileInfected",
                "DataElementFileInfected",
                element["dataType"],
                element["id"],
            )
        )
    if (
        spec.get("enableFileScan")
        and spec.get("validationErrorOnPendingFileScan")
        and (scan == "Pending")
    ):
        found.append(
            issue(
                "DataElementFileScanPending",
                "DataElementFileScanPending",
                element["dataType"],
                element["id"],
            )
        )
    return found
