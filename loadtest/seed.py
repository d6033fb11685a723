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
    if not 1 <= args.staff <= 99 or not 0 <= args.to_assure <= 999:
        parser.error("--staff must be 1 to 99 and --to-assure 0 to 999 (the references have four digits)")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from actions.choices import ActionType, Status
    from actions.models import Action
    from actions.services.editing import action_create
    from actions.services.progress import action_log_progress, evidence_attach
    from pillars.models import Pillar
    from secamb_journey.roles import Role
    from themes.demo import strategy_seed

    User = get_user_model()
    strategy_seed()
    pillars = list(Pillar.objects.order_by("number"))
    # One hash for everyone: hashing is deliberately slow, and 50 identical hashes would only slow the seed.
    password_hash = make_password(args.password)
    today = timezone.localdate()

    def person(username: str, role: Role, **names):
        user, _ = User.objects.update_or_create(username=username, defaults={**names, "password": password_hash})
        user.groups.add(Group.objects.get(name=role.label))
        return user

    def create(reference: str, *, title: str, pillar, owner, due_in_days: int, is_public: bool) -> Action:
        """As a lead creates it on the "Create an action" page; kept as it is if it exists already."""
        existing = Action.objects.filter(reference=reference).first()
        if existing is not None:
            return existing
        data = {
            "reference": reference,
            "action_type": ActionType.IMPROVEMENT,
            "title": title,
            "description": "Created by the load test.",
            "pillar": pillar,
            "themes": [],
            "owner": owner,
            "executive_lead": executive,
            "due_date": today + datetime.timedelta(days=due_in_days),
            "is_public": is_public,
        }
        return action_create(creator=leads[0], data=data, notify=False)

    people = []
    with transaction.atomic():
        executive = person("loadtest-exec", Role.BOARD, first_name="Load", last_name="Executive")
        # Two improvement leads who write the same actions as their owners (loadtest/contended.py): the
        # first action of the first three owners, and complete actions that both sign off at once. The
        # first also creates every action, which does not stop either from signing one off (four eyes).
        leads = [person(f"loadtest-lead-{n}", Role.LEAD, first_name="Lead", last_name=str(n)) for n in (1, 2)]
        for n in range(1, args.staff + 1):
            user = person(
                f"loadtest-owner-{n:03d}",
                Role.OWNER,
                first_name="Owner",
                last_name=f"{n:03d}",
                email=f"loadtest-owner-{n:03d}@loadtest.invalid",
            )
            references = []
            for k in range(2):
                reference = f"IJ-{n * 10 + k + 9000}"
                create(
                    reference,
                    title=f"Load test action {reference}",
                    pillar=pillars[(n + k) % len(pillars)],
                    owner=user,
                    due_in_days=30 + n,
                    is_public=k == 0,
                )
                references.append(reference)
            people.append({"username": user.username, "actions": references})
        contended = [each["actions"][0] for each in people[:3]]
        first_owner = User.objects.get(username=people[0]["username"])
        to_assure = []
        for k in range(args.to_assure):
            reference = f"IJ-{8000 + k}"
            action = create(
                reference,
                title=f"Load test action {reference}, complete and awaiting sign-off",
                pillar=pillars[k % len(pillars)],
                owner=first_owner,
                due_in_days=30,
                is_public=True,
            )
            if action.status == Status.NOT_STARTED:
                # As its owner marks it complete on the progress page: the evidence, then the entry.
                evidence_attach(
                    action=action,
                    uploaded_by=first_owner,
                    uploaded_file=ContentFile(f"{reference}: completion report.\n".encode(), name="completion.txt"),
                    description=f"Completion report for {reference}",
                )
                action_log_progress(
                    action=action,
                    author=first_owner,
                    narrative="All planned work is done; the completion report is attached.",
                    status=Status.COMPLETE,
                    notify=False,
                )
            to_assure.append(reference)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "people": people,
                "leads": [lead.username for lead in leads],
                "contended": contended,
                "to_assure": to_assure,
            },
            indent=1,
        )
    )
    print(f"seeded {len(people)} owners, {2 * len(people)} actions and {len(to_assure)} to assure -> {args.out}")


if __name__ == "__main__":
    main()
