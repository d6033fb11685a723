"""No page says `None`, `null` or `nan` where a reader expects words (issue 25, "no None, no empty promise").

A data set where every optional field that can be empty is empty (an action with no regulation, themes,
key question, core service, source or CQC finding, never logged; a measure with no target; a first
board pack; a published update), then every page of the URL conf (the walk and world of
test_url_permissions, so a new page is covered without a line here) as each role that may see it, the
board pack's PDF as text (pdftotext), and open data (CSV and JSON). A Python `None` reaching a template
prints "None"; a float NaN prints "nan"; JSON's `null` is only legitimate as JSON's own value.
"""

import csv
import datetime
import io
import json
import math
import re
import shutil
from html.parser import HTMLParser

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.tests.factories import ActionFactory
from measures.tests.factories import MeasureFactory, add_values
from reports.models import BoardPack
from reports.services.board_pack import board_pack_exit_criteria_csv, board_pack_generate
from reports.tests.test_board_pack import poppler
from secamb_journey.tests.test_url_permissions import EXPECTED, ROLES, _arguments, _clients, _walk, build_world

pytestmark = pytest.mark.django_db

# As whole words, in these cases: "none" and "None of" are English ("none open has slipped"); a
# Python None prints "None", a float NaN "nan", JavaScript's and JSON's nothing "null".
FORBIDDEN = re.compile(r"\b(None|null|nan|NaN)\b")
# A role for each kind of visitor; another owner and an outsider see no page the others do not.
VISITORS = tuple(role for role in ROLES if role not in ("other_owner", "outsider"))


# Elements that break a line or a cell: text either side of them is two words, not one.
BLOCKS = {"br", "p", "li", "td", "th", "tr", "dt", "dd", "div", "h1", "h2", "h3", "h4", "h5", "h6", "option", "title"}


class VisibleText(HTMLParser):
    """The text a reader sees (and a screen reader reads) in an HTML page: no tags, scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def forbidden_words(text: str) -> list[str]:
    """Each forbidden word with a little of the text around it, so a failure says where it is."""
    return [text[max(m.start() - 60, 0) : m.end() + 60] for m in FORBIDDEN.finditer(text)]


def json_problems(value, path="$") -> list[str]:
    """JSON's null is a value, not a word: only a string "None"/"nan"/"null" or a NaN number is wrong."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in json_problems(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in json_problems(item, f"{path}[{index}]")]
    if isinstance(value, float) and math.isnan(value):
        return [f"{path} is NaN"]
    if isinstance(value, str) and FORBIDDEN.search(value):
        return [f"{path} = {value!r}"]
    return []


def body_problems(response) -> list[str]:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "application/pdf" in content_type:
        return forbidden_words(" ".join(poppler("pdftotext", "-layout", "-", "-", data=body).split()))
    text = body.decode("utf-8-sig")
    if "json" in content_type:
        # JSON's own null is fine; json.loads rejects a bare NaN only if asked, so parse_constant catches it.
        return json_problems(json.loads(text, parse_constant=lambda name: float("nan")))
    if "csv" in content_type:
        return [
            f"row {i}: {row}"
            for i, row in enumerate(csv.reader(io.StringIO(text)))
            if any(FORBIDDEN.fullmatch(cell.strip()) for cell in row)
        ]
    if "html" in content_type:
        return forbidden_words(visible_text(text))
    # The Atom feed and anything else textual: every word in it is read somewhere.
    return forbidden_words(visible_text(text))


