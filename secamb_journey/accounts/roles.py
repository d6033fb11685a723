"""Our roles from the provider's groups (OIDC_ROLE_MAP), re-applied at every sign-in."""

from django.conf import settings

from secamb_journey.roles import Role

ROLE_BY_NAME = {"owner": Role.OWNER, "lead": Role.LEAD, "board": Role.BOARD, "comms": Role.COMMS}
ADMIN = "admin"  # Django's administrator: is_staff and is_superuser (as the demo's `admin`)


def groups_from_claims(claims: dict) -> list[str]:
    value = claims.get(settings.OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(group) for group in value if isinstance(group, str | int)]
    return []


def role_names_for_groups(groups: list[str]) -> set[str]:
    """The role names (owner, lead, board, comms, admin) the mapping gives these groups."""
    return {settings.OIDC_ROLE_MAP[group] for group in groups if group in settings.OIDC_ROLE_MAP}
