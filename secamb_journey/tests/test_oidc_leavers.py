"""Leavers: the daily run deactivates accounts the identity provider no longer vouches for (nothing is
deleted), a deactivated person loses access at once, and the provider's say-so is what brings one back.
"""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from actions.choices import Status
from actions.models import Action
from actions.tests.factories import ActionFactory, UserFactory
from secamb_journey.accounts.models import DeactivationReason, ProviderIdentity
from secamb_journey.accounts.services import identity_deactivate_leavers
from secamb_journey.accounts.tasks import deactivate_leavers
from secamb_journey.roles import Role
from secamb_journey.tests.oidc_provider import path_and_query

pytestmark = pytest.mark.django_db

User = get_user_model()

# The provider's directory, as the OIDC_ACCOUNT_STATUS_CHECK hook sees it in these tests.
DISABLED_AT_PROVIDER: set[str] = set()


def status_check(identity) -> bool | None:
    if identity.subject == "unknown-to-directory":
        return None
    return identity.subject not in DISABLED_AT_PROVIDER


@pytest.fixture
def directory(settings):
    settings.OIDC_ACCOUNT_STATUS_CHECK = f"{__name__}.status_check"
    DISABLED_AT_PROVIDER.clear()
    yield DISABLED_AT_PROVIDER
    DISABLED_AT_PROVIDER.clear()


def sign_in(client, provider, sub):
    start = client.get("/oidc/authenticate/")["Location"]
    return client.get(path_and_query(provider.authorize(start, sub=sub)))


def identity_for(user, *, subject: str, days_ago: int = 0) -> ProviderIdentity:
    return ProviderIdentity.objects.create(
        user=user,
        issuer="https://login.example.nhs.uk",
        subject=subject,
        last_sign_in_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_a_disabled_user_loses_access_at_once_and_cannot_sign_in_again(client, sso, directory):
    sso.set_user("paramedic-7", name="Kim Leaver", groups=["ij-owners"])
    sign_in(client, sso, "paramedic-7")
    user = User.objects.get(provider_identity__subject="paramedic-7")
    action = ActionFactory(owner=user, status=Status.ON_TRACK)
    assert client.get("/actions/mine/").status_code == 200

    # The trust disables the account at the provider; the daily run hears of it.
    directory.add("paramedic-7")
    assert deactivate_leavers.delay().get() == {"inactive": 0, "disabled": 1}

    user.refresh_from_db()
    assert not user.is_active
    identity = user.provider_identity
    assert identity.deactivation_reason == DeactivationReason.PROVIDER_DISABLED
    # Their session, still open in their browser, is no longer theirs.
    assert client.get("/actions/mine/")["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session
    # The provider refuses them now too: a clear page, and no session.
    back = sso.authorize(client.get("/oidc/authenticate/")["Location"], deny=True)
    refused = client.get(path_and_query(back))
    assert refused.status_code == 400 and "You have not been signed in" in refused.content.decode()
    assert SESSION_KEY not in client.session
    # Nothing of theirs is deleted.
    assert Action.objects.get(pk=action.pk).owner_id == user.pk


def test_an_account_not_signed_in_for_the_configured_period_is_deactivated_and_nothing_else(settings):
    settings.OIDC_INACTIVE_DAYS = 90
    gone = identity_for(UserFactory(roles=[Role.OWNER]), subject="gone", days_ago=91)
    recent = identity_for(UserFactory(roles=[Role.OWNER]), subject="recent", days_ago=89)
    local = UserFactory(
        username="break-glass", roles=[Role.LEAD], last_login=timezone.now() - datetime.timedelta(days=400)
    )

    run = identity_deactivate_leavers()

    assert (run.inactive, run.disabled) == (1, 0)
    gone.refresh_from_db()
    assert not gone.user.is_active and gone.deactivation_reason == DeactivationReason.INACTIVE
    assert gone.deactivated_at is not None
    recent.refresh_from_db()
    assert recent.user.is_active
    local.refresh_from_db()
    assert local.is_active  # local accounts (break-glass, demo) are never the provider's to end
    assert User.objects.filter(pk=gone.user_id).exists()


def test_the_leavers_run_is_idempotent(settings, directory):
    identity_for(UserFactory(), subject="old", days_ago=200)
    identity_for(UserFactory(), subject="off", days_ago=1)
    directory.add("off")
    first = identity_deactivate_leavers()
    second = identity_deactivate_leavers()
    assert (first.inactive, first.disabled) == (1, 1)
    assert (second.inactive, second.disabled) == (0, 0)


def test_a_directory_that_cannot_say_deactivates_no_one(directory):
    identity = identity_for(UserFactory(), subject="unknown-to-directory")
    assert identity_deactivate_leavers().disabled == 0
    identity.user.refresh_from_db()
    assert identity.user.is_active


def test_the_management_command_runs_the_same_code(settings, capsys):
    identity = identity_for(UserFactory(), subject="old", days_ago=365)
    call_command("deactivate_leavers")
    assert "Deactivated 1 account(s) not signed in for a long time" in capsys.readouterr().out
    identity.user.refresh_from_db()
    assert not identity.user.is_active


def test_someone_deactivated_for_inactivity_is_back_when_the_provider_signs_them_in(client, sso):
    sso.set_user("returner", name="Back Again", groups=["ij-owners"])
    sign_in(client, sso, "returner")
    identity = ProviderIdentity.objects.get(subject="returner")
    ProviderIdentity.objects.filter(pk=identity.pk).update(
        last_sign_in_at=timezone.now() - datetime.timedelta(days=120)
    )
    assert identity_deactivate_leavers().inactive == 1

    again = Client()
    response = sign_in(again, sso, "returner")
    assert response.status_code == 302
    identity.refresh_from_db()
    assert identity.user.is_active and identity.deactivation_reason == "" and identity.deactivated_at is None
    assert again.get("/actions/mine/").status_code == 200


def test_an_account_an_administrator_switched_off_stays_off_whatever_the_provider_says(client, sso):
    sso.set_user("suspended", name="Sus Pended", groups=["ij-leads"])
    sign_in(client, sso, "suspended")
    User.objects.filter(provider_identity__subject="suspended").update(is_active=False)

    again = Client()
    response = sign_in(again, sso, "suspended")
    assert response.status_code == 403
    assert "has been switched off" in response.content.decode()
    assert SESSION_KEY not in again.session


def test_the_leavers_run_is_in_the_schedule():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("crontab").get(task="secamb_journey.accounts.tasks.deactivate_leavers")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.day_of_week, str(task.crontab.timezone)) == ("5", "*", "Europe/London")
