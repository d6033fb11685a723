"""Board packs (issue 14): generated for a meeting, frozen, the same as the dashboard, as a page and a tagged PDF."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from actions.choices import Status
from actions.models import Committee, CommitteeDecision, DueDateRevision, Meeting, RevisionState
from actions.tests.factories import UserFactory
from measures.tests.factories import MeasureFactory, add_values
from reports.governance_figures import dashboard_governance
from reports.models import BoardPack, BoardPackAsk, BoardPackFrozen
from reports.selectors.board_pack import EXIT_CRITERIA_CSV_NAME, SECTIONS
from reports.selectors.dashboard import dashboard_overview
from reports.services.board_pack import (
    APPENDIX_CSV_NAME,
    board_pack_appendix_csv,
    board_pack_generate,
    local_static_fetcher,
)
from reports.tests.dashboard_data import Programme, days
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture
def programme():
    return Programme()


@pytest.fixture
def meeting(programme, lead):
    committee = Committee.objects.create(name="Quality Governance Committee")
    meeting = Meeting.objects.create(committee=committee, date=days(7))
    # MD-002 is assured: put to this meeting for ratification.
    CommitteeDecision.objects.create(action=programme.md2, meeting=meeting, put_by=lead)
    return meeting


def poppler(tool: str, *args: str, data: bytes) -> str:
    """Run a poppler-utils tool (found on PATH) on a PDF given on its standard input ("-")."""
    return subprocess.run(  # noqa: S603 -- a fixed argument list, no shell
        [shutil.which(tool), *args], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_text(pack) -> str:
    return poppler("pdftotext", "-layout", "-", "-", data=bytes(pack.pdf))


def pdf_info(pack) -> str:
    return poppler("pdfinfo", "-", data=bytes(pack.pdf))


def attached_csv(pack, tmp_path, name=APPENDIX_CSV_NAME) -> list[list[str]]:
    """A CSV attached to the pack's PDF (the appendix's by default), read back with pdfdetach (poppler-utils)."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(bytes(pack.pdf))
    listed = poppler("pdfdetach", "-list", str(path), data=b"")
    number = next(line.split(":")[0].strip() for line in listed.splitlines() if line.endswith(f" {name}"))
    out = tmp_path / name
    poppler("pdfdetach", "-save", number, "-o", str(out), str(path), data=b"")
    return list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))


# --- Figures -------------------------------------------------------------------------------------


def test_the_packs_figures_equal_the_dashboards_on_the_same_data(meeting, programme):
    pack = board_pack_generate(meeting=meeting).pack
    overview = dashboard_overview()
    governance = dashboard_governance()["governance"]
    summary = pack.figures["summary"]
    overall = overview["overall"].counts
    assert summary["total"] == overall.total == 7
    assert summary["percent_done"] == overall.percent_done
    assert summary["overdue"] == overall.overdue == 2
    assert summary["stale"] == overview["overall"].figures.stale
    assert {v: n for v, _label, n in summary["by_status"]} == dict(overall.by_status)
    assert [(p["name"], p["total"], p["percent_done"], p["overdue"]) for p in summary["pillars"]] == [
        (c.label, c.counts.total, c.counts.percent_done, c.counts.overdue) for c in overview["pillar_cards"]
    ]
    assert summary["furthest_behind"]["name"] == overview["furthest_behind"].label
    assert [(t["label"], t["total"], t["overdue"]) for t in pack.figures["cqc"]["types"]] == [
        (s.label, s.counts.total, s.counts.overdue) for s in overview["cqc"]
    ]
    assert [(r["label"], r["total"], r["overdue"]) for r in pack.figures["cqc"]["by_regulation"]] == [
        (r.label, r.total, r.overdue) for r in governance["by_regulation"]
    ]
    assert pack.figures["ratification"]["awaiting_ratification"] == governance["awaiting_ratification"]
    exceptions = pack.figures["exceptions"]
    assert [a["reference"] for a in exceptions["off_track"]["rows"]] == ["MD-003"]
    assert [a["reference"] for a in exceptions["overdue"]["rows"]] == ["MD-003", "MD-001"]  # most overdue first
    assert len(pack.figures["appendix"]) == 7


