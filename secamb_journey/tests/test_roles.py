"""Roles are groups created by a migration; code asks for permissions, never group names."""

import pytest
from django.contrib.auth.models import Group

from secamb_journey.roles import Role, is_staff_member

pytestmark = pytest.mark.django_db

# Written out here, not read from secamb_journey.roles.ROLE_PERMISSIONS (the table the migrations
# read): a role that gained or lost a permission by mistake, in code or in a migration, fails here.
OWNER_CAN = {
    "actions.view_action",
    "actions.add_progressupdate",
    "actions.view_progressupdate",
    "actions.add_evidence",
    "actions.view_evidence",
    "measures.view_measure",
}
EXPECTED_GROUPS = {
    "Action owner": OWNER_CAN,
    "Improvement lead": OWNER_CAN
    | {
        "actions.add_action",
        "actions.change_action",
        "actions.assure_action",
        "actions.import_actions",
        "actions.view_any_evidence",
        "reports.view_dashboard",
        "reports.view_progresssnapshot",
        "reports.view_publishedupdate",
        "reports.change_publishedupdate",
        "reports.view_board_packs",
        "measures.change_measure",
        "measures.import_measures",
        "measures.add_measurevalue",
        "measures.change_measurevalue",
    },
    "Board member": {
        "actions.view_action",
        "actions.view_progressupdate",
        "actions.view_evidence",
        "actions.view_any_evidence",
        "reports.view_dashboard",
        "reports.view_progresssnapshot",
        "reports.view_board_packs",
        "measures.view_measure",
    },
    "Communications editor": {
        "reports.view_publishedupdate",
        "reports.change_publishedupdate",
        "reports.publish_publishedupdate",
        "secamb_journey.view_trustprofile",
        "secamb_journey.change_trustprofile",
    },
}


def test_every_role_exists_as_a_group_with_exactly_its_permissions():
    granted = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.filter(name__in=EXPECTED_GROUPS).prefetch_related("permissions__content_type")
    }
    assert granted == EXPECTED_GROUPS


@pytest.mark.parametrize(
    ("persona", "permission", "expected"),
    [
        ("lead", "actions.assure_action", True),
        ("owner", "actions.assure_action", False),
        ("board", "actions.assure_action", False),
        ("owner", "actions.add_progressupdate", True),
        ("board", "actions.add_progressupdate", False),
        ("board", "reports.view_dashboard", True),
        ("lead", "reports.view_dashboard", True),
        ("owner", "reports.view_dashboard", False),
        ("comms", "reports.view_dashboard", False),
        ("board", "reports.view_board_packs", True),
        ("lead", "reports.view_board_packs", True),
        ("owner", "reports.view_board_packs", False),
        ("comms", "reports.view_board_packs", False),
        ("comms", "reports.publish_publishedupdate", True),
        ("comms", "secamb_journey.change_trustprofile", True),
        ("lead", "secamb_journey.change_trustprofile", False),
        ("lead", "reports.publish_publishedupdate", False),
        ("lead", "actions.change_action", True),
        ("owner", "actions.change_action", False),
        ("outsider", "actions.view_action", False),
    ],
)
def test_what_each_role_may_do(request, persona, permission, expected):
    assert request.getfixturevalue(persona).has_perm(permission) is expected


def test_staff_members_are_those_holding_a_role(owner, board, comms, outsider):
    assert is_staff_member(owner) and is_staff_member(board) and is_staff_member(comms)
    assert not is_staff_member(outsider)


def test_role_labels_are_the_trusts_words():
    assert [r.label for r in Role] == ["Action owner", "Improvement lead", "Board member", "Communications editor"]
