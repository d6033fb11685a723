"""Every URL in the URL conf, as every role and as an anonymous visitor, against a table of what each
may get. The URLs come from the resolver, not a hand-kept list: a page added without a row in
EXPECTED fails this test, so no page can be added without its permissions being decided and tested.

Each GET must answer exactly as the table says. Every role the table refuses is also sent a POST
(forms, and actions such as publish), which must be refused too: never 200, never a redirect other
than to sign in.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from actions.choices import Status
from actions.tests.factories import ActionFactory, EvidenceFactory, ProgressUpdateFactory
from measures.tests.factories import MeasureFactory, add_values
from pillars.tests.factories import PillarFactory, StrategicGoalFactory
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

ROLES = ("anon", "owner", "other_owner", "lead", "board", "comms", "outsider")
LOGIN = "login"  # a redirect to the sign-in page, coming back to this URL afterwards

# Deliberately not walked: Django's admin (its own permission system, staff accounts only; its
# sign-in is tested in test_security_sign_in.py) and static-like routes that serve files to anyone.
SKIPPED_PREFIXES = ("admin:",)
SKIPPED_ROUTES = ("admin/",)
SKIPPED_NAMES = {"nhsuk_asset"}


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff_only(anon=LOGIN, outsider=403, **roles):
    """A staff page: anonymous to sign in, no role 403, each staff role as given."""
    return {"anon": anon, "outsider": outsider, **roles}


PUBLIC = everyone(200)

# What each role gets from a GET of each named URL. A value is a status code, or LOGIN.
EXPECTED = {
    # --- Public pages: anyone, signed in or not.
    "reports:home": PUBLIC,
    "reports:public_updates": PUBLIC,
    "reports:public_feed": PUBLIC,
    "reports:public_update": PUBLIC,
    "reports:public_update_section": PUBLIC,
    "reports:open_data": PUBLIC,
    "reports:open_data_csv": PUBLIC,
    "reports:open_data_json": PUBLIC,
    # Past figures as open data (issue 25): the public figures on a day, and an update's frozen ones.
    "reports:open_data_figures": PUBLIC,
    "reports:open_data_update": PUBLIC,
    # The public plan (issue 13): every public action, and one.
    "reports:public_plan": PUBLIC,
    "reports:public_plan_action": PUBLIC,
    "accessibility": PUBLIC,
    # The words the public pages use, in plain English (issue 27).
    "glossary": PUBLIC,
    # Public measures (issue 12): the world's measure is public; an internal one is 404 (tested in measures/tests).
    "measures_public:performance": PUBLIC,
    "measures_public:performance_detail": PUBLIC,
    "measures_public:open_data_csv": PUBLIC,
    "measures_public:open_data_json": PUBLIC,
    # 200 when the database and broker answer (the test settings run tasks eagerly, so no broker).
    "healthz": PUBLIC,
    # Signing in: a signed-in person is sent on to their own work (secamb_journey.landing).
    "login": {**everyone(302), "anon": 200},
    # Sign-out is by POST only.
    "logout": everyone(405),
    # The second factor: for a signed-in person only; with no app set up, the code page sends them to set one up.
    "two_factor_verify": {**everyone(302), "anon": LOGIN},
    "two_factor_setup": {**everyone(200), "anon": LOGIN},
    # Single sign-on: 404 here, where it is not set up (with it set up: secamb_journey/tests/test_oidc_*.py).
    "oidc_sign_in": everyone(404),
    "oidc_callback": everyone(404),
    # Signed in without a role: the page that says whom to ask; anyone with a role goes on to their work.
    "no_role": {**everyone(302), "anon": LOGIN, "outsider": 200},
    # --- The action register and actions: staff with actions.view_action (not comms, not outsiders).
    "actions:register": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    "actions:mine": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    # The work queue: improvement leads (who may assure) only.
    "actions:queue": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "actions:detail": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    # Export and import: improvement leads only.
    "actions:export": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "actions:import": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # Leavers' open actions and the form that gives them a new owner: improvement leads only.
    "actions:needs_owner": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # Creating and editing: improvement leads only.
    "actions:new": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "actions:edit": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # Progress and evidence: the action's own owner, or an improvement lead; another owner is refused.
    "actions:progress": staff_only(owner=200, other_owner=403, lead=200, board=403, comms=403),
    "actions:evidence": staff_only(owner=200, other_owner=403, lead=200, board=403, comms=403),
    # Evidence files are need-to-know: the action's owner and executive lead, leads and board; not
    # another owner (issue 18); comms never.
    "actions:evidence_download": staff_only(owner=200, other_owner=403, lead=200, board=200, comms=403),
    # Sign-off: improvement leads only (four eyes is tested in actions/tests/test_permissions.py).
    "actions:assure": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # Not assured, returned to the owner: leads only; a GET goes to the sign-off page, where its form is.
    "actions:return_completion": staff_only(owner=403, other_owner=403, lead=302, board=403, comms=403),
    # --- Governance (issue 13). A new due date: the owner asks, a lead (who does not own it) agrees.
    "actions:due_date": staff_only(owner=200, other_owner=403, lead=200, board=403, comms=403),
    # Deciding on a revision, putting to a committee, sustainability, reopening: improvement leads
    # (four eyes inside: actions/tests/test_governance.py).
    "actions:due_date_decide": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "actions:put_to_meeting": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "actions:sustainability": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "actions:reopen": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # Committees, agendas and meetings: anyone who may see actions; recording a decision: leads.
    "committees:list": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    "committees:detail": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    "committees:meeting": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    "committees:decide": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # --- The board dashboard: reports.view_dashboard (leads and the board).
    "reports:dashboard": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    "reports:dashboard_pillar": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    "reports:dashboard_theme": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    "reports:dashboard_goal": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    # One click from the first screen (issue 14): pillars and themes in full, and CQC compliance.
    "reports:dashboard_pillars": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    "reports:dashboard_cqc": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    # --- Board packs (issue 14): reports.view_board_packs (board members and leads); list, page, PDF.
    "reports:board_packs": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    "reports:board_pack": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    "reports:board_pack_pdf": staff_only(owner=403, other_owner=403, lead=200, board=200, comms=403),
    # --- Measures: staff with measures.view_measure (owners, leads, the board; not comms, not outsiders).
    "measures:summary": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    "measures:detail": staff_only(owner=200, other_owner=200, lead=200, board=200, comms=403),
    # Entering, correcting and importing values: improvement leads only.
    "measures:value_new": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "measures:value_correct": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    "measures:import": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # A large import's progress page: the lead who confirmed it (any other lead gets 404).
    "measures:import_run": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=403),
    # --- Editorial pages: leads review and edit drafts; only communications editors publish and withdraw.
    # /reports/ only redirects to the list, which checks.
    "reports:editorial_home": {**everyone(302)},
    "reports:editorial_updates": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=200),
    "reports:editorial_update": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=200),
    # Starting last month's draft now: POST only, whoever may edit drafts (leads and communications editors).
    "reports:editorial_start": staff_only(owner=403, other_owner=403, lead=405, board=403, comms=405),
    "reports:editorial_preview": staff_only(owner=403, other_owner=403, lead=200, board=403, comms=200),
    # Refresh is POST only: a GET from someone who may refresh is 405; from anyone else, 403.
    "reports:editorial_refresh": staff_only(owner=403, other_owner=403, lead=405, board=403, comms=405),
    "reports:editorial_publish": staff_only(owner=403, other_owner=403, lead=403, board=403, comms=200),
    "reports:editorial_withdraw": staff_only(owner=403, other_owner=403, lead=403, board=403, comms=200),
    # The trust profile (issue 30): secamb_journey.change_trustprofile, communications editors only.
    "reports:editorial_trust_profile": staff_only(owner=403, other_owner=403, lead=403, board=403, comms=200),
    "reports:editorial_trust_profile_history": staff_only(owner=403, other_owner=403, lead=403, board=403, comms=200),
    # Redacting published words (issue 28, finding 8): administrators only, no role.
    "reports:redact": staff_only(owner=403, other_owner=403, lead=403, board=403, comms=403),
    # Starting a corrected update: POST only, communications editors only.
    "reports:editorial_correct": staff_only(owner=403, other_owner=403, lead=405, board=403, comms=405),
}

# Who may POST where a GET tells us nothing (405 for everyone): those the table above cannot show.
POST_REFUSED = {
    "reports:editorial_start": {"anon": LOGIN, "owner": 403, "other_owner": 403, "board": 403, "outsider": 403},
    "reports:editorial_refresh": {"anon": LOGIN, "owner": 403, "other_owner": 403, "board": 403, "outsider": 403},
    "reports:editorial_correct": {
        "anon": LOGIN,
        "owner": 403,
        "other_owner": 403,
        "lead": 403,
        "board": 403,
        "outsider": 403,
    },
}

# URLs whose POST is harmless to everyone, or is how the page is meant to be used by anyone.
POST_OPEN = {"login", "logout", "two_factor_verify", "two_factor_setup", "healthz"}


@dataclass
class World:
    reference: str
    evidence_id: int
    pillar_slug: str
    theme_slug: str
    goal_slug: str
    published_slug: str
    draft_slug: str
    measure_slug: str
    revision_id: int = 0
    committee_id: int = 0
    meeting_id: int = 0
    decision_id: int = 0
    pack_id: int = 0
    import_run_id: int = 0


def build_world(owner, board) -> World:
    from reports.models import PublishedUpdate, UpdateStatus
    from reports.services import update_draft_for_period

    goal = StrategicGoalFactory()
    pillar = PillarFactory()
    pillar.goals.add(goal)
    theme = ThemeFactory()
    theme.pillars.add(pillar)
    action = ActionFactory(reference="MD-010", owner=owner, executive_lead=board, pillar=pillar, is_public=True)
    action.themes.add(theme)
    evidence = EvidenceFactory(action=action)
    ProgressUpdateFactory(action=action, status=Status.COMPLETE, percent_complete=100)
    action.status, action.percent_complete = Status.COMPLETE, 100
    action.save()
    import datetime

    published = update_draft_for_period(period=datetime.date(2026, 1, 1))
    published.status = UpdateStatus.PUBLISHED
    published.published_at = published.drafted_at
    published.save()
    draft = update_draft_for_period(period=datetime.date(2026, 2, 1))
    measure = MeasureFactory(slug="cat1-mean", is_public=True)
    add_values(measure, [8.2, 7.9, 8.4], start=datetime.date(2025, 11, 1))
    assert PublishedUpdate.objects.filter(status=UpdateStatus.DRAFT).count() == 1
    # Governance: a requested revision of the action's due date, and an assured action on a meeting's agenda.
    from actions.models import Committee, CommitteeDecision, DueDateRevision, Meeting
    from actions.tests.factories import UserFactory

    revision = DueDateRevision.objects.create(
        action=action,
        previous_due_date=action.due_date,
        new_due_date=action.due_date + datetime.timedelta(days=30),
        reason="Supplier delay",
        requested_by=owner,
    )
    committee = Committee.objects.create(name="Quality Governance Committee")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2026, 1, 20))
    assured = ActionFactory(reference="MD-011", owner=owner, executive_lead=board, pillar=pillar, status=Status.ASSURED)
    decision = CommitteeDecision.objects.create(action=assured, meeting=meeting, put_by=UserFactory())
    from reports.services.board_pack import board_pack_generate

    pack = board_pack_generate(meeting=meeting).pack
    from measures.models import ImportRun
    from secamb_journey.roles import Role

    # A large import's run, by the `lead` persona (the same person as conftest's fixture: got or created).
    lead = UserFactory(username="lead", first_name="Jo", last_name="Clarke", roles=[Role.LEAD])
    run = ImportRun.objects.create(uploaded_by=lead, name="weeks.csv", sha256="0" * 64, rows=2001)
    return World(
        reference=action.reference,
        evidence_id=evidence.pk,
        pillar_slug=pillar.slug,
        theme_slug=theme.slug,
        goal_slug=goal.slug,
        published_slug=published.slug,
        draft_slug=draft.slug,
        measure_slug=measure.slug,
        revision_id=revision.pk,
        committee_id=committee.pk,
        meeting_id=meeting.pk,
        decision_id=decision.pk,
        pack_id=pack.pk,
        import_run_id=run.pk,
    )


def _walk(patterns, prefix="", namespace=""):
    """(name, route, parameter names) for every pattern in the root URL conf, recursively."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + str(entry.pattern), list(entry.pattern.regex.groupindex)


