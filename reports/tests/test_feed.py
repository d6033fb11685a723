"""The Atom feed of published updates at /updates/feed/, for feed readers."""

import xml.etree.ElementTree as ET

import pytest

from reports.services import update_correction_start, update_draft_for_period, update_publish, update_withdraw
from reports.tests.updates_world import DRAFTED, OCTOBER, at, build_unpublished_updates, build_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 -- our own feed, parsed in a test


@pytest.fixture
def published(comms):
    build_world()
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    return update_publish(update=update, publisher=comms, at=at(3, month=11))


def test_the_feed_is_atom_with_what_a_feed_reader_needs(client, published):
    response = client.get("/updates/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = atom(response)
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287: a feed has an id, a title, an updated date and an author (or every entry has one).
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/updates/feed/"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == published.headline
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/updates/october-2026/"
    assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text.startswith("2026-11-03")
    assert "public actions are now complete or assured" in entry.find(f"{ATOM}summary").text


def test_the_feed_holds_published_updates_and_withdrawals_newest_first(client, published, comms):
    build_unpublished_updates()
    july = update_draft_for_period(period=OCTOBER.replace(month=7), now=DRAFTED)
    update_publish(update=july, publisher=comms, at=at(2, month=8))
    feed = atom(client.get("/updates/feed/"))
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    # August's update was withdrawn (build_unpublished_updates): its withdrawal is news, its words are not.
    assert titles == [published.headline, "Withdrawn: our progress update for August 2026", july.headline]


def test_the_feed_entry_html_is_sanitised(client, comms):
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    update.narrative = "Hello <script>alert(1)</script> **world**"
    update.save()
    update_publish(update=update, publisher=comms)
    summary = atom(client.get("/updates/feed/")).find(f"{ATOM}entry/{ATOM}summary").text
    assert "<strong>world</strong>" in summary and "<script>" not in summary


def test_an_empty_feed_is_still_valid_atom(client):
    feed = atom(client.get("/updates/feed/"))
    assert feed.find(f"{ATOM}updated").text
    assert feed.findall(f"{ATOM}entry") == []


def test_the_pages_point_feed_readers_at_the_feed(client):
    assert 'type="application/atom+xml"' in client.get("/updates/").content.decode()


def test_a_withdrawal_and_its_correction_are_entries_of_their_own(client, published, comms):
    withdrawn = update_withdraw(update=published, editor=comms, note="Two figures were wrong.", at=at(10, month=11))
    correction = update_correction_start(withdrawn=withdrawn, editor=comms, now=at(11, month=11))
    update_publish(update=correction, publisher=comms, at=at(12, month=11))

    feed = atom(client.get("/updates/feed/"))
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == [
        f"Corrected: {correction.headline}",
        "Withdrawn: our progress update for October 2026",
    ]
    corrected, withdrawal = entries
    assert "This corrected update replaces our update for October 2026" in corrected.find(f"{ATOM}summary").text
    assert corrected.find(f"{ATOM}link").get("href") == f"http://testserver/updates/{correction.slug}/"
    summary = withdrawal.find(f"{ATOM}summary").text
    assert "We withdrew our progress update for October 2026 on 10 November 2026" in summary
    assert "Two figures were wrong." in summary
    assert withdrawal.find(f"{ATOM}link").get("href") == "http://testserver/updates/october-2026/"
    # Valid Atom: every entry its own id, its own updated time; the feed's updated is the newest entry's.
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 2 and all(ids)
    assert corrected.find(f"{ATOM}updated").text.startswith("2026-11-12")
    assert withdrawal.find(f"{ATOM}updated").text.startswith("2026-11-10")
    assert feed.find(f"{ATOM}updated").text.startswith("2026-11-12")


def test_a_withdrawal_entry_never_repeats_the_withdrawn_words(client):
    build_unpublished_updates()
    feed = client.get("/updates/feed/").content.decode()
    assert "Withdrawn: our progress update for August 2026" in feed
    assert "Withdrawn because two figures were wrong" in feed
    assert "WITHDRAWN-HEADLINE-AUGUST" not in feed and "WITHDRAWN-NARRATIVE-AUGUST" not in feed
