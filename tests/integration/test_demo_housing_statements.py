"""The stand-in housing registry reads a family's histories together: the check page asks it on
every view, so its statements must not grow with the family (one read per table, not per
person and table)."""

from __future__ import annotations

import sqlalchemy as sa

from demo_registries.local import LocalRegistries
from demo_registries.seed import DEMO_PEOPLE
from portal.extensions import db

IIN = {d["key"]: d["iin"] for d in DEMO_PEOPLE}


def facts_and_statements(iin: str):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    db.session.remove()  # nothing from an earlier read in the identity map
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        facts = LocalRegistries().housing_facts(iin)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return facts, statements


def test_a_familys_histories_cost_what_one_persons_does(seeded):
    alone, alone_statements = facts_and_statements(IIN["no_housing"])
    family, family_statements = facts_and_statements(IIN["parent_of_teen"])
    assert alone.family == () and len(family.family) >= 2, family.family
    assert len(family_statements) == len(alone_statements), family_statements


def test_each_member_keeps_their_own_history(seeded):
    facts, _ = facts_and_statements(IIN["spouse_owner"])
    for member in facts.family:
        own, _ = facts_and_statements(member.person.iin)
        assert member.history == own.history
    assert any(m.history.ownership for m in facts.family)  # the spouse who owns: not empty
