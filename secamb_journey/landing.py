"""Where each person starts: the one mapping from what someone may do to the page of their own work.

Used by the sign-in (unless `next` named a page), the second-factor steps, the navigation and the error
pages, so "your work" means the same page everywhere. Decided by permissions, never by group names, so
an administrator who reshapes a role in the admin reshapes where it lands too. Plain paths: they are the
interface contract (DESIGN.md), and secamb_journey imports no app's views.
"""

from dataclasses import dataclass

from secamb_journey.roles import is_staff_member


@dataclass(frozen=True)
class Landing:
    url: str
    label: str  # finishes "Go to ...": the words the error pages and the header use


# First match wins. A lead also reads the dashboard and edits updates, so their queue comes before those.
LANDINGS = (
    ("actions.assure_action", Landing("/actions/queue/", "your work queue")),
    ("reports.view_dashboard", Landing("/dashboard/", "the board dashboard")),
    ("reports.change_publishedupdate", Landing("/reports/updates/", "the public updates you edit")),
    ("actions.view_action", Landing("/actions/mine/", "your actions")),
)
ADMIN = Landing("/admin/", "the administration pages")
PUBLIC = Landing("/", "the public home page")


def landing_for(user) -> Landing:
    """The page of `user`'s own work: an administrator (superuser) the admin, then by permission."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    if user.is_superuser:
        # A superuser holds every permission; their job here is the admin, not the queue.
        return ADMIN
    if is_staff_member(user):
        for permission, landing in LANDINGS:
            if user.has_perm(permission):
                return landing
    if user.is_staff:
        return ADMIN
    return PUBLIC


def landing_url(user) -> str:
    return landing_for(user).url
