"""Fixtures for the browser tests: Debian's Chromium, the app on loopback, demo data, signed-in contexts,
and axe-core. The list of pages every accessibility check walks is PAGES, below: a new page is one line.

The demo world: the tests that only read (load pages, sign in, follow links) share one, seeded once
and kept in the test database until the last of them; a test that changes it is marked `fresh_world`
(a page case: `writes=True`) and gets a world of its own, seeded before it and removed after, as every
test did before. A shared-world test that adds or removes rows anyway fails, naming the tables.
"""

import contextlib
import datetime
import io
import os
from dataclasses import dataclass
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread; Django then refuses database access
# from it (and at the app server's teardown) as "async-unsafe" unless told this is intended. Tests only;
# scripts/test.sh exports the same. Set before any fixture opens a connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402 -- after the environment above, on purpose
from django.conf import settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what the public sector accessibility regulations require.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The path the tests serve axe-core at, on the app's own origin, so the page's CSP (script-src 'self')
# lets it run without switching the CSP off. Only the test browser ever sees it (page.route).
AXE_PATH = "/__tests__/axe.min.js"


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run scripts/install-system-packages.sh")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)
    _shared_world_tests_first(items)


def _shared_world_tests_first(items) -> None:
    """The tests on the shared world before those with a world of their own, each group in its order, so
    the shared one is seeded once. Only the slots these tests already hold are reused: where other
    hooks (pytest-django's database order) put the browser tests is left as it was.
    """
    slots = [n for n, item in enumerate(items) if "world" in getattr(item, "fixturenames", ())]
    ordered = sorted((items[n] for n in slots), key=lambda item: item.get_closest_marker("fresh_world") is not None)
    for n, item in zip(slots, ordered, strict=True):
        items[n] = item


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser (`playwright install` is not used anywhere)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": browser_type_launch_args.get("headless", True),
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


# --- Data ----------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    published_slug: str
    draft_slug: str
    pillar_slug: str
    theme_slug: str
    goal_slug: str


def months_ago(count: int) -> str:
    """'YYYY-MM' for the month `count` months before this one."""
    day = datetime.date.today().replace(day=1)
    for _ in range(count):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return f"{day:%Y-%m}"


# Every status, each owner, a lead's own action, a private one, overdue and not; and the governance
# journey (issue 13): ratified, embedded, returned, reopened, awaiting a committee.
DEMO_SUBSET = {"WN-01", "WN-02", "WN-03", "WN-04", "MD-01", "MD-02", "MD-03", "MD-07", "SD-03", "IJ-08", "IJ-10"} | {
    "MD-11",
    "WN-05",
    "MD-12",
    "MD-13",
    "SD-09",
    "MD-14",
}


def seed_world() -> World:
    """The demo trust: strategy, one user per role, a dozen of the demo actions with their histories
    (every status, public and not), a published update (two months ago) and a draft (last month), and the
    board pack of the demo's next meeting (issue 14), as seed_demo makes them.

    Seventeen actions rather than all 39: the tests that change the world build one each.
    """
    from django.core.management import call_command

    from actions.demo import replay as action_demo
    from measures.demo import seed_demo_measures
    from pillars.models import Pillar, StrategicGoal
    from reports.management.commands.seed_demo import demo_board_pack_seed
    from reports.models import PublishedUpdate
    from reports.trust_profile import default_profile_load
    from secamb_journey import demo
    from themes.models import Theme

    default_profile_load()
    users = demo.demo_users_seed()
    action_demo.demo_actions_seed(users, references=DEMO_SUBSET)  # their histories replayed, in time order
    seed_demo_measures()
    call_command("generate_update", period=months_ago(2), publish=True, stdout=io.StringIO())
    call_command("generate_update", period=months_ago(1), stdout=io.StringIO())
    demo_board_pack_seed()
    published, draft = PublishedUpdate.objects.order_by("period")
    return World(
        users=users,
        published_slug=published.slug,
        draft_slug=draft.slug,
        pillar_slug=Pillar.objects.order_by("number").first().slug,
        theme_slug=Theme.objects.order_by("number").first().slug,
        goal_slug=StrategicGoal.objects.order_by("number").first().slug,
    )


