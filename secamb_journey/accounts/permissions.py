"""A person's roles and permissions, read once per change of them rather than on every request (issue 15).

Every staff page asks what the viewer may do (the header's links, the page's own check), and Django's
ModelBackend answers with two queries per request (the person's own permissions and their groups'),
and our roles (secamb_journey.roles.user_roles) with a third. They change only when an administrator
or a sign-in changes someone's roles, so they are kept in the "default" cache under the figures
generation (actions.figures_cache): the triggers move it in the same transaction as every write to
the tables these are read from (auth_group, auth_user_groups, auth_group_permissions,
auth_user_user_permissions, auth_permission, django_content_type; see actions.figures_triggers),
whatever the path: the admin, a sign-in at the identity provider, a management command, raw SQL.
So a role given or taken away applies from the next request, in every process, with or without Redis.

Whether the person is active and a superuser is read from their row, which is loaded afresh on every
request: an inactive person has no permissions whatever is cached, and the superuser flag is part of
the key. A request reads the figures generation once (request_figures_generation), so a staff page
that also shows cached figures reads nothing more for this.
"""

import weakref
from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend

from actions.figures_cache import cached_value

REQUEST_ATTRIBUTE = "_secamb_request"


@dataclass(frozen=True)
class Access:
    """The names of a person's groups, and their permissions as "app_label.codename"."""

    group_names: tuple[str, ...]
    permissions: frozenset[str]


def _read(user) -> Access:
    backend = ModelBackend()
    return Access(
        group_names=tuple(user.groups.order_by("name").values_list("name", flat=True)),
        permissions=frozenset({*backend.get_user_permissions(user), *backend.get_group_permissions(user)}),
    )


def remember_request(user, request) -> None:
    """Let `user` (request.user) read the figures generation its request has read, without a
    reference cycle between the request and its user."""
    setattr(user, REQUEST_ATTRIBUTE, weakref.ref(request))


def access(user) -> Access:
    """`user`'s groups and permissions, from the cache when they have not changed since (kept on the
    user object for the rest of the request). Only for an active, signed-in person."""
    try:
        return user.secamb_access
    except AttributeError:
        pass
    reference = getattr(user, REQUEST_ATTRIBUTE, None)
    request = reference() if reference is not None else None
    user.secamb_access = cached_value(
        "access", {"user": user.pk, "superuser": user.is_superuser}, lambda: _read(user), request=request
    )
    return user.secamb_access


class CachedPermissionsMixin:
    """For a ModelBackend: all of a person's permissions from access() rather than two queries.
    get_user_permissions() and get_group_permissions() on their own still read the database."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access(user_obj).permissions)  # access() is kept on the user object for the request
