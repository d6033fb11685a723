"""The roles people have in the Improvement Journey, as Django groups and the permissions each grants.

Code asks for permissions (`user.has_perm("actions.assure_action")`), never for group names, so an
administrator can shape a role in the admin without touching code. The migration in this app
creates the groups from ROLE_PERMISSIONS.
"""

from django.db import models

from secamb_journey.permissions import access


class Role(models.TextChoices):
    OWNER = "action_owner", "Action owner"
    LEAD = "improvement_lead", "Improvement lead"
    BOARD = "board_member", "Board member"
    COMMS = "communications_editor", "Communications editor"


# Group name (the label) -> "app_label.codename" permissions.
ROLE_PERMISSIONS = {
    Role.OWNER: [
        "actions.view_action",
        "measures.view_measure",
        "actions.add_progressupdate",
        "actions.view_progressupdate",
        "actions.add_evidence",
        "actions.view_evidence",
    ],
    Role.LEAD: [
        "actions.view_action",
        "actions.add_action",
        "actions.change_action",
        "actions.assure_action",
        "actions.import_actions",
        "actions.add_progressupdate",
        "actions.view_progressupdate",
        "actions.add_evidence",
        "actions.view_evidence",
        "actions.view_any_evidence",
        "reports.view_dashboard",
        "reports.view_progresssnapshot",
        "reports.view_publishedupdate",
        "reports.change_publishedupdate",
        "reports.view_board_packs",
        "measures.view_measure",
        "measures.change_measure",
        "measures.import_measures",
        "measures.add_measurevalue",
        "measures.change_measurevalue",
    ],
    Role.BOARD: [
        "actions.view_action",
        "actions.view_progressupdate",
        "actions.view_evidence",
        "actions.view_any_evidence",
        "reports.view_dashboard",
        "reports.view_progresssnapshot",
        "reports.view_board_packs",
        "measures.view_measure",
    ],
    Role.COMMS: [
        "reports.view_publishedupdate",
        "reports.change_publishedupdate",
        "reports.publish_publishedupdate",
        # The trust's public words (the admin's trust profile): a new strategy needs no developer.
        "secamb_journey.view_trustprofile",
        "secamb_journey.change_trustprofile",
    ],
}


# Permissions no role grants: an administrator (a superuser) holds them, or grants one in the admin to a
# named person. Redacting published words (issue 28, finding 8) rewrites what the public has read.
ADMINISTRATOR_ONLY_PERMISSIONS = ["actions.redact_text"]


def role_group_name(role: Role) -> str:
    return role.label


def user_roles(user) -> list[Role]:
    """The roles a user holds, from their groups (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "secamb_roles"):
        by_name = {role.label: role for role in Role}
        user.secamb_roles = [by_name[name] for name in access(user).group_names if name in by_name]
    return user.secamb_roles


def is_staff_member(user) -> bool:
    """Signed in and holding a role (or a superuser): may see the internal action register."""
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(user_roles(user)))
