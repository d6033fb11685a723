"""Another trust runs the tracker: seed_demo, then a fictional trust's profile, and no page, feed, open data,
update, board pack, e-mail or sign-in page shows a trace of the first trust, except the records frozen before
the change (a published update or a board pack keeps the words it was published with)."""

import datetime
import io
import re
import shutil

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, ChangeNotice
from actions.tasks import change_notices_send_unsent
from measures.models import Measure
from reports.models import BoardPack, PublishedUpdate, UpdateStatus
from reports.services import reminders_send_weekly, update_publish
from reports.services.board_pack import board_pack_generate, board_pack_notify
from reports.services.periods import update_draft_for_period
from reports.tests.test_board_pack import pdf_info, pdf_text
from reports.trust_profile import trust_profile_load

pytestmark = pytest.mark.django_db

FIRST_TRUST = re.compile(r"secamb|south east coast", re.IGNORECASE)
# The first trust's programme: in its records made before (October's update, the November draft's headline).
FIRST_PROGRAMME = re.compile(r"improvement journey", re.IGNORECASE)

# The default profile's goals and pillars by their slugs, in other words (so the demo's actions keep them,
# renamed); its own themes: the first trust's are kept for the demo's actions, retired from the home page.
OTHER = """\
[trust]
full_name = "Northmoor and Dales Ambulance Service NHS Trust"
short_name = "NDAS"
ods_code = "R9Z"
logo_name = "Northmoor and Dales Ambulance Service"
logo_descriptor = "NHS Trust"
service_name = "Road to Good tracker"
programme_name = "Road to Good"
contact_email = "road-to-good@ndas.example.nhs.uk"
access_email = "tracker-access@ndas.example.nhs.uk"

[home]
introduction = "After our inspection we set out on the **Road to Good**."
purpose = "To reach every patient in the moors and dales in time."
strategy = "Northmoor will be a good place to work and to be cared for."

[[goals]]
slug = "delivering-modern-healthcare-for-our-patients"
title = "Timely care"
description = "Every patient reached in time"

[[goals]]
slug = "a-focus-on-people"
title = "Our people"
description = "Valued and heard"

[[goals]]
slug = "delivering-quality"
title = "Safe care"
description = "No avoidable harm"

[[goals]]
slug = "system-partnership"
title = "Partners"
description = "Working with the region's hospitals"

[[pillars]]
slug = "quality-improvement"
name = "Safer Care"
description = "Learning from every incident."
goals = ["delivering-quality"]

[[pillars]]
slug = "responsive-care"
name = "Faster Response"
goals = ["delivering-modern-healthcare-for-our-patients"]

[[pillars]]
slug = "people-and-culture"
name = "Our People"
goals = ["a-focus-on-people"]

[[pillars]]
slug = "sustainability-and-partnerships"
name = "Working Together"
goals = ["system-partnership"]

[[themes]]
slug = "place-to-work"
short_name = "Place to work"
title = "Northmoor is not yet the place to work its staff deserve"
pillars = ["people-and-culture"]

[[themes]]
slug = "direction"
short_name = "Direction"
title = "Staff do not know where the trust is heading"
pillars = ["sustainability-and-partnerships"]

[[themes]]
slug = "leadership"
short_name = "Leadership"
title = "Staff do not trust their leaders"
pillars = ["people-and-culture"]

[[themes]]
slug = "quality"
short_name = "Quality"
title = "Quality is not everyone's business"
pillars = ["quality-improvement"]

[[themes]]
slug = "connection"
short_name = "Connection"
title = "Leaders are far from the front line"
pillars = ["people-and-culture"]

[[themes]]
slug = "our-culture"
short_name = "Our culture"
title = "Concerns about our culture"
pillars = ["people-and-culture"]
"""


