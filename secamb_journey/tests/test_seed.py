"""seed_demo: the trust's strategy in its own words, realistic demo actions, idempotent, never in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.choices import ActionType, Status
from actions.models import Action, Evidence
from pillars.models import Pillar, StrategicGoal
from secamb_journey.demo import DEFAULT_DEMO_PASSWORD
from secamb_journey.roles import Role
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def _counts():
    return (
        StrategicGoal.objects.count(),
        Pillar.objects.count(),
        Theme.objects.count(),
        Action.objects.count(),
        get_user_model().objects.count(),
        Evidence.objects.count(),
        sum(a.progress_updates.count() for a in Action.objects.all()),
    )


def test_the_strategy_is_seeded_in_the_trusts_own_words(seeded):
    assert list(StrategicGoal.objects.values_list("title", flat=True)) == [
        "Delivering Modern Healthcare for our patients",
        "A Focus on People",
        "Delivering Quality",
        "System Partnership",
    ]
    assert list(Pillar.objects.values_list("name", flat=True)) == [
        "Quality Improvement",
        "Responsive Care",
        "People and Culture",
        "Sustainability and Partnerships",
    ]
    assert Theme.objects.get(number=1).title == "SECAmb is not the great place to work that the Trust wants it to be"
    assert Theme.objects.get(number=6).title == "Significant concerns raised over culture"
    assert Theme.objects.count() == 6
    assert all(pillar.goals.exists() for pillar in Pillar.objects.all())
    assert all(theme.pillars.exists() for theme in Theme.objects.all())


def test_seeding_twice_changes_nothing(seeded):
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert before[:3] == (4, 4, 6)


def test_demo_actions_cover_every_type_pillar_theme_and_status(seeded):
    actions = Action.objects.all()
    assert actions.count() >= 30
    assert set(actions.values_list("action_type", flat=True)) == set(ActionType.values)
    assert set(actions.values_list("pillar__name", flat=True)) == set(Pillar.objects.values_list("name", flat=True))
    assert Theme.objects.filter(actions__isnull=True).count() == 0
    assert set(actions.values_list("status", flat=True)) == set(Status.values)
    assert Action.objects.overdue().exists()
    assert Action.objects.stale().exists()
    for action in actions.filter(status__in=[Status.COMPLETE, Status.ASSURED]):
        assert action.evidence.exists()
    for action in actions.filter(status=Status.ASSURED):
        assert action.assured_by_id != action.owner_id
    for action in actions.exclude(status=Status.NOT_STARTED):
        assert action.progress_updates.count() >= 2
        latest = action.progress_updates.order_by("-created_at", "-id").first()
        assert (latest.status, latest.percent_complete) == (action.status, action.percent_complete)


def test_one_demo_user_per_role_signs_in_with_the_default_password(seeded, client):
    users = get_user_model().objects
    expected = {"owner": Role.OWNER, "owner2": Role.OWNER, "lead": Role.LEAD, "board": Role.BOARD, "comms": Role.COMMS}
    for username, role in expected.items():
        user = users.get(username=username)
        assert user.groups.filter(name=role.label).exists()
        assert user.check_password(DEFAULT_DEMO_PASSWORD)
    assert users.get(username="admin").is_superuser


def test_demo_password_comes_from_the_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-demo-password")
    call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.get(username="lead").check_password("another-long-demo-password")


def test_with_debug_off_no_demo_users_or_actions_are_created(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo")
    assert get_user_model().objects.count() == 0
    assert Action.objects.count() == 0
    assert Pillar.objects.count() == 4  # the strategy itself is not demo data
    assert "no demo users" in capsys.readouterr().out


def test_with_the_second_factor_required_the_demo_prints_an_enrolment_code_for_lead_and_admin(settings):
    import io

    from secamb_journey.enrolment import enrolment_code_redeem

    settings.DEBUG = True
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = dict(
        line.removeprefix("Enrolment code for ").split(" (to set up an authenticator app): ")
        for line in out.getvalue().splitlines()
        if line.startswith("Enrolment code for ")
    )
    assert set(printed) == {"lead", "admin"}
    users = get_user_model().objects
    assert all(enrolment_code_redeem(user=users.get(username=name), code=code) for name, code in printed.items())


def test_the_demo_has_published_updates_to_read_and_last_months_draft_to_edit(seeded, client):
    from django.utils import timezone

    from reports.models import PublishedUpdate, UpdateStatus
    from reports.services import period_previous

    last_month = period_previous(timezone.localdate())
    updates = list(PublishedUpdate.objects.order_by("period"))
    assert [u.status for u in updates] == [UpdateStatus.PUBLISHED, UpdateStatus.PUBLISHED, UpdateStatus.DRAFT]
    assert updates[-1].period == last_month and updates[0].published_by.username == "comms"
    # Each published month's figures are as they stood at its end, and the public can read it.
    assert all(u.published_at.date() > u.period for u in updates[:2])
    assert client.get(f"/updates/{updates[1].slug}/").status_code == 200
    assert updates[1].headline in client.get("/").content.decode()
    # Seeding again adds none and leaves the published ones as they were.
    frozen = [(u.pk, u.figures, u.version) for u in updates]
    call_command("seed_demo", verbosity=0)
    assert [(u.pk, u.figures, u.version) for u in PublishedUpdate.objects.order_by("period")] == frozen