def test_the_pack_lists_slipped_reopened_and_returned_actions_with_their_reasons(meeting, programme, lead, owner):
    DueDateRevision.objects.create(
        action=programme.md1,
        previous_due_date=days(-1),
        new_due_date=days(29),
        reason="The supplier delivered late",
        requested_by=owner,
        state=RevisionState.AGREED,
        decided_by=lead,
        decided_on=timezone.localdate(),
    )
    other = Meeting.objects.create(committee=meeting.committee, date=days(-20))
    CommitteeDecision.objects.create(
        action=programme.wn1,
        meeting=other,
        put_by=lead,
        decision="returned",
        reason="Evidence does not show the change has stuck",
        minute_reference="QGC/26/14",
        recorded_by=lead,
        recorded_at=timezone.now(),
    )
    pack = board_pack_generate(meeting=meeting).pack
    slipped = pack.figures["exceptions"]["slipped"]["rows"]
    assert [(r["reference"], r["days"], r["reason"]) for r in slipped] == [
        ("MD-001", 30, "The supplier delivered late")
    ]
    returned = pack.figures["exceptions"]["returned"]["rows"]
    assert [(r["reference"], r["reason"]) for r in returned] == [
        ("WN-001", "Evidence does not show the change has stuck")
    ]
    assert "The supplier delivered late" in pack.html
    assert pack.ask == BoardPackAsk.APPROVE  # MD-002 awaits this meeting's decision


def test_the_cover_asks_only_to_note_when_nothing_needs_a_decision_or_discussion(db):
    pack = board_pack_generate(day=datetime.date(2026, 3, 1)).pack
    assert pack.ask == BoardPackAsk.NOTE
    assert pack.meeting is None and pack.as_of == datetime.date(2026, 3, 1)


def test_the_pack_shows_every_exit_criterion_measures_spc_chart_as_vector_graphics(meeting):
    exit_measure = MeasureFactory(name="Category 1 mean response", exit_criterion=True, target=7)
    add_values(exit_measure, [8.2, 7.9, 8.4, 8.1, 7.7], start=datetime.date(2026, 1, 1))
    MeasureFactory(name="Staff survey response rate", exit_criterion=False)
    pack = board_pack_generate(meeting=meeting).pack
    assert [c["name"] for c in pack.figures["measures"]["charts"]] == ["Category 1 mean response"]
    assert [r["name"] for r in pack.figures["measures"]["rows"]] == [
        "Category 1 mean response",
        "Staff survey response rate",
    ]
    assert pack.html.count('<svg class="app-chart__svg"') == 1
    assert "SPC chart of Category 1 mean response" in pack.html


@needs_poppler
def test_the_exit_criteria_chart_figures_are_attached_to_the_pdf_not_laid_out_as_tables(meeting, tmp_path):
    # 20 exit criteria's 60-row tables were three quarters of the PDF's time at 10,000 actions
    # (docs/board-pack.md): the chart keeps its text alternative, and its figures go in a spreadsheet.
    exit_measure = MeasureFactory(name="Category 1 mean response", exit_criterion=True, target=7, unit="minutes")
    add_values(exit_measure, [8.2, 7.9, 8.4, 8.1, 7.7], start=datetime.date(2026, 1, 1))
    pack = board_pack_generate(meeting=meeting).pack
    assert "<table" not in pack.html.split('id="exit-criteria"')[1].split('id="ratification"')[0]
    assert EXIT_CRITERIA_CSV_NAME in pack.html and "SPC chart of Category 1 mean response" in pack.html
    rows = attached_csv(pack, tmp_path, EXIT_CRITERIA_CSV_NAME)
    assert rows[0] == ["Measure", "Period", "Value", "Mean", "Lower limit", "Upper limit", "Signal"]
    periods = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    values = ["8.2", "7.9", "8.4", "8.1", "7.7"]
    expected = [["Category 1 mean response", p, v] for p, v in zip(periods, values, strict=True)]
    assert [r[:3] for r in rows[1:]] == expected
    assert rows[1][3] == "8.06" and rows[1][6].startswith("Common cause")