def empty_fields_world(owner, board):
    """Actions and a measure with every optional field empty, made before the world's first board pack
    (build_world generates it last) so the pack shows them too.
    """
    bare = ActionFactory(
        reference="SD-020",
        action_type=ActionType.SHOULD_DO,
        title="Protected time for clinical supervision",
        description="",
        owner=owner,
        executive_lead=board,
        status=Status.ON_TRACK,
        percent_complete=20,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
        original_due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert (bare.cqc_regulation, bare.key_question, bare.core_service, bare.source, bare.cqc_finding) == ("",) * 5
    assert not bare.themes.exists() and not bare.regulations.exists() and bare.last_progress_at is None
    ActionFactory(reference="IJ-020", action_type=ActionType.IMPROVEMENT, owner=owner, is_public=False)
    # An exit criterion (so the pack draws its SPC chart) with no target, unit, source or themes.
    measure = MeasureFactory(slug="handover-delays", unit="", exit_criterion=True, target=None)
    add_values(measure, [41.0, 39.5, 44.0, 38.0], start=datetime.date(2025, 9, 1))


@pytest.fixture
def world(owner, board):
    empty_fields_world(owner, board)
    return build_world(owner, board)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_no_page_says_none_null_or_nan_for_an_empty_field(world, people):
    clients = _clients(people)
    problems, seen = [], 0
    for name, _route, parameters in _walk(get_resolver().url_patterns):
        if name not in EXPECTED:
            continue  # the admin, the design system's assets: outside test_url_permissions' table too
        url = reverse(name, kwargs=_arguments(name, parameters, world))
        for role in VISITORS:
            if EXPECTED[name][role] != 200:
                continue
            response = clients[role].get(url)
            assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
            seen += 1
            problems.extend(f"{url} as {role}: ...{words}..." for words in body_problems(response))
    # The bare action's own pages, which the world's action (a complete one) does not stand for.
    for role, url in (
        ("lead", "/actions/SD-020/"),
        ("lead", "/actions/SD-020/edit/"),
        ("owner", "/actions/SD-020/"),
        ("anon", "/plan/SD-020/"),
        ("anon", "/performance/handover-delays/"),
        ("lead", "/measures/handover-delays/"),
    ):
        response = clients[role].get(url)
        assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
        problems.extend(f"{url} as {role}: ...{words}..." for words in body_problems(response))
    assert seen > 60  # every page kind, public and staff, was rendered (about 80 pages and roles)
    assert not problems, "\n".join(problems)


def test_the_empty_fields_read_not_recorded_on_the_action_page(world, client_for, lead):
    text = visible_text(client_for(lead).get("/actions/SD-020/").content.decode())
    for field in ("CQC regulation", "Themes", "Regulations breached", "Key question", "Core service"):
        assert f"{field} Not recorded" in text
    # Left out rather than empty: the finding and the source.
    assert "CQC finding" not in text and "Source" not in text


def test_a_first_pack_says_there_is_no_previous_pack_and_leaves_the_comparison_columns_out(world, client_for, board):
    html = client_for(board).get(f"/board-packs/{world.pack_id}/").content.decode()
    changes = visible_text(html.split('id="changes"', 1)[1].split("</section>", 1)[0])
    assert "There is no pack for an earlier meeting to compare with" in changes
    assert "Previous pack" not in changes and "Change" not in changes
    # Two columns: the figure and this pack's value (each cell repeats its heading for a phone's layout).
    assert "Figures in this pack Figure This pack Figure Actions This pack" in changes
    # A second version of the meeting's pack has nothing earlier either, and is not "the first pack".
    again = board_pack_generate(meeting=BoardPack.objects.get(pk=world.pack_id).meeting).pack
    assert again.version == 2 and again.figures["first_pack"]
    assert "first pack" not in visible_text(again.html)


def test_a_later_pack_sets_each_figure_beside_the_previous_packs(world):
    second = board_pack_generate().pack  # an ad-hoc pack: the meeting's is its previous one
    assert not second.figures["first_pack"]
    changes = visible_text(second.html.split('id="changes"', 1)[1].split("</section>", 1)[0])
    assert "Figure Previous pack This pack Change" in changes
    assert "no previous pack" not in changes


def test_every_spc_chart_in_the_pack_says_where_its_figures_are(world, client_for, board):
    # Issue 26: in the pack the chart's figures are the spreadsheet attached to the PDF (laid out as
    # tables they were three quarters of the PDF's time), and the measure's page has the table.
    html = client_for(board).get(f"/board-packs/{world.pack_id}/").content.decode()
    measures = html.split('id="exit-criteria"', 1)[1].split("</section>", 1)[0]
    charts = measures.count("<svg")
    said = "are in the spreadsheet attached to the pack's PDF, exit-criteria-figures.csv"
    # Said once before the charts, as is the key, not under each chart; each chart's name links to its page.
    assert charts == 1 and measures.count(said) == 1 and measures.count("Key: solid line") == 1
    assert measures.index(said) < measures.index("<svg")
    assert '<h4><a class="nhsuk-link" href="http://' in measures
    pack = BoardPack.objects.get(pk=world.pack_id)
    rows = board_pack_exit_criteria_csv(pack.figures).decode("utf-8-sig")
    assert rows.startswith("Measure,Period,Value,Mean,Lower limit,Upper limit,Signal")
    assert rows.count("2025") + rows.count("2026") >= 4  # a row per value: September to December 2025
    assert "None" not in rows
