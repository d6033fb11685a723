"""Data for the load test: the trust's strategy, STAFF action owners (each owning two actions, half of
them public) and an executive lead, all with one password. Writes who owns what to a JSON file the
load generator reads. Run against a throwaway database only (scripts/with-services.sh makes one).

    python -m loadtest.seed --staff 50 --password ... --out var/loadtest/people.json
"""

import argparse
import datetime
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

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from actions.models import Action, ActionType, Status
    from pillars.models import Pillar
    from secamb_journey.demo import strategy_seed
    from secamb_journey.roles import Role

    User = get_user_model()
    strategy_seed()
    pillars = list(Pillar.objects.order_by("number"))
    # One hash for everyone: hashing is deliberately slow, and 50 identical hashes would only slow the seed.
    password_hash = make_password(args.password)
    people = []
    with transaction.atomic():
        executive, _ = User.objects.update_or_create(
            username="loadtest-exec",
            defaults={"first_name": "Load", "last_name": "Executive", "password": password_hash},
        )
        executive.groups.add(Group.objects.get(name=Role.BOARD.label))
        owners_group = Group.objects.get(name=Role.OWNER.label)
        today = timezone.localdate()
        for n in range(1, args.staff + 1):
            user, _ = User.objects.update_or_create(
                username=f"loadtest-owner-{n:03d}",
                defaults={
                    "first_name": "Owner",
                    "last_name": f"{n:03d}",
                    "email": f"loadtest-owner-{n:03d}@loadtest.invalid",
                    "password": password_hash,
                },
            )
            user.groups.add(owners_group)
            references = []
            for k in range(2):
                reference = f"IJ-{n * 10 + k + 9000}"
                Action.objects.update_or_create(
                    reference=reference,
                    defaults={
                        "title": f"Load test action {reference}",
                        "description": "Created by the load test.",
                        "action_type": ActionType.IMPROVEMENT,
                        "pillar": pillars[(n + k) % len(pillars)],
                        "owner": user,
                        "executive_lead": executive,
                        "due_date": today + datetime.timedelta(days=30 + n),
                        "is_public": k == 0,
                    },
                )
                references.append(reference)
            people.append({"username": user.username, "actions": references})
        # Two improvement leads who write the same actions as their owners (loadtest/contended.py): the
        # first action of the first three owners, and complete actions that both sign off at once.
        leads_group = Group.objects.get(name=Role.LEAD.label)
        leads = []
        for n in (1, 2):
            lead, _ = User.objects.update_or_create(
                username=f"loadtest-lead-{n}",
                defaults={"first_name": "Lead", "last_name": str(n), "password": password_hash},
            )
            lead.groups.add(leads_group)
            leads.append(lead.username)
        contended = [person["actions"][0] for person in people[:3]]
        to_assure = []
        for k in range(args.to_assure):
            reference = f"IJ-{8000 + k}"
            Action.objects.update_or_create(
                reference=reference,
                defaults={
                    "title": f"Load test action {reference}, complete and awaiting sign-off",
                    "description": "Created by the load test.",
                    "action_type": ActionType.IMPROVEMENT,
                    "pillar": pillars[k % len(pillars)],
                    "owner": User.objects.get(username=people[0]["username"]),
                    "executive_lead": executive,
                    "due_date": today + datetime.timedelta(days=30),
                    "status": Status.COMPLETE,
                    "percent_complete": 100,
                    "assured_by": None,
                    "assured_at": None,
                },
            )
            to_assure.append(reference)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"people": people, "leads": leads, "contended": contended, "to_assure": to_assure}, indent=1)
    )
    print(f"seeded {len(people)} owners and {2 * len(people)} actions -> {args.out}")


if __name__ == "__main__":
    main()
