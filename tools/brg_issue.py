"""One finding of BRG's validations (see ``brg_validation``)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    rule_id: str  # BRG's id (VAL_172, MYK_VAL_251, ...) or ours (ORGNR, SUM_<code>, LAW_*)
    severity: str  # "error" or "warning"
    field: str  # orid
    message: str  # BRG's Norwegian (bokmål) wording
    message_en: str = ""


def issue(rule_id, field, message, message_en="", severity=None):
    """An Issue whose severity follows BRG's id (MYK_VAL_*, also _MYK_VAL_*, warns) unless
    given: our own rules name theirs."""
    severity = severity or ("warning" if "MYK_VAL" in rule_id else "error")
    return Issue(rule_id, severity, field, message, message_en)
