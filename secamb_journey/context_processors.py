"""Template context shared by every page: service name and what the viewer may reach."""

from django.conf import settings

from secamb_journey.roles import is_staff_member


def roles(request):
    user = request.user
    return {
        "service_name": settings.SERVICE_NAME,
        "trust_name": settings.TRUST_NAME,
        "nav": {
            "staff": is_staff_member(user),
            "dashboard": user.has_perm("reports.view_dashboard"),
            "measures": user.has_perm("measures.view_measure"),
            "updates": user.has_perm("reports.change_publishedupdate"),
            "new_action": user.has_perm("actions.add_action"),
            "admin": user.is_staff,
        },
    }
