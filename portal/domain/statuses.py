"""The vocabulary of applications: which service, and where in its life an application is.

Plain strings (StrEnum), so the domain, the blueprints and the templates compare against them
without touching the database layer; portal.core.models stores them. Each journey's definition
(portal/<journey>/definition.py) says which of these it uses and what they mean to a citizen.
"""

from __future__ import annotations

from enum import StrEnum


class Service(StrEnum):
    RESIDENCE = "residence"
    HOUSING = "housing"


class AppStatus(StrEnum):
    DRAFT = "draft"
    # residence registration (SPEC §1)
    AWAITING_CONSENT = "awaiting_consent"
    REGISTERED = "registered"
    REJECTED = "rejected"
    # the housing waiting list (SPEC §2)
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    PRELIMINARY_REFUSAL = "preliminary_refusal"
    IN_QUEUE = "in_queue"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
