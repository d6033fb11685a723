"""Template context shared by every page: service name and what the viewer may reach."""

from django.conf import settings

from secamb_journey.landing import landing_for
from secamb_journey.roles import is_staff_member


def roles(request):
    user = request.user
    staff = is_staff_member(user)
    return {
        "service_name": settings.SERVICE_NAME,
        "trust_name": settings.TRUST_NAME,
        # Each flag shows the header links to pages this person may open (a page refuses everyone else).
        "nav": {
            "staff": staff,
            "actions": staff and user.has_perm("actions.view_action"),
            "queue": staff and user.has_perm("actions.assure_action"),
            "dashboard": user.has_perm("reports.view_dashboard"),
            "board_packs": staff and user.has_perm("reports.view_board_packs"),
            "measures": user.has_perm("measures.view_measure"),
            "updates": user.has_perm("reports.change_publishedupdate"),
            "new_action": user.has_perm("actions.add_action"),
            "admin": user.is_staff,
        },
        # The page of this person's own work: error pages offer the way back to it.
        "landing": landing_for(user),
    }