# What a test that only reads may still write: its sessions and sign-ins (and their audit).
NOT_THE_WORLD = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def row_counts() -> dict[str, int]:
    """How many rows each table of the world holds: what a shared-world test must leave as it found."""
    from django.apps import apps

    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_THE_WORLD and model._meta.managed and not model._meta.proxy
    }


class Worlds:
    """The demo worlds in the test database, committed, so that the app's server thread sees them.

    Each starts from the database as its migrations left it (conftest.py, migrated_database), whatever
    the tests before did to it, and is removed by putting that back (flush, then the copy), as
    pytest-django's serialized rollback would.
    """

    def __init__(self, migrated: dict[str, str], shared_media_root: Path):
        self.migrated = migrated
        self.shared_media_root = shared_media_root  # the shared world's evidence files, kept with it
        self.shared: World | None = None
        self._shared_counts: dict[str, int] = {}
        self._in_database = False

    def _as_migrated(self) -> None:
        from django.core.management import call_command
        from django.db import connections

        for alias, contents in self.migrated.items():
            call_command("flush", database=alias, interactive=False, verbosity=0, inhibit_post_migrate=True)
            connections[alias].creation.deserialize_db_from_string(contents)

    def _seed(self) -> World:
        self._as_migrated()
        self._in_database = True
        return seed_world()

    def remove(self) -> None:
        if self._in_database:
            self._as_migrated()
            self._in_database = False
        self.shared = None

    def shared_world(self) -> World:
        if self.shared is None:
            self.shared = self._seed()
            self._shared_counts = row_counts()
        return self.shared

    def check_shared_world_unchanged(self, test_name: str) -> None:
        now = row_counts()
        changed = {label: (n, now.get(label)) for label, n in self._shared_counts.items() if now.get(label) != n}
        if changed:
            self.remove()  # the next test gets the shared world as it should be
            pytest.fail(
                f"{test_name} changed the shared demo world (rows before and after: {changed}); mark it "
                "fresh_world (a page case: writes=True) so that it gets a world of its own"
            )

    @contextlib.contextmanager
    def fresh_world(self):
        self.remove()
        try:
            yield self._seed()
        finally:
            self.remove()


@pytest.fixture(scope="package")
def worlds(migrated_database, django_db_blocker, tmp_path_factory):
    """The browser tests' worlds; the last one is removed when the browser tests are done."""
    keeper = Worlds(migrated_database, tmp_path_factory.mktemp("shared-world") / "media")
    yield keeper
    with django_db_blocker.unblock():
        keeper.remove()


@pytest.fixture(scope="session")
def app_server(django_db_setup):
    """The app on loopback, one for the session, serving whichever world is in the database.

    pytest-django's live_server would make every test that asks for it a transactional test, whose
    database is emptied after it: this one leaves the worlds to `worlds`.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def world(request, worlds, app_server, django_db_blocker, settings):
    """The demo trust (seed_world), served by app_server: the shared one, or for a test marked
    fresh_world a world of its own. The database is open to the test and the server for the test's
    duration, outside any transaction, as when the app runs.
    """
    with django_db_blocker.unblock():
        if request.node.get_closest_marker("fresh_world"):
            with worlds.fresh_world() as fresh:
                yield fresh
        else:
            settings.MEDIA_ROOT = worlds.shared_media_root
            yield worlds.shared_world()
            worlds.check_shared_world_unchanged(request.node.nodeid)


# --- Signing in ----------------------------------------------------------------------------------


def session_cookie(user, url: str) -> dict:
    """A signed-in session for `user`, as a cookie for a browser context (no trip through the form)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.fixture