def _arguments(name: str, parameters: list[str], world: World) -> dict:
    values = {}
    for parameter in parameters:
        if parameter == "reference":
            values[parameter] = world.reference
        elif parameter == "evidence_id":
            values[parameter] = world.evidence_id
        elif parameter in ("revision_id", "committee_id", "meeting_id", "decision_id", "pack_id"):
            values[parameter] = getattr(world, parameter)
        elif parameter == "pk" and name == "measures:import_run":
            values[parameter] = world.import_run_id
        elif parameter == "field":
            values[parameter] = "revision_reason"
        elif parameter == "record_id":
            values[parameter] = world.revision_id
        elif parameter == "section":
            values[parameter] = "completed"
        elif parameter == "period":
            values[parameter] = "2025-11"
        elif parameter == "slug" and name.startswith(("measures:", "measures_public:")):
            values[parameter] = world.measure_slug
        elif parameter == "slug":
            values[parameter] = {
                "reports:dashboard_pillar": world.pillar_slug,
                "reports:dashboard_theme": world.theme_slug,
                "reports:dashboard_goal": world.goal_slug,
                "reports:public_update": world.published_slug,
                "reports:public_update_section": world.published_slug,
                "reports:open_data_update": world.published_slug,
            }.get(name, world.draft_slug if name.startswith("reports:editorial") else None)
            assert values[parameter], f"No object for the slug of {name}: map it in _arguments()"
        else:
            raise AssertionError(f"{name} takes <{parameter}>: build an object for it in build_world() and map it here")
    return values


