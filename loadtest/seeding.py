"""What loadtest/seed.py writes, through the services; imported once Django is set up."""

import datetime

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
from reports.trust_profile import default_profile_load
from secamb_journey.roles import Role


class Seeder:
    def __init__(self, password: str):
        default_profile_load()
        self.pillars = list(Pillar.objects.order_by("number"))
        # One hash for everyone: hashing is deliberately slow, and 50 identical hashes would only slow the seed.
        self.password_hash = make_password(password)
        self.today = timezone.localdate()
        self.executive = None
        self.leads = []

    def person(self, username: str, role: Role, **names):
        user, _ = get_user_model().objects.update_or_create(
            username=username, defaults={**names, "password": self.password_hash}
        )
        user.groups.add(Group.objects.get(name=role.label))
        return user

    def create(self, reference: str, *, title: str, pillar, owner, due_in_days: int, is_public: bool) -> Action:
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
            "executive_lead": self.executive,
            "due_date": self.today + datetime.timedelta(days=due_in_days),
            "is_public": is_public,
        }
        return action_create(creator=self.leads[0], data=data, notify=False)

    def owners(self, staff: int) -> list[dict]:
        """STAFF owners, each owning two actions (the first public): [{"username", "actions"}]."""
        people = []
        for n in range(1, staff + 1):
            user = self.person(
                f"loadtest-owner-{n:03d}",
                Role.OWNER,
                first_name="Owner",
                last_name=f"{n:03d}",
                email=f"loadtest-owner-{n:03d}@loadtest.invalid",
            )
            references = []
            for k in range(2):
                reference = f"IJ-{n * 10 + k + 9000}"
                self.create(
                    reference,
                    title=f"Load test action {reference}",
                    pillar=self.pillars[(n + k) % len(self.pillars)],
                    owner=user,
                    due_in_days=30 + n,
                    is_public=k == 0,
                )
                references.append(reference)
            people.append({"username": user.username, "actions": references})
        return people

    def to_assure(self, count: int, owner) -> list[str]:
        """`count` actions of `owner`, complete and awaiting sign-off."""
        references = []
        for k in range(count):
            reference = f"IJ-{8000 + k}"
            action = self.create(
                reference,
                title=f"Load test action {reference}, complete and awaiting sign-off",
                pillar=self.pillars[k % len(self.pillars)],
                owner=owner,
                due_in_days=30,
                is_public=True,
            )
            if action.status == Status.NOT_STARTED:
                # As its owner marks it complete on the progress page: the evidence, then the entry.
                evidence_attach(
                    action=action,
                    uploaded_by=owner,
                    uploaded_file=ContentFile(f"{reference}: completion report.\n".encode(), name="completion.txt"),
                    description=f"Completion report for {reference}",
                )
                action_log_progress(
                    action=action,
                    author=owner,
                    narrative="All planned work is done; the completion report is attached.",
                    status=Status.COMPLETE,
                    notify=False,
                )
            references.append(reference)
        return references


def seed(*, staff: int, to_assure: int, password: str) -> dict:
    """Everyone and every action; returns what the load generator reads."""
    seeder = Seeder(password)
    with transaction.atomic():
        seeder.executive = seeder.person("loadtest-exec", Role.BOARD, first_name="Load", last_name="Executive")
        # Two improvement leads who write the same actions as their owners (loadtest/contended.py): the
        # first action of the first three owners, and complete actions that both sign off at once. The
        # first also creates every action, which does not stop either from signing one off (four eyes).
        seeder.leads = [
            seeder.person(f"loadtest-lead-{n}", Role.LEAD, first_name="Lead", last_name=str(n)) for n in (1, 2)
        ]
        people = seeder.owners(staff)
        first_owner = get_user_model().objects.get(username=people[0]["username"])
        return {
            "people": people,
            "leads": [lead.username for lead in seeder.leads],
            "contended": [each["actions"][0] for each in people[:3]],
            "to_assure": seeder.to_assure(to_assure, first_owner),
        }
