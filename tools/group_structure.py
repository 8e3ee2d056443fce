"""Who is in the group: the parent and the companies it controls, directly or through other
subsidiaries (regnskapsloven § 1-3: control as the holder of the majority of the votes).

Ownership is what ``res.partner`` records (one holder per company, its shares and votes, as at
the year end), handed in as plain data by partner id. A link is control when the holder's
votes, or its shares when no votes are recorded, are above 50 %. Combined holdings (the parent
30 % and a subsidiary 30 % of the same company) cannot be recorded there, so they are not seen.
"""

from dataclasses import dataclass
from decimal import Decimal

CONTROL = Decimal(50)
HUNDRED = Decimal(100)


class GroupStructureError(ValueError):
    """The ownership cannot be read as a group (a cycle)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Link:
    partner: int
    name: str
    holder: int | None  # the partner holding it
    shares_pct: Decimal
    votes_pct: Decimal


@dataclass(frozen=True)
class Member:
    partner: int
    company: int  # the company in this database
    name: str
    holder: int | None  # the holding member's company (None for the parent)
    shares_pct: Decimal
    votes_pct: Decimal
    effective_pct: Decimal  # the parent's share through the chain
    level: int

    @property
    def shares(self):
        """The holder's share as a fraction (the minority has the rest)."""
        return self.shares_pct / HUNDRED


def controls(link):
    return (link.votes_pct or link.shares_pct) > CONTROL


def group_members(parent_partner, links, companies):
    """``(members, findings)``: the parent first, then its subsidiaries top down.

    ``links``: ``{partner: Link}`` of the parent and every partner whose holder is known;
    ``companies``:
    ``{partner: company}`` for the partners that are companies in this database. A controlled
    partner that is no company here is a finding (``OUTSIDE_DATABASE``): it and what it holds
    are not consolidated. Raises ``GroupStructureError("CYCLE")`` when ownership loops.
    """
    children = {}
    for link in links.values():
        children.setdefault(link.holder, []).append(link)
    name = links[parent_partner].name
    members = [
        Member(parent_partner, companies[parent_partner], name, None, HUNDRED, HUNDRED, HUNDRED, 0)
    ]
    findings, seen, queue = [], {parent_partner}, [members[0]]
    while queue:
        holder = queue.pop(0)
        for link in sorted(children.get(holder.partner, []), key=lambda x: (x.name, x.partner)):
            if not controls(link):
                continue  # an associate or an investment, not a subsidiary
            if link.partner in seen:
                raise GroupStructureError("CYCLE", name=link.name)
            seen.add(link.partner)
            if link.partner not in companies:
                findings.append(
                    {
                        "severity": "warning",
                        "code": "OUTSIDE_DATABASE",
                        "params": {
                            "name": link.name,
                            "holder": holder.name,
                            "shares": link.shares_pct,
                        },
                    }
                )
                continue
            member = Member(
                link.partner,
                companies[link.partner],
                link.name,
                holder.company,
                link.shares_pct,
                link.votes_pct,
                (holder.effective_pct * link.shares_pct / HUNDRED).quantize(Decimal("0.01")),
                holder.level + 1,
            )
            members.append(member)
            queue.append(member)
    return members, findings