def page_as(new_context, app_server, world):
    """page_as(username or None, **context options) -> a page in a fresh context signed in as that
    demo user (None: anonymous). Contexts are cheap; the browser is one per session.
    """

    def make(username, **context_args):
        context = new_context(base_url=app_server.url, **context_args)
        if username:
            context.add_cookies([session_cookie(world.users[username], app_server.url)])
        context.set_default_timeout(10_000)
        context.route(f"**{AXE_PATH}", lambda route: route.fulfill(path=AXE_JS, content_type="text/javascript"))
        # The NHS.UK stylesheet asks assets.nhs.uk for the Frutiger font. These machines are offline, and
        # waiting for the name lookup to fail took up to 5 s a page; refused at once, the page falls back
        # to Arial, as it does for anyone whose network blocks that host.
        context.route("https://assets.nhs.uk/**", lambda route: route.abort())
        page = context.new_page()
        page.script_errors = []  # uncaught exceptions and console errors, bar the refused font
        page.on("pageerror", lambda error: page.script_errors.append(str(error)))
        page.on("console", lambda message: _note_console_error(page, message))
        return page

    return make


def _note_console_error(page, message) -> None:
    if message.type != "error":
        return
    source = message.location.get("url", "")
    # Expected: the font host refused above, and an error page's own status (403, 404, 500).
    if source.startswith("https://assets.nhs.uk/") or (source == page.url and "status of" in message.text):
        return
    page.script_errors.append(f"{message.text} ({source})")


def sign_in_with_form(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


# --- axe-core ------------------------------------------------------------------------------------


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now, with the WCAG A and AA rules: the violations found."""
    page.add_script_tag(url=AXE_PATH)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)


# --- Every kind of page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCase:
    """One page to check. url: a path, or a function of the World giving one. persona: a demo
    username, or None for a visitor. setup: an optional function(page) run after loading, to bring the
    page to the state to check (e.g. submit a form empty so its errors show). status: the HTTP status
    expected. writes: the setup changes the world (a failed sign-in is counted, a person leaves), so the
    case gets a world of its own (fresh_world) rather than the shared one.
    """

    name: str
    url: object
    persona: str | None = None
    setup: object = None
    status: int = 200
    writes: bool = False

    def path(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    @property
    def param(self):
        """The case as a test parameter, named, and marked fresh_world if it writes."""
        return pytest.param(self, id=self.name, marks=[pytest.mark.fresh_world] if self.writes else [])


def submit(button_name: str):
    def run(page):
        with page.expect_navigation():
            page.get_by_role("button", name=button_name).click()

    return run


def clear_and_submit(field_label: str, button_name: str):
    def run(page):
        page.get_by_label(field_label, exact=True).fill("")
        submit(button_name)(page)

    return run


def wrong_password(page):
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("not-the-password")
    submit("Sign in")(page)


def with_a_leaver(then=None):
    """owner2's account switched off (a leaver), so their open actions need a new owner; reload."""

    def run(page):
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="owner2").update(is_active=False)
        page.reload()
        if then:
            then(page)

    return run


# An open action the owner owns, and one complete with evidence waiting for assurance.
OPEN = "MD-02"
COMPLETE = "WN-03"


def _committee_url() -> str:
    from actions.models import Committee

    return Committee.objects.get(name="Quality Governance Committee").get_absolute_url()


def _board_pack_url() -> str:
    """The board pack of the demo's next meeting (issue 14): seed_world makes it, as seed_demo does."""
    from reports.management.commands.seed_demo import demo_board_pack_seed

    return demo_board_pack_seed().get_absolute_url()  # the one there, made again only if it is not


def revision_to_decide_url() -> str:
    """A due-date revision the owner asks for on OPEN, and the page where a lead decides it (issue 27)."""
    from actions.models import Action
    from actions.services.governance import due_date_revision_request

    action = Action.objects.get(reference=OPEN)
    revision = due_date_revision_request(
        action=action,
        requested_by=action.owner,
        new_date=action.due_date + datetime.timedelta(days=60),
        reason="The supplier delivers the new fridges later.",
    )
    return f"/actions/{OPEN}/due-date/{revision.pk}/"


def _meeting_url() -> str:
    """A meeting with a decision recorded on it: its table of actions, decisions, minutes and who recorded them."""
    from actions.models import CommitteeDecision

    return CommitteeDecision.objects.exclude(recorded_by=None).order_by("pk").first().meeting.get_absolute_url()


