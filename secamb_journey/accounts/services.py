"""Writes for accounts from the identity provider: sign-in (create or update, roles) and leavers."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from secamb_journey.accounts.models import DeactivationReason, ProviderIdentity
from secamb_journey.accounts.provider import SignInRefused
from secamb_journey.accounts.roles import ADMIN, ROLE_BY_NAME, groups_from_claims, role_names_for_groups
from secamb_journey.roles import Role

logger = logging.getLogger(__name__)

# Deactivations that the provider's own say-so undoes: a person it lets sign in again is a member of
# staff again. An account an administrator switched off (no reason recorded) stays off.
REVERSIBLE_BY_SIGN_IN = {DeactivationReason.INACTIVE, DeactivationReason.PROVIDER_DISABLED}


class AccountSwitchedOff(SignInRefused):
    status = 403

    def __init__(self):
        super().__init__(
            "Your NHS account signed in, but your account on this service has been switched off. "
            "Ask the service administrator to switch it back on."
        )


def identity_sign_in(*, issuer: str, claims: dict, now=None):
    """The user for verified ID token claims: found by issuer and subject (never by e-mail), or created.
    Name, e-mail and roles are refreshed from the claims every time, so a change of group at the
    provider changes what the person may do here from this sign-in on.
    """
    now = now or timezone.now()
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise SignInRefused("The NHS sign-in service did not say who you are.", log="no sub claim")
    groups = groups_from_claims(claims)
    try:
        with transaction.atomic():
            return _sign_in(issuer=issuer, subject=subject, claims=claims, groups=groups, now=now)
    except IntegrityError:
        # Two first sign-ins of one person at once (two tabs): the other created the account; use it.
        with transaction.atomic():
            return _sign_in(issuer=issuer, subject=subject, claims=claims, groups=groups, now=now)


def _sign_in(*, issuer, subject, claims, groups, now):
    identity = (
        ProviderIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = get_user_model()(username=_free_username(claims, subject))
        user.set_unusable_password()  # only the provider signs this account in
        _copy_profile(user, claims)
        user.save()
        identity = ProviderIdentity(user=user, issuer=issuer, subject=subject, last_sign_in_at=now)
        logger.info("First sign-in through the identity provider: created user %s", user.pk)
    else:
        user = identity.user
        if not user.is_active:
            if identity.deactivation_reason not in REVERSIBLE_BY_SIGN_IN:
                raise AccountSwitchedOff()
            user.is_active = True
            logger.info("User %s signed in again through the identity provider: reactivated", user.pk)
        _copy_profile(user, claims)
        user.save()
    identity.groups = groups
    identity.last_sign_in_at = now
    identity.deactivated_at = None
    identity.deactivation_reason = ""
    identity.save()
    _apply_roles(user, role_names_for_groups(groups))
    return user


def _copy_profile(user, claims: dict) -> None:
    given, family = claims.get("given_name"), claims.get("family_name")
    if not (given or family) and isinstance(claims.get("name"), str):
        given, _, family = claims["name"].strip().partition(" ")
    user.first_name = str(given or "")[:150]
    user.last_name = str(family or "")[:150]
    email = claims.get("email")
    user.email = email[:254] if isinstance(email, str) else ""


def _free_username(claims: dict, subject: str) -> str:
    """A readable username not already taken (and never a break-glass administrator's name)."""
    base = ""
    for claim in ("preferred_username", "email"):
        if isinstance(claims.get(claim), str) and claims[claim].strip():
            base = claims[claim].strip()
            break
    base = (base or f"nhs-{subject}")[:140]
    users = get_user_model().objects
    candidate, number = base, 1
    while candidate in settings.BREAK_GLASS_USERNAMES or users.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _apply_roles(user, role_names: set[str]) -> None:
    """Exactly the mapped roles: role groups added and removed, other groups left alone."""
    labels = {role.label for role in Role}
    wanted = {ROLE_BY_NAME[name].label for name in role_names if name in ROLE_BY_NAME}
    held = set(user.groups.filter(name__in=labels).values_list("name", flat=True))
    if held != wanted:
        user.groups.remove(*Group.objects.filter(name__in=held - wanted))
        user.groups.add(*Group.objects.filter(name__in=wanted - held))
        logger.info("User %s roles from the identity provider: %s", user.pk, sorted(wanted) or "none")
    admin = ADMIN in role_names
    if user.is_staff != admin or user.is_superuser != admin:
        user.is_staff = user.is_superuser = admin
        user.save(update_fields=["is_staff", "is_superuser"])
    if hasattr(user, "secamb_roles"):
        del user.secamb_roles


# --- Leavers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaversRun:
    inactive: int
    disabled: int


def identity_deactivate(*, identity: ProviderIdentity, reason: DeactivationReason, now=None) -> bool:
    """Switch off the account (nothing is deleted: its actions, history and evidence stay). Idempotent:
    False when it was already off. Its open actions then show on the "needs a new owner" list, and any
    session it has ends at its next request (an inactive user is never loaded into a request).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Claimed by a conditional UPDATE, so two runs at once deactivate (and log) it once.
        claimed = get_user_model().objects.filter(pk=identity.user_id, is_active=True).update(is_active=False)
        if not claimed:
            return False
        ProviderIdentity.objects.filter(pk=identity.pk).update(
            deactivated_at=now, deactivation_reason=reason, updated_at=now
        )
    logger.info("Deactivated user %s: %s", identity.user_id, DeactivationReason(reason).label)
    return True


def identity_deactivate_leavers(*, now=None) -> LeaversRun:
    """The daily leavers run. Deactivates accounts from the provider that
    - have not signed in for OIDC_INACTIVE_DAYS (a leaver cannot sign in at the provider any more), or
    - the provider reports disabled, through the optional OIDC_ACCOUNT_STATUS_CHECK hook (for a
      provider with a user directory API, e.g. Microsoft Graph's accountEnabled).
    Local accounts (break-glass administrators, the demo users) are never touched.
    """
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.OIDC_INACTIVE_DAYS)
    live = ProviderIdentity.objects.filter(user__is_active=True).order_by("pk")
    inactive = sum(
        identity_deactivate(identity=identity, reason=DeactivationReason.INACTIVE, now=now)
        for identity in live.filter(last_sign_in_at__lt=cutoff)
    )
    disabled = 0
    if settings.OIDC_ACCOUNT_STATUS_CHECK:
        still_enabled = import_string(settings.OIDC_ACCOUNT_STATUS_CHECK)
        for identity in live.select_related("user").iterator():
            # None: the provider could not say. Only an explicit False deactivates.
            if still_enabled(identity) is False:
                disabled += identity_deactivate(identity=identity, reason=DeactivationReason.PROVIDER_DISABLED, now=now)
    return LeaversRun(inactive=inactive, disabled=disabled)
