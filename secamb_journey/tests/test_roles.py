"""Roles are groups created by a migration; code asks for permissions, never group names."""

import pytest
from django.contrib.auth.models import Group

from secamb_journey.roles import ROLE_PERMISSIONS, Role, is_staff_member

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_with_exactly_its_permissions():
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.label)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(codes)


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
        ("comms", "reports.publish_publishedupdate", True),
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