# --- Frozen, and versions ------------------------------------------------------------------------


@needs_poppler
def test_a_change_after_generation_leaves_the_pack_unchanged(meeting, programme, board, client_for):
    pack = board_pack_generate(meeting=meeting).pack
    html, pdf = pack.html, bytes(pack.pdf)
    programme.ij2.status = Status.OFF_TRACK
    programme.ij2.title = "A title changed after the pack was made"
    programme.ij2.save()
    stored = BoardPack.objects.get(pk=pack.pk)
    assert stored.html == html and bytes(stored.pdf) == pdf
    client = client_for(board)
    page = client.get(f"/board-packs/{pack.pk}/").content.decode()
    assert "A title changed after the pack was made" not in page
    assert client.get(f"/board-packs/{pack.pk}.pdf").content == pdf
    assert "A title changed after the pack was made" not in pdf_text(stored)


def test_a_stored_pack_cannot_be_changed_by_save_or_a_bulk_update(meeting):
    pack = board_pack_generate(meeting=meeting).pack
    pack.title = "Changed"
    with pytest.raises(BoardPackFrozen):
        pack.save()
    with pytest.raises(BoardPackFrozen):
        BoardPack.objects.filter(pk=pack.pk).update(title="Changed")
    assert BoardPack.objects.get(pk=pack.pk).title != "Changed"


def test_regenerating_makes_a_new_version_and_keeps_the_old_one(meeting, programme):
    first = board_pack_generate(meeting=meeting).pack
    programme.ij2.status = Status.OFF_TRACK
    programme.ij2.save()
    second = board_pack_generate(meeting=meeting).pack
    assert (first.version, second.version) == (1, 2)
    assert BoardPack.objects.filter(meeting=meeting).count() == 2
    assert BoardPack.objects.get(pk=first.pk).figures["exceptions"]["off_track"]["total"] == 1
    assert second.figures["exceptions"]["off_track"]["total"] == 2


def test_what_changed_sets_the_previous_packs_figures_beside_this_ones(meeting, programme):
    earlier = Meeting.objects.create(committee=meeting.committee, date=days(-30))
    board_pack_generate(meeting=earlier)
    programme.ij2.status, programme.ij2.percent_complete = Status.COMPLETE, 100
    programme.ij2.save()
    pack = board_pack_generate(meeting=meeting).pack
    changes = {c["label"]: (c["then"], c["now"], c["change"]) for c in pack.figures["changes"]}
    assert changes["Complete, awaiting assurance"] == (1, 2, 1)
    assert changes["On track"] == (2, 1, -1)
    assert pack.figures["first_pack"] is False


# --- The PDF -------------------------------------------------------------------------------------


@needs_poppler
def test_the_pdf_holds_every_section_and_the_right_numbers(meeting, programme):
    pack = board_pack_generate(meeting=meeting).pack
    text = pdf_text(pack)
    for _key, heading in SECTIONS:
        assert heading in text, heading
    assert "What the paper asks" in text
    # 2 of 7 done (WN-001 complete, MD-002 assured); all 7 are public.
    assert "7 actions in all (7 of them public: the public pages count only those): 29% complete or assured" in text
    assert "MD-003" in text and "IJ-002" in text
    assert "Quality Governance Committee" in text
    # The running header and the page numbers.
    assert f"Quality Governance Committee, {meeting.date:%-d %B %Y}" in text
    assert "Page 1 of" in text


@needs_poppler
def test_the_pdf_is_tagged_with_its_title(meeting):
    pack = board_pack_generate(meeting=meeting).pack
    info = pdf_info(pack)
    assert "Tagged:          yes" in info
    assert f"Title:           {pack.title}, version 1" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info


@needs_poppler
def test_the_pdfs_links_are_absolute_addresses_of_this_site(meeting, tmp_path):
    pack = board_pack_generate(meeting=meeting).pack
    path = tmp_path / "pack.pdf"
    path.write_bytes(bytes(pack.pdf))
    # pdftohtml (poppler) writes each link annotation of the PDF as an <a href>.
    links = poppler("pdftohtml", "-xml", "-stdout", "-i", "-q", str(path), data=b"")
    assert 'href="http://testserver/actions/MD-001/"' in links
    assert 'href="http://testserver/board-packs/"' in links
    assert 'href="/' not in links  # no address relative to a page a PDF reader does not have


