"""Load the trust profile (TRUST_PROFILE) and, with DEBUG on, demo users, actions (their history replayed), measures
and updates.

It lives in reports, the app at the top of the dependencies, because it seeds every app's demo data.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.demo.replay import demo_actions_seed
from actions.models import Meeting
from measures.demo import seed_demo_measures
from reports.demo_updates import seed_demo_updates
from reports.services.board_pack import board_pack_generate
from reports.trust_profile import default_profile_load
from secamb_journey import demo
from secamb_journey.site_url import absolute_url


def demo_board_pack_seed():
    """The demo's next meeting gets its board pack (issue 14), once: a newcomer's `make run` shows one."""
    meeting = Meeting.objects.filter(date__gte=timezone.localdate()).order_by("date", "pk").first()
    if meeting is None:
        return None
    return board_pack_generate(meeting=meeting, new_version=False).pack


class Command(BaseCommand):
    help = (
        "Idempotent. Loads the trust profile (TRUST_PROFILE: its goals, pillars, themes); with DEBUG on, "
        "also one demo user per role and at least thirty demo actions, their year of history replayed."
    )

    def handle(self, *args, **options):
        default_profile_load()
        self.stdout.write(f"The trust profile is loaded ({settings.TRUST_PROFILE}): its goals, pillars and themes.")
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is off, so no demo users or demo actions were created: demo accounts with a "
                    "known password must never exist on a real deployment."
                )
            )
            return
        users = demo.demo_users_seed()
        # A year of each action's history, replayed through the services in time order: progress,
        # evidence, sign-offs, revised due dates, committee decisions, reviews, reopenings.
        created = demo_actions_seed(users)
        if created:
            self.stdout.write(f"Demo actions created, with a year of history replayed: {created}.")
        else:
            self.stdout.write("Demo actions already seeded: left as they were.")
        self.stdout.write(f"Illustrative demo measures created: {seed_demo_measures()}.")
        if created_updates := seed_demo_updates(users):  # after the history: their figures come from it
            self.stdout.write(f"Demo public updates: {created_updates - 1} published, last month's a draft to edit.")
        pack = demo_board_pack_seed()
        if pack is not None:
            self.stdout.write(f"Board pack for the {pack.meeting}: {absolute_url(pack.get_absolute_url())}")
        self.stdout.write(
            "Demo sign-ins (password: the DEMO_PASSWORD environment variable, "
            f"or {demo.DEFAULT_DEMO_PASSWORD!r} if unset): " + ", ".join(user.username for user in demo.DEMO_USERS)
        )
        if settings.OTP_REQUIRED_FOR_PRIVILEGED:
            # Leads and administrators then need an enrolment code to set up their app: one each, printed.
            for username, code in demo.demo_enrolment_codes_seed(users).items():
                self.stdout.write(f"Enrolment code for {username} (to set up an authenticator app): {code}")
