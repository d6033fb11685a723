"""The one decorator every staff page wears: who may open it, and that no cache keeps it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

from secamb_journey.roles import is_staff_member


def staff_page(permission: str):
    """Anonymous: to the sign-in page and back afterwards. Signed in without a role or without
    `permission`: 403. Staff pages show drafts and internal data, so neither the browser nor a proxy
    may keep them (never_cache: Cache-Control private, no-store).
    """

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(user) or not user.has_perm(permission):
                raise PermissionDenied("You do not have access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
