"""The demo's pages read as prose, as each role sees them: no machine period in a sentence, no word said twice
in a row, no span of periods that says "to" twice ("October to December 2023 to July to September 2026").

test_no_none walks every page with every optional field empty; this reads the pages a newcomer meets first,
on the seeded demo (its stories, measures, updates and board pack), as the text a screen reader reads.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.choices import ActionType
from actions.models import Regulation
from actions.tests.factories import ActionFactory
from reports.models import BoardPack
from secamb_journey.periods import MONTHS
from secamb_journey.tests.test_no_none import forbidden_words, visible_text

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/updates/",
    "/updates/october-2026/",
    "/plan/",
    "/plan/SD-09/",
    "/performance/",
    "/performance/staff-engagement/",
    "/words/",
    "/accessibility/",
]
STAFF = [
    "/dashboard/",
    "/dashboard/pillars/",
    "/dashboard/cqc/",
    "/dashboard/themes/great-place-to-work/",
    "/measures/",
    "/measures/staff-engagement/",
    "/actions/",
    "/actions/SD-09/",
    "/actions/SD-03/",
    "/board-packs/",
    "/board-packs/{pack}/",
    "/committees/",
]
ROLES = {None: PUBLIC, "owner": ["/actions/mine/"], "lead": ["/actions/queue/", *STAFF], "comms": ["/reports/updates/"]}

MONTH = "|".join(MONTHS)
# "2026-11", "2026-Q3" or "2026-01-05" as a word of a sentence (the open data page explains the files' forms).
MACHINE_PERIOD = re.compile(r"\b20\d\d-(?:0[1-9]|1[0-2]|Q[1-4])(?:-\d\d)?\b")
# A span of periods whose ends are themselves spans: "October to December 2023 to July to September 2026".
TO_TWICE = re.compile(rf"\b(?:{MONTH}) to (?:{MONTH}) \d{{4}} to (?:{MONTH}) to\b")
# The same word twice running in a sentence ("the the"): lower case, as a table's header cell and a
# label, or a caption's last word and a header ("by status Status"), are not a sentence.
DOUBLED = re.compile(r"\b([a-z]{2,}) \1\b")


def prose_problems(text: str) -> list[str]:
    found = forbidden_words(text)
    for pattern in (MACHINE_PERIOD, TO_TWICE, DOUBLED):
        found += [text[max(m.start() - 60, 0) : m.end() + 60] for m in pattern.finditer(text)]
    return found


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return BoardPack.objects.latest("pk")


def test_the_demo_pages_read_as_prose_for_each_role(demo, client_for):
    problems, read = [], 0
    for username, paths in ROLES.items():
        client = client_for(get_user_model().objects.get(username=username) if username else None)
        for path in paths:
            response = client.get(path.format(pack=demo.pk), follow=True)
            assert response.status_code == 200, path
            problems += [f"{username or 'anon'} {path}: {p}" for p in prose_problems(visible_text(response.text))]
            read += 1
    assert read == sum(len(paths) for paths in ROLES.values())
    assert not problems, "\n".join(problems)


def test_the_checks_see_what_they_look_for():
    assert prose_problems("SPC chart of staff engagement, October to December 2023 to July to September 2026.")
    assert prose_problems("Figures for 2026-11 are in.") and prose_problems("due on the the day")
    assert not prose_problems("October 2023 to September 2026, none of them overdue; 1 to 2 to 3.")
    assert not prose_problems("Actions by status Status Actions")


@pytest.mark.parametrize("path", ["/accessibility/", "/words/"])
def test_a_page_the_footer_links_to_leads_back_home(client, path):
    # Not in the header's menu, so its breadcrumb is the way back (the glossary had one; the statement not).
    html = client.get(path).content.decode()
    assert 'aria-label="Breadcrumb"' in html and '<a class="nhsuk-breadcrumb__link" href="/">Home</a>' in html


def test_an_action_page_names_its_regulation_once(client_for, lead):
    # The demo's SD-03: CQC regulation 18, which is also the regulation it breaches.
    action = ActionFactory(reference="SD-030", action_type=ActionType.SHOULD_DO, cqc_regulation="18")
    action.regulations.set([Regulation.objects.get(number="18")])
    text = visible_text(client_for(lead).get("/actions/SD-030/").content.decode())
    assert text.count("Regulation 18: Staffing") == 1 and "Regulations breached Regulation 18: Staffing" in text
    action.regulations.set([Regulation.objects.get(number="17")])  # another: both are said, each once
    text = visible_text(client_for(lead).get("/actions/SD-030/").content.decode())
    assert "CQC regulation Regulation 18: Staffing" in text and "Regulation 17: Good governance" in text
