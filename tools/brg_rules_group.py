"""BRG's rules about the group accounts (konsernregnskap): the two unnamed rows of the RR-0002-U
Datavalideringer sheet (31 and 32), which compare the Hovedskjema's answers with the
Underskjema forms attached, and the Underskjema's own rules run on the group's form.

``forms(filing, group, today)`` yields the cross-form issues; ``group`` is the group's filing
data (regnskapstype K, orid 25942) or None when no group form goes with the filing. BRG gives
the two rows no id: ours are the simulator's (``VAL_Konsernregnskap``,
``VAL_Konsernregnskap_ikke_mor``). Messages are the rows' "Skjermtips" (the columns of that
sheet are swapped, see ``brg_validation``).
"""

from dataclasses import replace

from . import brg_rules_underskjema
from .brg_issue import issue

GROUP_ACCOUNTS_TYPE = "K"
# The Underskjema's rules that read the form itself, run on the group's form too.
FORM_RULES = (
    brg_rules_underskjema.header,
    brg_rules_underskjema.statement,
    brg_rules_underskjema.sums,
    brg_rules_underskjema.notes,
)
PREFIX = "Konsernregnskap: "


def forms(filing, group, today):
    answers = filing["group"]
    announced = answers.get("group_accounts") is True
    if announced and group is None:
        # row 31: 25943 = ja and no form of regnskapstype K attached
        yield issue(
            "VAL_Konsernregnskap",
            "25943",
            "Du må velge om virksomheten skal sende inn konsernregnskap.",
            "Group accounts are announced (25943), but no group accounts form goes with them.",
        )
    if group is None:
        return
    if answers.get("parent_company") is not True or not announced:
        # row 32: a form of type K while 4168 = nei, or 4168 = ja and 25943 = nei
        yield issue(
            "VAL_Konsernregnskap_ikke_mor",
            "25942",
            "Du skal ikke legge ved konsernregnskap, da virksomheten ikke er morselskap.",
            "Group accounts go only with a parent company that announces them.",
        )
    if (group.get("accounts_type") or "S") != GROUP_ACCOUNTS_TYPE:
        yield issue(
            "GROUP_ACCOUNTS_TYPE",
            "25942",
            "Konsernregnskapet må ha regnskapstype K.",
            "The group accounts form must have accounts type K.",
            severity="error",
        )
    for rule_set in FORM_RULES:
        for found in rule_set(group, today):
            yield replace(
                found,
                message=PREFIX + found.message,
                message_en=f"Group accounts: {found.message_en}",
            )
