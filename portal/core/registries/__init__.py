"""The state information systems, behind one interface.

`StateRegistries` is the contract. `LocalRegistries` (demo_registries.local, outside the
production package) is the embedded default: a seeded database that stands in for the
e-government gateway, and says so. A production
adapter implements the same Protocol and passes the same contract tests
(tests/unit/test_registries_contract.py).

Failure: any method may raise RegistryUnavailable when the system behind it does not answer
(gateway down, time-out). Callers show a page that says so and keep what the citizen entered;
they never treat "no answer" as "no record".
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from flask import Flask, current_app
from werkzeug.utils import import_string

from portal.domain.addresses import StreetSuggestion
from portal.domain.housing.facts import HousingFacts
from portal.domain.people import (
    Address,
    Dwelling,
    HousingRecord,
    Person,
    Relation,
    ServiceCentre,
)


class RegistryUnavailable(Exception):
    """A state information system did not answer; try again later. Not "unknown": an adapter
    raises this instead of returning None when it could not ask."""


class StateRegistries(Protocol):
    # population registry (with the mobile citizens' database for phones)
    def person(self, iin: str) -> Person | None: ...

    def relations(self, applicant_iin: str) -> list[Relation]:
        """Children (as PARENT) and wards (as GUARDIAN) the registry links to the applicant."""
        ...

    # address registry
    def search_addresses(self, query: str, limit: int = 20) -> list[Address]:
        """Addresses whose street (any of its names, kk or ru, in Cyrillic or Latin, with
        Kazakh letters folded: portal.domain.addresses) matches `query`, with the house and
        flat it gives; the best-matching street first."""
        ...

    def address_suggestions(self, query: str, limit: int = 5) -> list[StreetSuggestion]:
        """"Did you mean": the streets nearest to `query` (a looser match than the search's),
        for when no address matches it."""
        ...

    def address(self, address_id: int) -> Address | None: ...

    # real-estate registry and state-housing leases
    def dwelling(self, address_id: int) -> Dwelling | None:
        """Who owns the dwelling at this address (or which lease it is under); None if unknown."""
        ...

    def register_residence(self, iin: str, address_id: int, on: dt.datetime) -> None:
        """Write the new registered address; the old one goes to the history."""
        ...

    def residence_history(self, iin: str) -> list[tuple[Address, dt.date, dt.date | None]]: ...

    # housing: unified queue base, ownership history, mortgages, privatisation
    def housing_record(self, iin: str) -> HousingRecord | None: ...

    def housing_facts(self, iin: str) -> HousingFacts | None:
        """Everything the housing waiting list reads about `iin` (the person to be registered)
        and their family, as of today; None for an unknown IIN. Field by field:

        - applicant: the population registry's person (as `person`);
        - history.ownership: the real-estate registry's titles still held on the day five years
          ago or acquired since, plus any older one privatised from the state fund or bought
          with a state-programme mortgage (no time limit for those);
        - history.registrations: the residence history, one period per address, by settlement;
        - history.queue_places: places on the unified e-base or a housing centre's base;
        - history.had_state_rental: ever housed from the state fund or by the akimat (the
          unified base's flag, or named in a state rental lease);
        - history.worsening: recorded worsening of housing conditions;
        - family: the registry's family links (spouse, children, parents), each with their own
          history; minor children and wards linked as PARENT count as children;
        - is_citizen, parental_care (+ care_lost_on), confirmed_categories: the population
          registry's citizenship, the parental-care status, and the categories the social
          databases confirm (catalogue codes of portal.domain.housing.categories).
        """
        ...

    # public service centres (reference data the portal shows for offline cases)
    def service_centres(self, settlement_code: str | None = None) -> list[ServiceCentre]: ...


def init_app(app: Flask) -> None:
    """REGISTRIES: an adapter, or its class as "package.module:Class" (PORTAL_REGISTRIES).
    Unset: the demo stand-in; portal.config.check_production refuses that in production before
    this runs, and it has no tables until `flask demo seed` makes them."""
    adapter = app.config.get("REGISTRIES")
    if isinstance(adapter, str):
        adapter = import_string(adapter.replace(":", "."))()
    if adapter is None:  # the demo stand-in, imported only when it is the one in use
        from demo_registries.local import LocalRegistries

        adapter = LocalRegistries()
    app.extensions["registries"] = adapter


def registries() -> StateRegistries:
    return current_app.extensions["registries"]
