"""Who is in the group (regnskapsloven § 1-3): control above 50 % of the votes, or of the
shares when no votes are recorded, directly or through other subsidiaries."""

from decimal import Decimal

import pytest

from tools.group_structure import GroupStructureError, Link, group_members

D = Decimal


def link(partner, holder, shares, votes=0, name=None):
    return Link(partner, name or f"P{partner}", holder, D(shares), D(votes))


def test_control_direct_and_through_a_subsidiary():
    links = {
        1: link(1, None, 0, name="Mor AS"),
        2: link(2, 1, 100),
        3: link(3, 1, 80),
        4: link(4, 3, 60),  # through P3: the parent's share is 48 %
        5: link(5, 1, 50),  # exactly half: no control
        6: link(6, 1, 40, votes=51),  # votes decide
    }
    companies = {p: p * 10 for p in links}
    members, findings = group_members(1, links, companies)
    assert [(m.company, m.holder, m.effective_pct, m.level) for m in members] == [
        (10, None, D(100), 0),
        (20, 10, D(100), 1),
        (30, 10, D(80), 1),
        (60, 10, D(40), 1),
        (40, 30, D("48.00"), 2),
    ]
    assert members[2].shares == D("0.8")
    assert findings == []


def test_a_subsidiary_outside_the_database_is_reported_with_what_it_holds_left_out():
    links = {1: link(1, None, 0), 2: link(2, 1, 100, name="Utenfor AS"), 3: link(3, 2, 100)}
    members, findings = group_members(1, links, {1: 10, 3: 30})
    assert [m.company for m in members] == [10]
    assert findings == [
        {
            "severity": "warning",
            "code": "OUTSIDE_DATABASE",
            "params": {"name": "Utenfor AS", "holder": "P1", "shares": D(100)},
        }
    ]


def test_ownership_in_a_circle_is_refused():
    links = {1: link(1, 2, 100), 2: link(2, 1, 100, name="Sirkel AS")}
    with pytest.raises(GroupStructureError) as caught:
        group_members(1, links, {1: 10, 2: 20})
    assert (caught.value.code, caught.value.params) == ("CYCLE", {"name": "P1"})
