"""What a person may do is read once per request (secamb_journey.permissions), and every way
of changing someone's roles or permissions applies from their next request: in code, in the admin, by a
bulk delete, by raw SQL, by renaming the role's group, by the superuser flag.

The work queue is the page under test: only an improvement lead (actions.assure_action) may open it.
Each change is made after a request of theirs has read their access.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.tests.factories import UserFactory
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db

QUEUE = "/actions/queue/"
PERMISSION_TABLES = ("auth_permission", "auth_group", "auth_user_user_permissions")


def _lead_group():
    return Group.objects.get(name=Role.LEAD.label)


def _assure():
    return Permission.objects.get(content_type__app_label="actions", codename="assure_action")


def test_a_staff_page_reads_the_persons_groups_and_permissions_once_per_request(client_for, lead):
    client = client_for(lead)
    for _ in range(2):  # each request reads them: nothing is kept between requests
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        read = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in PERMISSION_TABLES)]
        assert 1 <= len(read) <= 3


def _role_taken_away(lead, administrator):
    lead.groups.remove(_lead_group())


def _memberships_deleted_in_bulk(lead, administrator):
    get_user_model().groups.through.objects.filter(user=lead).delete()


def _memberships_deleted_by_raw_sql(lead, administrator):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user_groups WHERE user_id = %s", [lead.pk])


def _permission_taken_from_the_role_in_the_admin(lead, administrator):
    group = _lead_group()
    kept = group.permissions.exclude(pk=_assure().pk).values_list("pk", flat=True)
    response = administrator.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": group.name, "permissions": list(kept), "_save": "Save"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not group.permissions.filter(pk=_assure().pk).exists()


def _the_roles_group_renamed(lead, administrator):
    # Not a role any more (roles are known by their group's name): the person is no longer staff.
    Group.objects.filter(name=Role.LEAD.label).update(name="Former improvement leads")


def _the_permission_deleted(lead, administrator):
    _assure().delete()


TAKE_AWAY = {
    "role taken away": _role_taken_away,
    "memberships deleted in bulk": _memberships_deleted_in_bulk,
    "memberships deleted by raw SQL": _memberships_deleted_by_raw_sql,
    "permission taken from the role in the admin": _permission_taken_from_the_role_in_the_admin,
    "the role's group renamed": _the_roles_group_renamed,
    "the permission deleted": _the_permission_deleted,
}


@pytest.mark.parametrize("how", TAKE_AWAY)
def test_access_taken_away_by_every_path_is_refused_at_the_next_request(how, client_for, lead):
    administrator = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    client = client_for(lead)
    assert client.get(QUEUE).status_code == 200
    TAKE_AWAY[how](lead, administrator)
    assert client.get(QUEUE).status_code == 403


GIVE_AND_TAKE = {
    "the permission, to the person directly": (
        lambda person: person.user_permissions.add(_assure()),
        lambda person: person.user_permissions.remove(_assure()),
    ),
    "the improvement lead role": (
        lambda person: person.groups.add(_lead_group()),
        lambda person: person.groups.remove(_lead_group()),
    ),
}


@pytest.mark.parametrize("what", GIVE_AND_TAKE)
def test_access_given_then_taken_away_applies_at_each_next_request(what, client_for, owner):
    give, take = GIVE_AND_TAKE[what]
    client = client_for(owner)
    assert client.get(QUEUE).status_code == 403
    give(owner)
    assert client.get(QUEUE).status_code == 200
    take(owner)
    assert client.get(QUEUE).status_code == 403


def test_the_superuser_flag_taken_away_takes_its_permissions_with_it(client_for, owner):
    get_user_model().objects.filter(pk=owner.pk).update(is_superuser=True)
    client = client_for(owner)
    assert client.get(QUEUE).status_code == 200
    get_user_model().objects.filter(pk=owner.pk).update(is_superuser=False)
    assert client.get(QUEUE).status_code == 403


def test_an_inactive_person_has_no_permissions_whatever_their_roles(lead):
    assert lead.has_perm("actions.assure_action")
    fresh = get_user_model().objects.get(pk=lead.pk)
    fresh.is_active = False
    assert not fresh.has_perm("actions.assure_action")
    assert fresh.get_all_permissions() == set()
