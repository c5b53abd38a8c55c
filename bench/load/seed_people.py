"""Extra people for the load and fault runs, in the stand-in registries of a running shape:

- `owners`: each owns a flat of their own, and is registered nowhere yet (registering there is
  instant, no consent; someone already registered at the address is refused, rule 6);
- `pairs`: a tenant and the sole owner of a flat (the tenant's application waits for the owner's
  consent by SMS code).

The demo world has about 30 people; 200 concurrent submissions need 200 applicants, and the
sign-in limits (10 codes an hour a phone) must not be what the run measures. Idempotent: a second
run finds the rows again. Prints (and writes with --out) a JSON list the load clients read.

    scripts/prod-shape.sh flask ... is not needed: run it with the shape's settings, e.g.
    (eval "$(scripts/prod-shape.sh env)"; .venv/bin/python bench/load/seed_people.py --owners 220)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from demo_registries.models import (  # noqa: E402
    RegAddress,
    RegOwnership,
    RegPerson,
    RegStreetName,
    RegStreetWord,
    street_search_text,
)
from portal import create_app  # noqa: E402
from portal.domain import iin as iin_rules  # noqa: E402
from portal.extensions import db  # noqa: E402


def person(i: int, role: str) -> RegPerson:
    born = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
    serial = 3000 + i * 10 + (5 if role == "o" else 0)
    number = iin_rules.make(born, "M" if i % 2 else "F", serial=serial)
    found = db.session.get(RegPerson, number)
    if found:
        return found
    row = RegPerson(iin=number, surname=f"Жүктеме{role.upper()}", given_name=f"Адам{i}",
                    patronymic=None, birth_date=born, sex="M" if i % 2 else "F",
                    phone=f"+7705{9 if role == 'o' else 8}{i:06d}")
    db.session.add(row)
    return row


def street_names(street: str) -> None:
    """The street's Kazakh and Russian names in the address registry's search (as `flask demo
    seed` writes them), so the citizens' typed search finds its flats."""
    type_words = dict(db.session.execute(
        sa.select(RegStreetWord.word, RegStreetWord.meaning)).all())
    street_kk, street_ru = f"{street} көшесі", f"улица {street}"
    for name in (street_kk, street_ru):
        if db.session.scalar(sa.select(RegStreetName.id).filter_by(
                settlement_code="almaty", street_kk=street_kk, name=name)):
            continue
        search, street_type = street_search_text(name, type_words)
        db.session.add(RegStreetName(settlement_code="almaty", street_kk=street_kk,
                                     street_ru=street_ru, name=name, street_type=street_type,
                                     search=f" {search} "))


def flat(street: str, i: int) -> RegAddress:
    found = db.session.scalar(sa.select(RegAddress).filter_by(
        settlement_code="almaty", street_kk=f"{street} көшесі", house=str(i), flat="1"))
    if found:
        return found
    row = RegAddress(settlement_code="almaty", street_kk=f"{street} көшесі",
                     street_ru=f"улица {street}", house=str(i), flat="1")
    db.session.add(row)
    db.session.flush()
    return row


def own(owner: RegPerson, address: RegAddress) -> None:
    exists = db.session.scalar(sa.select(RegOwnership.id).filter_by(
        owner_iin=owner.iin, address_id=address.id))
    if not exists:
        db.session.add(RegOwnership(address_id=address.id, owner_iin=owner.iin,
                                    acquired=dt.date(2015, 3, 1), disposed=None))


def seed(owners: int, pairs: int) -> dict:
    out = {"owners": [], "pairs": []}
    for street in ("Жүктеме", "Келісім"):
        street_names(street)
    for i in range(owners):
        p = person(i, "o")
        db.session.flush()
        a = flat("Жүктеме", i)
        own(p, a)
        p.registered_address_id = None
        out["owners"].append({"iin": p.iin, "phone": p.phone, "address_id": a.id,
                              "search": f"Жүктеме {i} 1"})
    for j in range(pairs):
        owner = person(1000 + j, "o")
        tenant = person(1000 + j, "t")
        db.session.flush()
        a = flat("Келісім", j)
        own(owner, a)
        out["pairs"].append({"iin": tenant.iin, "phone": tenant.phone, "address_id": a.id,
                             "search": f"Келісім {j} 1", "owner_iin": owner.iin,
                             "owner_phone": owner.phone})
    db.session.commit()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owners", type=int, default=220)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--out")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        people = seed(args.owners, args.pairs)
    text = json.dumps(people, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(f"seeded {len(people['owners'])} owner-occupiers and {len(people['pairs'])} "
          "tenant/owner pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
