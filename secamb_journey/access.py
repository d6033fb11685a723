"""The one decorator every staff page wears: who may open it, and that no cache keeps it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from secamb_journey.roles import is_staff_member


def staff_page(permission: str):
    """Anonymous: to the sign-in page and back afterwards. Signed in without a role or without
    `permission`: 403. Staff pages show drafts and internal data, so neither the browser nor a proxy
    may keep them: Cache-Control private, no-store (as secamb_journey.staff_cache says of every
    response to a signed-in person; said here too, so the page is safe whatever the middleware).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(user) or not user.has_perm(permission):
                raise PermissionDenied("You do not have access to this page.")
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-store"
            return response

        return wrapped

    return decorator
