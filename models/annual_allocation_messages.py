from odoo import _, api, models

from ..tools.amounts import MAX_AMOUNT

LIMIT = f"{MAX_AMOUNT:f}"


class AnnualAllocation(models.Model):
    """Translated messages for the codes and figures of tools/allocation_law.py, which
    stays language-neutral."""

    _inherit = "annual.allocation"

    @api.model
    def _input_error_message(self, errors):
        texts = {
            "unknown": _("unknown field"),
            "mismatch": _("does not match the allocation's company or year"),
            "not_a_number": _("not an amount"),
            "negative": _("must not be negative"),
            "too_large": _("larger than the limit %(limit)s", limit=LIMIT),
            "too_many_decimals": _("at most two decimals"),
            "not_an_id": _("not a record id"),
            "not_a_boolean": _("must be true or false"),
            "not_a_string": _("must be a text"),
            "not_an_object": _("must be an object"),
            "not_a_list": _("must be a list"),
            "missing": _("required"),
            "debit_and_credit": _("a line is either a debit or a credit"),
            "zero": _("a line needs a debit or a credit"),
            "too_few": _("a final entry needs at least two lines"),
            "unbalanced": _("the debits and credits do not balance"),
            "unknown_account": _("no such account in the company's chart of accounts"),
            "deprecated_account": _("the account is deprecated"),
            "unknown_partner": _("no such partner for this company"),
        }
        return _(
            "Invalid allocation: %(errors)s",
            errors="; ".join(f"{field}: {texts.get(code, code)}" for field, code in errors),
        )

    @api.model
    def _check_message(self, check):
        """One line saying what a group-contribution check found."""
        figures = self.env["annual.allocation"].browse()._fmt
        data = check["figures"]
        key = check["key"]
        if key == "recipient":
            return (
                _("The recipient is another company.")
                if check["passed"]
                else _("A group contribution needs a recipient other than the company itself.")
            )
        if key == "norwegian_limited_companies":
            return _(
                "Giver %(giver)s, recipient %(recipient)s: both must be Norwegian AS or ASA.",
                giver=self._party_text(data["giver"]),
                recipient=self._party_text(data["recipient"]),
            )
        if key == "group_ownership":
            Partner = self.env["res.partner"]
            links = ", ".join(
                self.env._(
                    "%(parent)s owns %(shares)s %% of the shares and %(votes)s %% of the votes"
                    " in %(child)s",
                    parent=Partner.browse(link["parent_id"]).display_name,
                    child=Partner.browse(link["child_id"]).display_name,
                    shares=link["shares_pct"],
                    votes=link["votes_pct"],
                )
                for link in data["links"]
            )
            return _(
                "More than %(threshold)s %% of shares and votes required (skatteloven § 10-4):"
                " %(links)s.",
                threshold=data["threshold_pct"],
                links=links or _("no ownership recorded"),
            )
        if key == "dividend_capacity":
            return _(
                "Dividend %(dividend)s and group contribution %(amount)s make %(total)s;"
                " the lawful maximum is %(maximum)s (aksjeloven § 8-5).",
                dividend=figures(data["dividend"]),
                amount=figures(data["group_contribution"]),
                total=figures(data["total_distribution"]),
                maximum=figures(data["max_dividend"]),
            )
        return _(
            "%(deductible)s of the contribution is deductible; taxable income %(taxable)s"
            " (%(basis)s, skatteloven § 10-2).",
            deductible=figures(data["deductible"]),
            taxable=figures(data["taxable_income"]),
            basis=_("entered") if data["source"] == "entered" else _("result before tax"),
        )

    @api.model
    def _party_text(self, party):
        if not party:
            return _("none")
        return f"{party['org_form'] or '?'} ({party['country_code'] or '?'})"

    @api.model
    def _refusal_message(self, refusals, group_contribution):
        messages = {check["key"]: check["message"] for check in group_contribution["checks"]}
        fmt = self.env["annual.allocation"].browse()._fmt
        reasons = []
        for refusal in refusals:
            code, data = refusal["code"], refusal["figures"]
            if code == "board_confirmation_missing":
                reasons.append(
                    _(
                        "structured_data.board_confirmation: the board has not confirmed that"
                        " equity and liquidity remain sound after the distribution"
                        " (aksjeloven § 8-1 (4) and § 3-4)."
                    )
                )
            elif code == "dividend_exceeds_maximum":
                reasons.append(
                    _(
                        "structured_data.dividend: the dividend %(dividend)s exceeds the lawful"
                        " maximum %(maximum)s (aksjeloven § 8-1).",
                        dividend=fmt(data["dividend"]),
                        maximum=fmt(data["max_dividend"]),
                    )
                )
            else:
                key = code.removeprefix("group_contribution_")
                reasons.append(
                    _("structured_data.group_contribution: %(reason)s", reason=messages[key])
                )
        return _("The final allocation is refused:\n%(reasons)s", reasons="\n".join(reasons))
