"""BRG's validations, run before anything is sent.

``validate_xsd(kind, xml_bytes)`` checks a built document against the shipped XSD;
``check(filing, today=None, group=None)`` applies the rows of BRG's two "Datavalideringer"
sheets (RR-0002 and RR-0002-U) that the filing data can decide, the official sum formulas, and
the checks the law requires before filing (``brg_rules_law``); with ``group`` (the group
accounts' filing data, regnskapstype K) also the Underskjema's rules on the group's form and
the rules between the forms (``brg_rules_group``). docs/brg-validation-rules.md lists every row of
both sheets with where it is implemented or why it does not apply.

Severity follows BRG's id: ``VAL_*`` is an error, ``MYK_VAL_*`` (also ``_MYK_VAL_*``) a warning;
our own rules (``ORGNR``, ``SUM_<code>``, ``LAW_*``, ``ANSWER_*``, ``NOTES_ATTACHMENT``) say
theirs. Messages are BRG's Norwegian wording ("Melding i Altinn: NOB" of the RR-0002 sheet; the
longer "Skjermtips" of the RR-0002-U sheet, whose columns are swapped).

BRG makes "251 = 219 within 2 kroner" and "7071 = 172 within 2 kroner" soft (MYK_VAL_251,
MYK_VAL_7071) and so do we; the statements engine reports an unbalanced balance sheet as the
blocking finding ``BALANCE_MISMATCH``, and ``SUM_<code>`` here blocks any sum that does not
match its formula (checked on the exact amounts, before rounding).

Implemented: VAL_756 (allowed org forms, and against the registered form), val_18, VAL_17102,
VAL_17103, VAL_17104 (all five rows), MYK_VAL_17104, _MYK_VAL_17103, VAL_4168 (required; not
ENK/NUF), VAL_25943 (both rows), VAL_36640, VAL_8079, _MYK_VAL_8079, VAL_25021,
_MYK_VAL_25021, VAL_36639, _MYK_VAL_36639, VAL_RegnskapsoppsettKonsernIFRS, _MYK_VAL_25945,
VAL_36641, _MYK_VAL_36641, VAL_17105 (all three rows), VAL_19023, _MYK_VAL_35172, VAL_19022,
VAL_34669 (both rows), VAL_34670, VAL_34671, VAL_FileAttachments (all three rows), VAL_34984,
MYK_VAL_34984, VAL_172, VAL_219, VAL_251, MYK_VAL_251, MYK_VAL_7071, VAL_9686, MYK_VAL_9686,
MYK_VAL_20488 (AS and ASA, empty and below minimum), VAL_37444, VAL_37467 (both rows), and
the two unnamed rows about the group accounts form (``brg_rules_group``: a form of type K
exactly when the parent announces group accounts).

Not implemented:
- VAL_28974, MYK_VAL_28974, VAL_72, VAL_219 "too large", MYK_VAL_219, _MYK_VAL_72: all about
  the denomination T/M; the builder always files valør H (whole kroner). MYK_VAL_219 and
  _MYK_VAL_72 (the audit thresholds) are checked for valør H as LAW_ASL_7_6_3.
- VAL_40310, VAL_40311, VAL_40312, VAL_40313 (sustainability reporting, LEI): only asked when
  40309 is "ja", which the product never files.

Interpretations: VAL_37444's formula names 37444 and 37443 the wrong way round (37443 is the
yes/no, 37444 the text), we apply what its message says. VAL_9686's formula keys on 25943 =
nei, but its message says "not a parent company" and a small parent may skip group accounts,
so we key it on 4168 (morselskap) = nei.
"""

from datetime import date
from functools import cache

from lxml import etree

from . import (
    brg_rules_group,
    brg_rules_hovedskjema,
    brg_rules_law,
    brg_rules_underskjema,
    brg_schema,
)
from .brg_issue import Issue

__all__ = ["Issue", "check", "validate_xsd"]

RULE_SETS = (
    brg_rules_hovedskjema.company,
    brg_rules_hovedskjema.period,
    brg_rules_hovedskjema.group,
    brg_rules_hovedskjema.accounting_rules,
    brg_rules_hovedskjema.approval,
    brg_rules_hovedskjema.audit_and_attachments,
    brg_rules_underskjema.header,
    brg_rules_underskjema.statement,
    brg_rules_underskjema.sums,
    brg_rules_underskjema.notes,
    brg_rules_law.registered_party,
    brg_rules_law.audit,
    brg_rules_law.size,
    brg_rules_law.attachments,
    brg_rules_law.answers,
)


@cache
def _xml_schema(kind):
    return etree.XMLSchema(etree.parse(str(brg_schema.xsd_path(kind))))


def validate_xsd(kind, xml_bytes):
    """Messages of every schema violation of ``xml_bytes``; empty when it is valid."""
    schema = _xml_schema(kind)
    try:
        document = etree.fromstring(xml_bytes)
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def check(filing, today=None, group=None) -> list[Issue]:
    """Every issue BRG would raise on ``filing`` and, when given, the group accounts that go
    with it (see the module docstring for the list)."""
    today = today or date.today()
    issues = [found for rule_set in RULE_SETS for found in rule_set(filing, today)]
    return issues + list(brg_rules_group.forms(filing, group, today))