def _committee_decision_url() -> str:
    """The form recording a committee's decision on an action awaiting one (the demo has one)."""
    from actions.models import CommitteeDecision, Decision

    return f"/committees/decisions/{CommitteeDecision.objects.filter(decision=Decision.PENDING).first().pk}/"


def with_a_chosen_file_and_no_narrative(page):
    """The evidence file chosen, the narrative left empty: the form comes back offering the file."""
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "audit.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% audit\n" + b"x" * 100}]
    )
    page.get_by_label("What has been done since the last update?").fill("")
    submit("Save progress")(page)


PAGES = [
    # Public
    PageCase("home", "/"),
    PageCase("public updates list", "/updates/"),
    PageCase("public update", lambda w: f"/updates/{w.published_slug}/"),
    PageCase("public update highlights in full", lambda w: f"/updates/{w.published_slug}/highlights/"),
    PageCase("open data", "/open-data/"),
    PageCase("accessibility statement", "/accessibility/"),
    PageCase("what the words mean", "/words/"),
    PageCase("public plan", "/plan/"),
    PageCase("public plan action", "/plan/WN-01/"),
    # Sign in
    PageCase("sign in", "/accounts/login/"),
    PageCase("sign in with errors", "/accounts/login/", setup=wrong_password, writes=True),
    PageCase("sign in left empty", "/accounts/login/", setup=submit("Sign in")),
    # Staff
    PageCase("register", "/actions/", "lead"),
    PageCase("register filtered", "/actions/?status=at_risk&sort=-due", "lead"),
    PageCase("my actions", "/actions/mine/", "owner"),
    PageCase("my actions (executive lead)", "/actions/mine/", "board"),
    PageCase("work queue", "/actions/queue/", "lead"),
    PageCase("action", f"/actions/{OPEN}/", "owner"),
    PageCase("progress form", f"/actions/{OPEN}/progress/", "owner"),
    PageCase(
        "progress form with errors",
        f"/actions/{OPEN}/progress/",
        "owner",
        setup=clear_and_submit("Percent complete", "Save progress"),
    ),
    PageCase(
        "progress form offering a chosen file",
        f"/actions/{OPEN}/progress/",
        "owner",
        setup=with_a_chosen_file_and_no_narrative,
        writes=True,  # the file is held for the owner
    ),
    PageCase("evidence form", f"/actions/{OPEN}/evidence/", "owner"),
    PageCase("evidence form with errors", f"/actions/{OPEN}/evidence/", "owner", setup=submit("Upload evidence")),
    PageCase("assure confirm", f"/actions/{COMPLETE}/assure/", "lead"),
    PageCase("new action", "/actions/new/", "lead"),
    PageCase("new action with errors", "/actions/new/", "lead", setup=submit("Create action")),
    PageCase("edit action", f"/actions/{OPEN}/edit/", "lead"),
    PageCase("import", "/actions/import/", "lead"),
    PageCase("import with errors", "/actions/import/", "lead", setup=submit("Check the file")),
    # Governance (issue 13)
    PageCase("governed action", "/actions/SD-09/", "owner"),
    PageCase("due date form", f"/actions/{OPEN}/due-date/", "owner"),
    PageCase("reopen form", "/actions/WN-02/reopen/", "lead"),
    PageCase("due date decision", lambda w: revision_to_decide_url(), "lead", writes=True),
    PageCase("committees", "/committees/", "lead"),
    PageCase("committee agenda", lambda w: _committee_url(), "lead"),
    PageCase("committee meeting", lambda w: _meeting_url(), "lead"),
    PageCase(
        "committee decision with errors",
        lambda w: _committee_decision_url(),
        "lead2",  # the demo's lead assured it: four eyes leave the decision to another
        setup=submit("Record the decision"),
    ),
    PageCase("actions that need a new owner", "/actions/needs-owner/", "lead", setup=with_a_leaver(), writes=True),
    PageCase(
        "actions that need a new owner with errors",
        "/actions/needs-owner/",
        "lead",
        setup=with_a_leaver(then=submit("Give them to this owner")),
        writes=True,
    ),
    # Board
    PageCase("dashboard", "/dashboard/", "board"),
    PageCase("dashboard pillars and themes", "/dashboard/pillars/", "board"),
    PageCase("dashboard CQC", "/dashboard/cqc/", "board"),
    PageCase("dashboard pillar", lambda w: f"/dashboard/pillars/{w.pillar_slug}/", "board"),
    PageCase("dashboard theme", lambda w: f"/dashboard/themes/{w.theme_slug}/", "board"),
    PageCase("dashboard goal", lambda w: f"/dashboard/goals/{w.goal_slug}/", "board"),
    # Board packs (issue 14)
    PageCase("board packs", "/board-packs/", "board"),
    PageCase("board pack", lambda w: _board_pack_url(), "board"),
    # Measures (issue 12)
    PageCase("measures summary", "/measures/", "board"),
    PageCase("measure", "/measures/cat1-mean/", "lead"),
    PageCase(
        "enter measure value with errors", "/measures/cat1-mean/values/new/", "lead", setup=submit("Save the value")
    ),
    PageCase("measures import", "/measures/import/", "lead"),
    PageCase("performance", "/performance/"),
    PageCase("performance measure", "/performance/cat1-mean/"),
    # Communications
    PageCase("editorial updates list", "/reports/updates/", "comms"),
    PageCase("edit update", lambda w: f"/reports/updates/{w.draft_slug}/", "comms"),
    PageCase(
        "edit update with errors",
        lambda w: f"/reports/updates/{w.draft_slug}/",
        "comms",
        setup=clear_and_submit("Headline", "Save draft"),
    ),
    PageCase("preview update", lambda w: f"/reports/updates/{w.draft_slug}/preview/", "comms"),
    PageCase("publish update confirm", lambda w: f"/reports/updates/{w.draft_slug}/publish/", "comms"),
    PageCase("published update (editorial)", lambda w: f"/reports/updates/{w.published_slug}/", "comms"),
    PageCase(
        "withdraw update with errors",
        lambda w: f"/reports/updates/{w.published_slug}/withdraw/",
        "comms",
        setup=submit("Withdraw update"),
    ),
    # The trust's public words (issue 30)
    PageCase("trust profile", "/reports/trust-profile/", "comms"),
    PageCase("trust profile preview", "/reports/trust-profile/", "comms", setup=submit("Preview")),
    PageCase(
        "trust profile with errors",
        "/reports/trust-profile/",
        "comms",
        setup=clear_and_submit("Full name", "Save changes"),
    ),
    PageCase("trust profile history", "/reports/trust-profile/history/", "comms"),
    # Second factor (improvement leads and administrators)
    PageCase("second factor setup", "/accounts/two-factor/setup/", "lead", writes=True),  # an unconfirmed device
    # Errors
    PageCase("403", "/dashboard/", "owner", status=403),
    PageCase("404", "/actions/NO-SUCH/", "owner", status=404),
    PageCase("404 public", "/no-such-page/", status=404),
    PageCase("500", "/__tests__/server-error/", status=500),
]

# The page kinds the reflow and text-size checks walk: one of each, forms with errors included.
REFLOW_PAGES = [
    p
    for p in PAGES
    if p.name
    in {
        "home",
        "public update",
        "open data",
        "sign in with errors",
        "register",
        "my actions",
        "work queue",
        "action",
        "progress form with errors",
        "new action",
        "dashboard",
        "dashboard CQC",
        "dashboard pillar",
        "committee meeting",
        "measures import",
        "measure",
        "performance measure",
        "edit update",
        "preview update",
        "trust profile with errors",
        "404",
    }
]


@pytest.fixture(autouse=True)
def _urls_with_a_failing_view(settings):
    """The real URLs plus one view that raises, so the 500 page can be loaded (see urls_500.py)."""
    settings.ROOT_URLCONF = "secamb_journey.tests.browser.urls_500"


def open_case(page_as, world, case: PageCase, **context_args):
    """Load the case's page as its persona, run its setup, and check the HTTP status."""
    page = page_as(case.persona, **context_args)
    response = page.goto(case.path(world))
    assert response.status == case.status, f"{case.name}: HTTP {response.status}, expected {case.status}"
    if case.setup:
        case.setup(page)
    return page
