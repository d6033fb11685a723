"""A person's roles and permissions, read once per request (docs/adr/0007: not cached across requests).

Every staff page asks what the viewer may do (the header's links, the page's own check): Django's
ModelBackend answers with two queries (the person's own permissions and their groups'), and our roles
(secamb_journey.roles.user_roles) with a third. Here they are read together once per request and kept on
the user object, which is loaded afresh for each request: a role given or taken away, by whatever path
and in whatever process, applies from the next request.
"""

from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend


@dataclass(frozen=True)
class Access:
    """The names of a person's groups, and their permissions as "app_label.codename"."""

    group_names: tuple[str, ...]
    permissions: frozenset[str]


def access(user) -> Access:
    """`user`'s groups and permissions, read once per request (kept on the user object)."""
    try:
        return user.secamb_access
    except AttributeError:
        backend = ModelBackend()
        user.secamb_access = Access(
            group_names=tuple(user.groups.order_by("name").values_list("name", flat=True)),
            permissions=frozenset({*backend.get_user_permissions(user), *backend.get_group_permissions(user)}),
        )
        return user.secamb_access


class CachedPermissionsMixin:
    """For a ModelBackend: all of a person's permissions from access(), read with the roles."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access(user_obj).permissions)
