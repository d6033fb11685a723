"""The board trusts the numbers: every count on a dashboard page that links to the register leads to
exactly that many actions there. Checked by following every link, not by reading the link-builder."""

import re
from html import unescape

import pytest

from reports.tests.dashboard_data import DASHBOARD_PAGES, Programme

pytestmark = pytest.mark.django_db

# <a ... href="/actions/?...">12 overdue</a>: a figure linked to the register; the link's text starts
# with the number it counts ("3 of 10 actions" links to the 3).
REGISTER_LINK = re.compile(r'<a[^>]*href="(/actions/\?[^"]*)"[^>]*>(.*?)</a>', re.S)
LEADING_NUMBER = re.compile(r"^\s*(\d[\d,]*)\b")


def linked_counts(page: str) -> list[tuple[str, str]]:
    found = []
    for href, inner in REGISTER_LINK.findall(page):
        number = LEADING_NUMBER.match(re.sub(r"<[^>]+>", " ", inner))
        if number:
            found.append((href, number.group(1)))
    return found


@pytest.mark.parametrize("path", DASHBOARD_PAGES)
def test_every_linked_count_leads_to_exactly_that_many_actions_in_the_register(client_for, board, lead, path):
    Programme()
    page = client_for(board).get(path).content.decode()
    links = linked_counts(page)
    assert len(links) >= 5, "expected the page's figures to link to the register"
    register = client_for(lead)
    for href, shown in links:
        response = register.get(unescape(href))
        assert response.status_code == 200, href
        form = response.context["filterset"].form
        assert form.is_valid(), (href, form.errors)  # every parameter the dashboard sends is understood
        found = response.context["page_obj"].paginator.count
        assert found == int(shown.replace(",", "")), f"{path}: {href} shows {shown} but the register lists {found}"
