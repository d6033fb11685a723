"""A role taken away in one process is refused by every other process at the person's next request.

What a person may do is read once per request, never cached across requests (secamb_journey.accounts.
permissions). Measured from outside, as the person would see it: gunicorn with three sync workers, each
of which has served the person before the change; the change made by
`manage.py shell` in yet another process (as an administrator's script, or the sign-in of the person at
the identity provider in another worker, would); without Redis, with Redis, and with Redis stopped.
"""

from reports.tests.processes import Site

READS = 30
PAGE = "/actions/mine/"  # any member of staff with the action owner role

SIGN_IN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from secamb_journey.roles import Role
person = get_user_model().objects.create_user(username="xproc-owner", password=None)
person.groups.add(Group.objects.get(name=Role.OWNER.label))
session = SessionStore()
session[SESSION_KEY] = str(person.pk)
session[BACKEND_SESSION_KEY] = "secamb_journey.accounts.backends.LocalPasswordBackend"
session[HASH_SESSION_KEY] = person.get_session_auth_hash()
session.create()
print(session.session_key)
"""
ROLE = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from secamb_journey.roles import Role
person = get_user_model().objects.get(username="xproc-owner")
person.groups.{verb}(Group.objects.get(name=Role.OWNER.label))
"""


def _statuses(site: Site, session: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _ in range(READS):
        status = site.get(PAGE, session=session)[0]
        counts[status] = counts.get(status, 0) + 1
    return counts


def _take_away_and_give_back(site: Site, *, before_change=None) -> None:
    session = site.manage(code=SIGN_IN).split()[-1]  # after the shell's own line about its imports
    site.start()
    assert _statuses(site, session) == {200: READS}  # every worker has served the person
    if before_change:
        before_change()
    site.manage(code=ROLE.format(verb="remove"))
    assert _statuses(site, session) == {403: READS}, "some workers still let in a person whose role was taken away"
    site.manage(code=ROLE.format(verb="add"))
    assert _statuses(site, session) == {200: READS}, "some workers still refused a person whose role was given back"


def test_without_redis_every_worker_refuses_a_role_taken_away_in_another_process(sites, tmp_path):
    _take_away_and_give_back(sites(tmp_path / "site"))


def test_with_redis_every_worker_refuses_a_role_taken_away_in_another_process(sites, redis, tmp_path):
    _take_away_and_give_back(sites(tmp_path / "site", redis_url=redis.url))


def test_with_redis_stopped_every_worker_refuses_a_role_taken_away_in_another_process(sites, redis, tmp_path):
    _take_away_and_give_back(sites(tmp_path / "site", redis_url=redis.url), before_change=redis.stop)
