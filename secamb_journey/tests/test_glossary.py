"""The public finds everything from the menu, and every term the public pages use is explained in plain words."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from secamb_journey.glossary import GLOSSARY
from secamb_journey.templatetags.nhsuk import HEADER_NAVIGATION

pytestmark = pytest.mark.django_db

TERMS = {
    "spc": "SPC chart (statistical process control)",
    "common-cause": "Common-cause variation",
    "special-cause": "Special-cause variation",
    "assurance": "Assurance",
    "process-limits": "Process limits",
    "exit-criterion": "Exit criterion",
    "90th-centile": "90th centile",
    "embedded": "Embedded (blue)",
    "slipped": "Slipped",
    "overdue": "Overdue",
}


def test_the_public_menu_has_updates_the_plan_performance_and_open_data():
    public = [(words, path) for words, path, flag in HEADER_NAVIGATION if flag is None]
    assert public == [
        ("Progress updates", "/updates/"),
        ("Our action plan", "/plan/"),
        ("Performance", "/performance/"),
        ("Open data", "/open-data/"),
    ]


def test_the_menu_shows_the_public_links_to_a_visitor(client):
    html = client.get("/words/").content.decode()
    for path in ("/updates/", "/plan/", "/performance/", "/open-data/"):
        assert f'class="nhsuk-header__navigation-link" href="{path}"' in html


def test_the_words_page_explains_every_term_under_its_own_anchor(client):
    html = client.get("/words/").content.decode()
    for anchor, term in TERMS.items():
        assert re.search(rf'id="{anchor}"><dt class="nhsuk-summary-list__key">{re.escape(term)}</dt>', html), term
    assert "BRAG" not in html


def test_the_footer_links_to_the_words_page(client):
    assert 'href="/words/"' in client.get("/accessibility/").content.decode()


def test_the_open_data_page_lists_every_file(client):
    html = client.get("/open-data/").content.decode()
    for path in (
        "/open-data/actions.csv",
        "/open-data/actions.json",
        "/open-data/figures.json",
        "/open-data/measures.csv",
    ):
        assert f'href="{path}"' in html


def test_every_link_to_the_words_page_lands_on_a_term():
    anchors = {term_id for _, _, terms in GLOSSARY for term_id, _, _ in terms}
    base = Path(settings.BASE_DIR)
    templates = [*base.glob("*/templates/**/*.html"), *base.glob("templates/**/*.html")]
    linked = {anchor for path in templates for anchor in re.findall(r'href="/words/#([\w-]+)"', path.read_text())}
    assert linked and linked <= anchors, linked - anchors