def _outcome(response, url):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="):
        return LOGIN
    return response.status_code


def _clients(people) -> dict[str, Client]:
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return clients


def _problems(expected_table: dict, clients: dict[str, Client], world: World) -> list[str]:
    from django.urls import reverse

    walked, problems = set(), []
    for name, route, parameters in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_ROUTES):
            continue
        if name is None:
            problems.append(f"the route {route!r} has no name: name it, and add it to EXPECTED")
            continue
        if name.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        walked.add(name)
        if name not in expected_table:
            problems.append(
                f"{name} ({route}) is not in EXPECTED in {__name__}: add a row saying what each of "
                f"{', '.join(ROLES)} may get"
            )
            continue
        url = reverse(name, kwargs=_arguments(name, parameters, world))
        for role in ROLES:
            expected = expected_table[name][role]
            got = _outcome(clients[role].get(url), url)
            if got != expected:
                problems.append(f"GET {url} ({name}) as {role}: expected {expected}, got {got}")
            refused = POST_REFUSED.get(name, {}).get(role, expected if expected in (LOGIN, 403, 404) else None)
            if refused is not None and name not in POST_OPEN:
                posted = _outcome(clients[role].post(url, {}), url)
                if posted not in (refused, 405):
                    problems.append(f"POST {url} ({name}) as {role}: expected refusal {refused}, got {posted}")
    stale = set(expected_table) - walked
    if stale:
        problems.append(f"EXPECTED has rows for URLs that no longer exist: {sorted(stale)}")
    return problems


def test_every_url_answers_each_role_as_the_table_says(people, owner, board):
    world = build_world(owner, board)
    problems = _problems(EXPECTED, _clients(people), world)
    assert not problems, "\n".join(problems)


def test_a_page_missing_from_the_table_fails_the_walk_and_says_what_to_do(people, owner, board):
    world = build_world(owner, board)
    without = {name: row for name, row in EXPECTED.items() if name != "actions:detail"}
    problems = _problems(without, _clients(people), world)
    assert problems == [
        "actions:detail (actions/<str:reference>/) is not in EXPECTED in "
        f"{__name__}: add a row saying what each of {', '.join(ROLES)} may get"
    ]


def test_a_page_that_lets_a_refused_role_in_fails_the_walk(people, owner, board):
    world = build_world(owner, board)
    too_strict = {**EXPECTED, "actions:detail": {**EXPECTED["actions:detail"], "board": 403}}
    problems = _problems(too_strict, _clients(people), world)
    assert any("GET /actions/MD-010/ (actions:detail) as board: expected 403, got 200" in p for p in problems)