@pytest.fixture
def other_trust(settings, comms, lead):
    """The demo seeded as the first trust, a board pack and an update published then; then the other profile."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False  # the pages as the public sees them (Django's debug 404 names our URL module)
    before = {
        "update": PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED).order_by("-period").first(),
        "pack": BoardPack.objects.order_by("-pk").first(),
    }
    trust_profile_load(OTHER)
    # Published after the change: last month's draft, its figures refreshed now, then published.
    draft = PublishedUpdate.objects.get(status=UpdateStatus.DRAFT)
    update_draft_for_period(period=draft.period)
    before["after_update"] = update_publish(update=PublishedUpdate.objects.get(pk=draft.pk), publisher=comms)
    before["after_pack"] = board_pack_generate(day=timezone.localdate(), user=lead).pack
    return before


def _traces(text: str) -> list[str]:
    return [text[max(0, m.start() - 60) : m.end() + 60] for m in FIRST_TRUST.finditer(text)]


def _public_paths(other_trust) -> list[str]:
    update, earlier = other_trust["after_update"], other_trust["update"]
    action = Action.objects.filter(is_public=True).order_by("reference").first()
    measure = Measure.objects.filter(is_public=True).order_by("slug").first()
    return [
        "/",
        "/updates/",
        "/updates/feed/",
        update.get_absolute_url(),
        earlier.get_absolute_url(),
        f"/open-data/updates/{update.slug}.json",
        "/plan/",
        f"/plan/{action.reference}/",
        "/performance/",
        f"/performance/{measure.slug}/",
        "/open-data/",
        "/open-data/actions.csv",
        "/open-data/actions.json",
        "/open-data/measures.csv",
        f"/open-data/measures/{measure.slug}.json",
        "/open-data/figures.json",
        "/accessibility/",
        "/words/",
        "/accounts/login/",
        "/no-such-page/",
    ]


def test_no_public_page_feed_or_open_data_names_the_first_trust(client, other_trust):
    found = {}
    for path in _public_paths(other_trust):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        body = response.content.decode()
        found[path] = _traces(body + response.get("Content-Disposition", ""))
    assert found == dict.fromkeys(found, []), found
    # Nor the first trust's programme, but on the pages that show updates written before the change.
    with_earlier_updates = {"/", "/updates/", "/updates/feed/"} | {
        p for p in found if p.startswith(("/updates/", "/open-data/updates/"))
    }
    programme = {path: FIRST_PROGRAMME.findall(client.get(path).content.decode()) for path in found}
    assert {path: words for path, words in programme.items() if words and path not in with_earlier_updates} == {}
    home = client.get("/").content.decode()
    assert "Northmoor and Dales Ambulance Service" in home and "<strong>Road to Good</strong>" in home
    assert "NDAS" in client.get("/updates/feed/").content.decode()
    assert "Northmoor is not yet the place to work its staff deserve" in home


def test_an_update_published_before_keeps_its_words_and_one_published_after_has_the_new(client, other_trust):
    earlier = client.get(other_trust["update"].get_absolute_url()).content.decode()
    later = client.get(other_trust["after_update"].get_absolute_url()).content.decode()
    assert "Quality Improvement" in earlier and "Safer Care" not in earlier
    assert "Safer Care" in later and "Quality Improvement" not in later


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_a_board_pack_made_after_names_only_the_other_trust_and_one_made_before_is_kept(client_for, board, other_trust):
    pack = other_trust["after_pack"]
    page = client_for(board).get(pack.get_absolute_url()).content.decode()
    assert _traces(page) == [] and _traces(pdf_text(pack)) == [] and _traces(pdf_info(pack)) == []
    assert "Northmoor and Dales Ambulance Service NHS Trust" in pdf_info(pack)  # the PDF's author
    assert "Road to Good: board pack" in pdf_text(pack) and not FIRST_PROGRAMME.search(pdf_text(pack))
    assert "South East Coast Ambulance Service" in pdf_info(other_trust["pack"])  # frozen: as it was made


def test_no_e_mail_names_the_first_trust(other_trust):
    mail.outbox.clear()
    reminders_send_weekly(day=timezone.localdate())
    board_pack_notify(pack=other_trust["after_pack"])
    action = Action.objects.exclude(owner__email="").order_by("reference").first()
    ChangeNotice.objects.create(action=action, actor=None, changes=[["Status", "On track", "At risk"]])
    change_notices_send_unsent(now=timezone.now() + datetime.timedelta(minutes=1))
    kinds = {message.subject.split(":")[0] for message in mail.outbox}
    assert {"Your Road to Good actions", "Road to Good digest", "Road to Good"} <= kinds, kinds
    assert any(message.subject.startswith(action.reference) for message in mail.outbox)
    for message in mail.outbox:
        assert _traces(f"{message.subject}\n{message.body}\n{message.from_email}") == [], message.subject
