"""Data for the load test: the trust's strategy, STAFF action owners (each owning two actions, half of
them public), an executive lead and two improvement leads, all with one password. Writes who owns what to
a JSON file the load generator reads. Run against a throwaway database only (scripts/with-services.sh
makes one).

    python -m loadtest.seed --staff 50 --password ... --out var/loadtest/people.json

The actions are made as staff make them, through the services (actions.services): created by a lead,
with their history and original due date, and the ones awaiting sign-off logged complete by their owner
with completion evidence. So the data keeps every rule the database and the services hold, whatever rules
are added later. Run again on the same database, it keeps the actions already there.
"""

import argparse
import json
import os
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--to-assure", type=int, default=200, help="complete actions the two leads sign off together")
    args = parser.parse_args()
    if not 1 <= args.staff <= 99 or not 0 <= args.to_assure <= 999:
        parser.error("--staff must be 1 to 99 and --to-assure 0 to 999 (the references have four digits)")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base")
    django.setup()
    from loadtest.seeding import seed

    seeded = seed(staff=args.staff, to_assure=args.to_assure, password=args.password)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(seeded, indent=1))
    people, to_assure = seeded["people"], seeded["to_assure"]
    print(f"seeded {len(people)} owners, {2 * len(people)} actions and {len(to_assure)} to assure -> {args.out}")


if __name__ == "__main__":
    main()