def test_the_pdf_renderer_fetches_nothing_but_this_sites_static_files(settings):
    fetcher = local_static_fetcher()
    css = fetcher("http://testserver/static/css/board-pack-print.css")
    assert b"@page" in css.read()
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://evil.example/static/css/board-pack-print.css",
        "file:///etc/passwd",
        "http://testserver/actions/",
        "http://testserver/static/../../secamb_journey/settings/base.py",
    ):
        with pytest.raises(ValueError):
            fetcher(url)


@needs_poppler
def test_the_pdfs_appendix_gives_every_action_a_line_and_attaches_them_as_a_csv(meeting, programme, tmp_path):
    pack = board_pack_generate(meeting=meeting).pack
    text = " ".join(pdf_text(pack).split())
    appendix = text[text.index("Appendix: every action 7 actions") :]
    for a in pack.figures["appendix"]:
        assert f"{a['reference']} {a['title']}" in appendix, a["reference"]
    assert f"{programme.md1.reference} {programme.md1.title} · {programme.md1.get_status_display()}" in appendix
    rows = attached_csv(pack, tmp_path)
    assert rows[0][:3] == ["Reference", "Title", "Pillar"]
    assert sorted(r[0] for r in rows[1:]) == sorted(a["reference"] for a in pack.figures["appendix"])


@needs_poppler
def test_above_the_setting_the_appendix_names_every_action_by_reference_and_status(
    meeting, programme, settings, tmp_path
):
    settings.BOARD_PACK_APPENDIX_LINES = 3  # the programme has 7
    pack = board_pack_generate(meeting=meeting).pack
    text = " ".join(pdf_text(pack).split())
    appendix = text[text.index("Appendix: every action 7 actions") :]
    for a in pack.figures["appendix"]:
        assert a["reference"] in appendix, a["reference"]
    assert programme.md1.title not in appendix  # the titles are in the attached CSV
    assert "Off track (1, 1 overdue) MD-003" in appendix
    rows = {r[0]: r for r in attached_csv(pack, tmp_path)[1:]}
    assert set(rows) == {a["reference"] for a in pack.figures["appendix"]}
    assert rows["MD-003"][1] == programme.md3.title
    assert rows["MD-003"][4:8] == ["Off track", programme.md3.owner.get_full_name(), str(programme.md3.due_date), "yes"]


def test_the_attached_csv_keeps_a_title_from_running_as_a_spreadsheet_formula(meeting, programme):
    programme.md3.title = '=HYPERLINK("http://evil.example","x")'
    programme.md3.save()
    pack = board_pack_generate(meeting=meeting).pack
    rows = list(csv.reader(io.StringIO(board_pack_appendix_csv(pack.figures).decode("utf-8-sig"))))
    assert ["MD-003", '\'=HYPERLINK("http://evil.example","x")'] == rows[[r[0] for r in rows].index("MD-003")][:2]


def test_the_packs_measures_show_the_making_data_count_icons_with_their_words(meeting):
    measure = MeasureFactory(name="Category 1 mean response", target=7)
    add_values(measure, [8.2, 7.9, 8.4, 8.1, 7.7], start=datetime.date(2026, 1, 1))
    pack = board_pack_generate(meeting=meeting).pack
    row = pack.figures["measures"]["rows"][0]
    assert f'class="app-mdc-dot app-mdc-dot--{row["variation_icon"]}" aria-hidden="true">' in pack.html
    assert row["variation_words"] in pack.html


