"""Seeding for `manage.py seed_demo`: one demo user per role. The strategy content is the trust profile's
(reports.trust_profile), demo actions are actions.demo's."""

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp import user_has_device

from secamb_journey.enrolment import enrolment_code_issue
from secamb_journey.roles import Role
from secamb_journey.two_factor import is_privileged

DEFAULT_DEMO_PASSWORD = "improve-journey-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role | None
    title: str


DEMO_USERS = [
    DemoUser("owner", "Priya", "Shah", Role.OWNER, "Operating Unit Manager, Gatwick"),
    DemoUser("owner2", "Tom", "Hughes", Role.OWNER, "Clinical Education Manager"),
    DemoUser("lead", "Jo", "Clarke", Role.LEAD, "Head of Improvement (PMO)"),
    DemoUser("board", "Alan", "Reed", Role.BOARD, "Chief Operating Officer"),
    DemoUser("comms", "Sasha", "Patel", Role.COMMS, "Communications Manager"),
    DemoUser("admin", "Admin", "User", None, "Service administrator"),
]
# Further people the demo actions need, who do not sign in: a second lead (so the lead's own
# actions can be assured by someone else) and two more executive leads.
EXTRA_PEOPLE = [
    DemoUser("lead2", "Ruth", "Okafor", Role.LEAD, "Assurance Manager"),
    DemoUser("exec_quality", "Helen", "Marsh", Role.BOARD, "Chief Nursing Officer"),
    DemoUser("exec_people", "David", "Lowe", Role.BOARD, "Chief People Officer"),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def demo_users_seed() -> dict:
    """One demo user per role (and the extra people the demo actions name). Never call with DEBUG off."""
    User = get_user_model()
    users = {}
    for person in DEMO_USERS + EXTRA_PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@demo.invalid",
            },
        )
        if person in DEMO_USERS:
            user.set_password(demo_password())
        elif created:
            user.set_unusable_password()
        if person.role is None:
            user.is_staff = user.is_superuser = True
        user.save()
        if person.role is not None:
            user.groups.add(Group.objects.get(name=person.role.label))
        users[person.username] = user
    return users


def demo_enrolment_codes_seed(users: dict) -> dict[str, str]:
    """An enrolment code (secamb_journey/enrolment.py) for each demo lead and administrator who has no
    authenticator app yet, issued by the demo administrator. Never call with DEBUG off.
    """
    codes = {}
    for person in DEMO_USERS:
        user = users[person.username]
        if is_privileged(user) and not user_has_device(user):
            codes[person.username] = enrolment_code_issue(user=user, issued_by=users["admin"])[1]
    return codes
