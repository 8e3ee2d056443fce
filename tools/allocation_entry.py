"""The year-end allocation entry: how the result is allocated, and the suggested lines.

Plain Python, no ``odoo`` import; amounts are ``Decimal``. The accounts are NS 4102's, which
the statement engine maps onto BRG's allocation rows (8920 -> 6112, 8935 -> 36636, ...).
"""

from .allocation_inputs import ZERO, line_amount, snapshot_lines

# BRG field codes read from the snapshot.
YEAR_RESULT = "172"
OTHER_EQUITY = "3274"
UNCOVERED_LOSS = "249"

# Norwegian accounts (NS 4102) of the allocation entry.
ACCOUNT_DIVIDEND = "8920"
ACCOUNTS_DIVIDEND = ("8920", "8921", "8922")
ACCOUNT_DIVIDEND_PAYABLE = "2800"
ACCOUNT_GC_GIVEN = "8935"
ACCOUNT_GC_GIVEN_DEBT = "2920"
ACCOUNT_GC_RECEIVED = "8930"
ACCOUNT_GC_RECEIVED_CLAIM = "1560"
ACCOUNT_OTHER_EQUITY_TRANSFER = "8960"
ACCOUNT_OTHER_EQUITY = "2050"
ACCOUNT_UNCOVERED_LOSS_TRANSFER = "8990"
ACCOUNT_UNCOVERED_LOSS = "2080"


def allocation_plan(snapshot, inputs):
    """How the year's result (plus any received contribution) is allocated.

    The transfer to or from other equity defaults to the remainder; a profit first covers
    an uncovered loss of earlier years, and a loss is covered from other equity as far as
    it reaches (last year's closing balance), the rest becoming uncovered loss.
    """
    lines = snapshot_lines(snapshot)
    result = line_amount(lines, YEAR_RESULT)
    received = inputs["group_contribution_received"]
    remainder = result + received - inputs["dividend"] - inputs["group_contribution"]
    transfer = inputs["other_equity_transfer"]
    if transfer is None:
        if remainder >= ZERO:
            transfer = remainder - min(
                remainder, max(line_amount(lines, UNCOVERED_LOSS, True), ZERO)
            )
        else:
            transfer = -min(-remainder, max(line_amount(lines, OTHER_EQUITY, True), ZERO))
    return {
        "year_result": result,
        "group_contribution_received": received,
        "dividend": inputs["dividend"],
        "group_contribution": inputs["group_contribution"],
        "other_equity_transfer": transfer,
        # positive: the loss left uncovered; negative: an earlier uncovered loss covered.
        "uncovered_loss": transfer - remainder,
    }


def _pair(debit_code, credit_code, amount, description, currency_code, partner_id=None):
    if amount < ZERO:
        debit_code, credit_code, amount = credit_code, debit_code, -amount
    if not amount:
        return []
    return [
        {
            "account_code": code,
            "description": description,
            "debit": amount if code == debit_code else ZERO,
            "credit": amount if code == credit_code else ZERO,
            "currency_code": currency_code,
            "partner_id": partner_id,
        }
        for code in (debit_code, credit_code)
    ]


def suggested_lines(plan, inputs, currency_code):
    """Balanced lines, one debit/credit pair per allocation (NS 4102 accounts)."""
    transfer = plan["other_equity_transfer"]
    loss = plan["uncovered_loss"]
    return [
        *_pair(
            ACCOUNT_DIVIDEND,
            ACCOUNT_DIVIDEND_PAYABLE,
            plan["dividend"],
            "Avsatt utbytte",
            currency_code,
        ),
        *_pair(
            ACCOUNT_GC_GIVEN,
            ACCOUNT_GC_GIVEN_DEBT,
            plan["group_contribution"],
            "Avgitt konsernbidrag",
            currency_code,
            inputs["recipient_business_partner_id"],
        ),
        *_pair(
            ACCOUNT_GC_RECEIVED_CLAIM,
            ACCOUNT_GC_RECEIVED,
            plan["group_contribution_received"],
            "Mottatt konsernbidrag",
            currency_code,
        ),
        *_pair(
            ACCOUNT_OTHER_EQUITY_TRANSFER,
            ACCOUNT_OTHER_EQUITY,
            transfer,
            "Overføring til annen egenkapital"
            if transfer > ZERO
            else "Overføring fra annen egenkapital",
            currency_code,
        ),
        *_pair(
            ACCOUNT_UNCOVERED_LOSS,
            ACCOUNT_UNCOVERED_LOSS_TRANSFER,
            loss,
            "Udekket tap" if loss > ZERO else "Dekning av udekket tap",
            currency_code,
        ),
    ]