# --- The pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["board", "lead"])
def test_board_members_and_leads_read_the_list_the_pack_and_its_pdf(request, persona, meeting, client_for):
    pack = board_pack_generate(meeting=meeting).pack
    client = client_for(request.getfixturevalue(persona))
    listing = client.get("/board-packs/")
    assert listing.status_code == 200
    assert f'href="/board-packs/{pack.pk}/"' in listing.content.decode()
    page = client.get(f"/board-packs/{pack.pk}/")
    assert page.status_code == 200
    assert pack.title in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    pdf = client.get(f"/board-packs/{pack.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'inline; filename="{pack.pdf_filename}"'


@pytest.mark.parametrize("persona", ["owner", "other_owner", "comms", "outsider"])
def test_everyone_else_is_refused_every_board_pack_page(request, persona, meeting, client_for):
    pack = board_pack_generate(meeting=meeting).pack
    client = client_for(request.getfixturevalue(persona))
    for url in ("/board-packs/", f"/board-packs/{pack.pk}/", f"/board-packs/{pack.pk}.pdf"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"%PDF" not in response.content


def test_an_anonymous_visitor_is_sent_to_sign_in(meeting, client):
    pack = board_pack_generate(meeting=meeting).pack
    for url in ("/board-packs/", f"/board-packs/{pack.pk}/", f"/board-packs/{pack.pk}.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url


def test_an_unknown_pack_is_not_found(board, client_for):
    assert client_for(board).get("/board-packs/999/").status_code == 404
    assert client_for(board).get("/board-packs/999.pdf").status_code == 404


def test_the_header_offers_board_packs_to_the_board_and_leads_only(board, lead, owner, comms, client_for):
    link = 'href="/board-packs/"'
    assert link in client_for(board).get("/dashboard/").content.decode()
    assert link in client_for(lead).get("/actions/queue/").content.decode()
    assert link not in client_for(owner).get("/actions/mine/").content.decode()
    assert link not in client_for(comms).get("/reports/updates/").content.decode()


# --- The scheduled task, the command, the e-mail -------------------------------------------------


@pytest.fixture
def readers(meeting):
    board_member = UserFactory(username="chair", email="chair@example.nhs.uk", roles=[Role.BOARD])
    member = UserFactory(username="qgc-member", email="member@example.nhs.uk")
    meeting.committee.members.add(member)
    UserFactory(username="bystander", email="bystander@example.nhs.uk", roles=[Role.OWNER])
    return board_member, member


def test_the_task_makes_one_pack_per_meeting_however_often_it_runs(meeting, readers, settings):
    from reports.tasks import generate_board_packs

    settings.BOARD_PACK_DAYS_BEFORE = 7
    made = generate_board_packs.delay().get()
    assert made == [BoardPack.objects.get(meeting=meeting).pk]
    assert generate_board_packs.delay().get() == []
    assert BoardPack.objects.filter(meeting=meeting).count() == 1


def test_the_task_leaves_meetings_further_ahead_than_the_setting_alone(meeting, settings):
    from reports.tasks import generate_board_packs

    settings.BOARD_PACK_DAYS_BEFORE = 6  # the meeting is 7 days away
    assert generate_board_packs.delay().get() == []
    settings.BOARD_PACK_DAYS_BEFORE = 7
    assert len(generate_board_packs.delay().get()) == 1


def test_board_members_and_the_committees_members_are_emailed_the_link_once(meeting, readers):
    from reports.tasks import generate_board_packs

    generate_board_packs.delay().get()
    generate_board_packs.delay().get()
    pack = BoardPack.objects.get(meeting=meeting)
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@example.nhs.uk", "member@example.nhs.uk"]
    assert f"http://testserver/board-packs/{pack.pk}/" in mail.outbox[0].body
    assert f"http://testserver/board-packs/{pack.pk}.pdf" in mail.outbox[0].body


def test_the_task_does_not_make_a_second_pack_for_a_meeting_that_has_one(meeting):
    first = board_pack_generate(meeting=meeting).pack
    again = board_pack_generate(meeting=meeting, new_version=False)
    assert again.created is False and again.pack.pk == first.pk


def test_the_command_prints_the_packs_url(meeting, capsys):
    call_command("generate_board_pack", meeting=str(meeting.pk))
    pack = BoardPack.objects.get(meeting=meeting)
    assert capsys.readouterr().out.strip() == f"http://testserver/board-packs/{pack.pk}/"


def test_the_command_makes_an_ad_hoc_pack_for_a_date(db, capsys):
    call_command("generate_board_pack", date="2026-04-01")
    pack = BoardPack.objects.get()
    assert (pack.meeting, pack.as_of) == (None, datetime.date(2026, 4, 1))
    assert capsys.readouterr().out.strip() == f"http://testserver/board-packs/{pack.pk}/"


def test_the_command_refuses_an_unknown_meeting_and_a_bad_date(db):
    with pytest.raises(CommandError, match="There is no meeting with id 999"):
        call_command("generate_board_pack", meeting="999")
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD, not '1 April'"):
        call_command("generate_board_pack", date="1 April")
    with pytest.raises(CommandError, match="--meeting must be a meeting's id"):
        call_command("generate_board_pack", meeting="first")
    assert not BoardPack.objects.exists()


def test_seed_demo_leaves_one_pack_for_the_demos_next_meeting(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115 -- idempotent
    next_meeting = Meeting.objects.filter(date__gte=timezone.localdate()).order_by("date").first()
    pack = BoardPack.objects.get()
    assert pack.meeting == next_meeting
    assert pack.figures["summary"]["total"] >= 30
    assert pack.figures["measures"]["charts"]  # the demo's exit criteria, charted


def test_the_packs_figures_take_the_same_number_of_queries_however_many_actions(meeting, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actions.tests.factories import ActionFactory
    from reports.selectors.board_pack import board_pack_figures

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            board_pack_figures(meeting=meeting)
        return len(captured)

    before = queries()
    for n in range(20):
        ActionFactory(reference=f"MD-{100 + n}", pillar=programme.quality, status=Status.OFF_TRACK, due_date=days(-n))
    assert queries() == before


def test_the_admin_reads_a_pack_and_can_neither_change_nor_delete_nor_add_one(client_for, meeting):
    pack = board_pack_generate(meeting=meeting).pack
    admin = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    page = admin.get(f"/admin/reports/boardpack/{pack.pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    admin.post(f"/admin/reports/boardpack/{pack.pk}/change/", {"title": "Rewritten", "version": "1"})
    assert admin.post(f"/admin/reports/boardpack/{pack.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.get("/admin/reports/boardpack/add/").status_code == 403
    stored = BoardPack.objects.get(pk=pack.pk)
    assert stored.title == pack.title and bytes(stored.pdf) == bytes(pack.pdf)


def test_markup_and_control_characters_in_a_title_are_text_in_the_page_and_the_pdf(meeting, programme):
    programme.md3.title = 'Off <img src="http://169.254.169.254/x"> track\x0b "quoted" & <b>bold</b>'
    programme.md3.save()
    pack = board_pack_generate(meeting=meeting).pack
    assert "<img src" not in pack.html and "&lt;img src=" in pack.html
    assert bytes(pack.pdf).startswith(b"%PDF-")


def test_the_packs_measures_are_grouped_by_what_their_charts_say_concerns_first():
    from reports.services.board_pack import measure_groups

    def row(name, variation, assurance):
        return {
            "name": name,
            "variation_icon": variation,
            "variation_words": variation,
            "assurance_icon": assurance,
            "assurance_words": str(assurance),
        }

    groups = measure_groups(
        [
            row("Steady, no target", "common_cause", None),
            row("Improving, will meet", "improvement_low", "consistent_pass"),
            row("Concern, will miss", "concern_high", "consistent_fail"),
            row("Steady, will miss", "common_cause", "consistent_fail"),
            row("Concern, will miss too", "concern_high", "consistent_fail"),
            row("No values", None, None),
        ]
    )
    assert [[r["name"] for r in g["rows"]] for g in groups] == [
        ["Concern, will miss", "Concern, will miss too"],
        ["Improving, will meet"],
        ["Steady, will miss"],
        ["Steady, no target"],
        ["No values"],
    ]


def test_with_no_pack_the_list_says_so_in_place_of_a_table(db, board, client_for):
    html = client_for(board).get("/board-packs/").content.decode()
    assert "<p>No board pack has been generated yet.</p>" in html and "<table" not in html
