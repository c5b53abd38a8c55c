"""The office's rules, pure: when an item is overdue, how many working days are left, the order
of the work list, which complaints await the head."""

from __future__ import annotations

import datetime as dt

from portal.domain.housing import office as rules

FRIDAY = dt.date(2026, 11, 27)


def test_an_item_is_overdue_from_the_day_after_its_due_day():
    assert rules.urgency(FRIDAY, FRIDAY) == rules.Urgency(FRIDAY, 0, False)
    thursday = FRIDAY - dt.timedelta(days=1)
    assert rules.urgency(FRIDAY, thursday) == rules.Urgency(FRIDAY, 1, False)
    saturday = FRIDAY + dt.timedelta(days=1)
    assert rules.urgency(FRIDAY, saturday) == rules.Urgency(FRIDAY, 0, True)  # a day off
    monday = FRIDAY + dt.timedelta(days=3)
    assert rules.urgency(FRIDAY, monday) == rules.Urgency(FRIDAY, -1, True)


def test_the_work_list_puts_overdue_first_then_the_earliest_due_day():
    today = dt.date(2026, 11, 30)
    data = {"settlement": "almaty", "complaints": [
        {"body": "provider_head", "due": "2026-11-27", "text": "late"},
        {"body": "quality_authority", "due": "2026-11-20", "text": "not ours"},
        {"body": "provider_head", "due": "2026-11-27", "text": "done",
         "answered_at": "2026-11-26T10:00:00+05:00"},
    ], "decision_due": "2026-12-02"}
    review = rules.items_of(1, "H-1", "under_review", data, today, include_complaints=True)
    assert [(i.kind, i.complaint_index, i.urgency.overdue) for i in review] == [
        (rules.Kind.EMERGENCY_REVIEW, None, False), (rules.Kind.COMPLAINT, 0, True)]
    hearing = rules.items_of(2, "H-2", "preliminary_refusal",
                             {"hearing_at": "2026-12-01T10:00:00+05:00"}, today,
                             include_complaints=False)
    ordered = sorted(review + hearing, key=rules.sort_key)
    assert [(i.application_id, i.kind) for i in ordered] == [
        (1, rules.Kind.COMPLAINT), (2, rules.Kind.HEARING), (1, rules.Kind.EMERGENCY_REVIEW)]
    assert rules.items_of(1, "H-1", "under_review", data, today, include_complaints=False) == \
        review[:1]


def test_a_complaint_names_only_what_the_application_has():
    """[002 p.18]: a decision, an action, a delay; an entry on the list has none of them."""
    S = rules.ComplaintSubject
    today = dt.date(2026, 11, 30)
    assert rules.complaint_subjects("in_queue", None, today) == []
    assert rules.complaint_subjects("withdrawn", None, today) == []
    assert rules.complaint_subjects("refused", None, today) == [S.DECISION, S.ACTION]
    assert rules.complaint_subjects("under_review", today, today) == [S.ACTION]  # due today
    assert rules.complaint_subjects("under_review", FRIDAY, today) == [S.ACTION, S.DELAY]
    assert rules.complaint_subjects("submitted", FRIDAY, today) == [S.DELAY]


def test_a_complaint_to_the_authority_is_forwarded_or_satisfied_within_its_due_day():
    """[002 p.19]: 3 working days to forward, unless satisfied fully in them."""
    complaints = [
        {"body": "quality_authority", "forward_due": "2026-12-18", "due": "2027-01-08"},
        {"body": "quality_authority", "forward_due": "2026-12-18", "forwarded_at": "x"},
        {"body": "quality_authority", "forward_due": "2026-12-18", "answered_at": "x"},
        {"body": "provider_head", "due": "2026-12-21"},
    ]
    assert [i for i, _c in rules.open_forwards(complaints)] == [0]
    assert rules.may_satisfy_instead_of_forwarding(complaints[0], dt.date(2026, 12, 18))
    assert not rules.may_satisfy_instead_of_forwarding(complaints[0], dt.date(2026, 12, 19))
    items = rules.items_of(1, "H-1", "preliminary_refusal", {"complaints": complaints},
                           dt.date(2026, 12, 21), include_complaints=True)
    assert [(i.kind, i.complaint_index, i.urgency.overdue) for i in items] == [
        (rules.Kind.COMPLAINT, 3, False), (rules.Kind.COMPLAINT_FORWARD, 0, True)]
