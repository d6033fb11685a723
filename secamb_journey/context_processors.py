"""Template context shared by every page: the trust profile (its names) and what the viewer may reach."""

from secamb_journey.landing import landing_for
from secamb_journey.profile import trust_profile
from secamb_journey.roles import is_staff_member


def roles(request):
    user = request.user
    staff = is_staff_member(user)
    trust = trust_profile()
    return {
        "trust": trust,
        "service_name": trust.service_name,
        "trust_name": trust.full_name,
        # Each flag shows the header links to pages this person may open (a page refuses everyone else).
        "nav": {
            "staff": staff,
            "actions": staff and user.has_perm("actions.view_action"),
            "queue": staff and user.has_perm("actions.assure_action"),
            "dashboard": user.has_perm("reports.view_dashboard"),
            "board_packs": staff and user.has_perm("reports.view_board_packs"),
            "measures": user.has_perm("measures.view_measure"),
            "updates": user.has_perm("reports.change_publishedupdate"),
            "trust_profile": staff and user.has_perm("secamb_journey.change_trustprofile"),
            "new_action": user.has_perm("actions.add_action"),
            "admin": user.is_staff,
        },
        # The page of this person's own work: error pages offer the way back to it.
        "landing": landing_for(user),
    }
