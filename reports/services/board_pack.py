"""Generating board packs: the figures, the HTML and the PDF made once and stored, and the e-mail with the link.

Why the PDF is made at generation and stored rather than rendered on request: it is the paper the board
was sent, so it must be the very same file whenever anyone opens it (a later WeasyPrint, font or template
change would otherwise alter a circulated paper), and it costs seconds at 10,000 actions, which a web
request should not spend. The HTML page shows the stored HTML the PDF was made from.
"""

import csv
import datetime
import hashlib
import io
import logging
import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from actions.choices import Status
from actions.models import Meeting
from reports.models import BoardPack
from reports.notices import send_once
from reports.selectors.board_pack import EXCEPTION_LIST_LIMIT, EXIT_CRITERIA_CSV_NAME, board_pack_figures
from secamb_journey.profile import trust_profile
from secamb_journey.roles import Role
from secamb_journey.site_url import absolute_url

logger = logging.getLogger(__name__)


# --- Rendering ------------------------------------------------------------------------------------


def board_pack_weasyprint():
    # Imported when a pack is made, not when Django starts: WeasyPrint loads Pango through cffi.
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    return weasyprint, URLFetcher, URLFetcherResponse


def local_static_fetcher():
    """A WeasyPrint URL fetcher that serves only this app's static files and fetches nothing else.

    The pack's HTML holds text people typed (titles, reasons): were any of it ever to reach the HTML as
    markup, an <img src="http://169.254.169.254/..."> must not make the server fetch it (SSRF). So the
    only URLs answered are SITE_URL + STATIC_URL paths, read from the static files on disk.
    """
    _, URLFetcher, URLFetcherResponse = board_pack_weasyprint()
    site = urlsplit(settings.SITE_URL)
    static_prefix = urlsplit(absolute_url(settings.STATIC_URL)).path

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if (parts.scheme, parts.netloc) != (site.scheme, site.netloc) or not parts.path.startswith(static_prefix):
                raise ValueError(f"Board packs fetch only this site's static files, not {url}")
            relative = parts.path[len(static_prefix) :]
            found = finders.find(relative) if ".." not in relative.split("/") else None
            if not found:
                raise ValueError(f"No static file {relative}")
            with open(found, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return LocalStaticFetcher(allowed_protocols=[site.scheme])


def _running_header(figures: dict) -> str:
    meeting = figures["meeting"]
    return f"{meeting['committee']}, {meeting['date']}" if meeting else f"Ad-hoc pack, {figures['today']}"


def board_pack_title(figures: dict) -> str:
    meeting, programme = figures["meeting"], trust_profile().programme_name or "Improvement programme"
    if meeting:
        return f"{programme}: board pack for the {meeting['committee']}, {meeting['date']}"
    return f"{programme}: board pack, {figures['today']}"


# References per paragraph in a large programme's appendix: WeasyPrint re-measures a paragraph's remaining
# text for each of its lines, so one paragraph of thousands of references costs far more than many short ones.
APPENDIX_REFERENCES_PER_PARAGRAPH = 120
APPENDIX_CSV_NAME = "appendix-every-action.csv"


def appendix_by_reference(appendix: list[dict]) -> list[dict]:
    """A large programme's appendix: for each pillar, each status's action references, in paragraphs.

    Every action is still named (the issue's "an appendix listing every action") in about a tenth of the
    lines a line each takes; its title, owner, due date and progress are in the CSV attached to the PDF."""
    order = {value: n for n, (value, _label) in enumerate(Status.choices)}
    pillars: dict[str, dict[str, dict]] = {}
    for a in appendix:
        statuses = pillars.setdefault(a["pillar"], {})
        group = statuses.setdefault(a["status"], {"label": a["status_label"], "references": [], "overdue": 0})
        group["references"].append(a["reference"])
        group["overdue"] += bool(a["overdue"])
    groups = []
    for pillar, statuses in pillars.items():
        rows = []
        for value in sorted(statuses, key=lambda v: order.get(v, len(order))):
            group = statuses[value]
            refs = group["references"]
            step = APPENDIX_REFERENCES_PER_PARAGRAPH
            rows.append(
                {
                    "label": group["label"],
                    "total": len(refs),
                    "overdue": group["overdue"],
                    "paragraphs": [", ".join(refs[i : i + step]) for i in range(0, len(refs), step)],
                }
            )
        groups.append({"pillar": pillar, "total": sum(r["total"] for r in rows), "statuses": rows})
    return groups


# The board reads what needs its attention first: special cause concern, then a significant change in
# neither direction, then improvement, then common cause; within each, a target that will be missed first.
_VARIATION_ORDER = ["concern_high", "concern_low", "neutral_high", "neutral_low", "improvement_high", "improvement_low"]
_ASSURANCE_ORDER = ["consistent_fail", "inconsistent", "consistent_pass"]


def measure_groups(rows: list[dict]) -> list[dict]:
    """The pack's measures grouped by what their charts say (variation, then assurance), the icons and
    their words once per group rather than on every measure's line: a board reads the concerns first, and
    at 500 measures the PDF lays out a thousand fewer icons (docs/board-pack.md)."""

    def rank(order, code):
        return order.index(code) if code in order else len(order) + (code is None)

    groups: dict[tuple, dict] = {}
    for row in rows:
        key = (row["variation_icon"], row["assurance_icon"])
        group = groups.setdefault(
            key,
            {
                "variation_icon": row["variation_icon"],
                "variation_words": row["variation_words"],
                "assurance_icon": row["assurance_icon"],
                "assurance_words": row["assurance_words"],
                "rows": [],
            },
        )
        group["rows"].append(row)
    ordered = sorted(groups, key=lambda k: (rank(_VARIATION_ORDER, k[0]), rank(_ASSURANCE_ORDER, k[1])))
    return [groups[key] for key in ordered]


def board_pack_render(*, figures: dict, version: int, generated_at: datetime.datetime, html_url: str) -> str:
    """The pack's HTML (the body both the page and the PDF show), from its figures alone."""
    appendix = figures["appendix"]
    by_reference = len(appendix) > settings.BOARD_PACK_APPENDIX_LINES
    return render_to_string(
        "reports/board_pack/pack.html",
        {
            "f": figures,
            "title": board_pack_title(figures),
            "version": version,
            "generated_text": f"{timezone.localtime(generated_at):%-d %B %Y at %H:%M}",
            "html_url": html_url,
            "limit": EXCEPTION_LIST_LIMIT,
            "appendix_by_reference": appendix_by_reference(appendix) if by_reference else None,
            "measure_groups": measure_groups(figures["measures"]["rows"]),
            "appendix_csv_name": APPENDIX_CSV_NAME,
            "exit_criteria_csv": EXIT_CRITERIA_CSV_NAME,
        },
    )


def _csv_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (a title typed as "=HYPERLINK(...)", say)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # with a BOM, so a spreadsheet reads it as UTF-8


def board_pack_appendix_csv(figures: dict) -> bytes:
    """Every action of the pack's appendix with all its details, as the CSV attached to the PDF."""
    return _csv(
        ["Reference", "Title", "Pillar", "Type", "Status", "Owner", "Due", "Overdue", "Per cent complete"],
        (
            [
                _csv_cell(a["reference"]),
                _csv_cell(a["title"]),
                _csv_cell(a["pillar"]),
                a["type"],
                a["status_label"],
                _csv_cell(a["owner"]),
                a["due_iso"],
                "yes" if a["overdue"] else "no",
                a["percent"],
            ]
            for a in figures["appendix"]
        ),
    )


def board_pack_exit_criteria_csv(figures: dict) -> bytes:
    """The figures of each exit criterion's SPC chart (what the measure's page shows as the chart's
    table), as the CSV attached to the PDF."""
    return _csv(
        ["Measure", "Period", "Value", "Mean", "Lower limit", "Upper limit", "Signal"],
        ([_csv_cell(chart["name"]), *point] for chart in figures["measures"]["charts"] for point in chart["points"]),
    )


def board_pack_document(*, body: str, title: str, version: int, running_header: str) -> str:
    """The HTML document WeasyPrint prints: `body` with the title, running header and print stylesheet."""
    return render_to_string(
        "reports/board_pack/document.html",
        {
            "body": mark_safe(body),  # noqa: S308 -- our own template's output (board_pack_render), escaped there
            "title": title,
            "version": version,
            "running_header": running_header,
            # The plain (not the hashed, collected) name: the fetcher finds it with the static file finders.
            "stylesheet_url": absolute_url(settings.STATIC_URL + "css/board-pack-print.css"),
            "trust_name": trust_profile().full_name,
            "service_name": trust_profile().service_name,
        },
    )


def board_pack_attached(attachments, *, generated_at: datetime.datetime | None = None) -> list:
    """WeasyPrint attachments of (name, description, content)."""
    weasyprint, *_ = board_pack_weasyprint()
    return [
        weasyprint.Attachment(
            string=content, name=name, description=description, created=generated_at, modified=generated_at
        )
        for name, description, content in attachments
    ]


def board_pack_pdf(
    *,
    body: str,
    title: str,
    version: int,
    running_header: str,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tags, the document title shown, the language set) of `body`,
    with `attachments` (name, description, content) attached."""
    weasyprint, *_ = board_pack_weasyprint()
    document = board_pack_document(body=body, title=title, version=version, running_header=running_header)
    html = weasyprint.HTML(string=document, base_url=absolute_url("/"), url_fetcher=local_static_fetcher())
    attached = board_pack_attached(attachments, generated_at=generated_at)
    return html.write_pdf(pdf_variant="pdf/ua-1", attachments=attached)


def board_pack_attachments(figures: dict) -> tuple[tuple[str, str, bytes], ...]:
    """The spreadsheets attached to the pack's PDF: every action, and the exit criteria's chart figures."""
    appendix = "Appendix: every action with its title, pillar, type, status, owner, due date and progress"
    charts = "Exit criteria: each SPC chart's values with the mean, process limits and what each signals"
    return (
        (APPENDIX_CSV_NAME, appendix, board_pack_appendix_csv(figures)),
        (EXIT_CRITERIA_CSV_NAME, charts, board_pack_exit_criteria_csv(figures)),
    )


# --- Generating -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    pack: BoardPack
    created: bool  # False: the meeting already had a pack and only a new version was not asked for


def _previous(*, meeting, as_of: datetime.date) -> BoardPack | None:
    """The pack before this one, for "since the last pack": the latest made on an earlier day for any
    other meeting (a regenerated version of the same meeting compares with the meeting before, as the
    board's previous paper)."""
    earlier = BoardPack.objects.filter(as_of__lte=as_of).defer("html", "pdf")
    if meeting is not None:
        earlier = earlier.exclude(meeting=meeting)
    return earlier.order_by("-generated_at", "-id").first()


def _next_version(*, meeting, as_of) -> int:
    packs = BoardPack.objects.filter(meeting=meeting) if meeting else BoardPack.objects.filter(meeting__isnull=True)
    if meeting is None:
        packs = packs.filter(as_of=as_of)
    return (packs.aggregate(v=Max("version"))["v"] or 0) + 1


def _latest(meeting) -> BoardPack | None:
    return meeting.board_packs.order_by("-version").defer("html", "pdf").first()


def _write_pack(*, meeting, as_of: datetime.date, version: int, now, user) -> BoardPack:
    """Freeze the pack's figures, render its HTML and PDF, and save it."""
    previous = _previous(meeting=meeting, as_of=as_of)
    figures = board_pack_figures(
        meeting=meeting,
        today=as_of,
        now=now,
        previous=previous.figures if previous else None,
    )
    # The cover links to the list of packs, where every version is: the pack's own address is
    # known only once its row is saved, and a saved pack is never written again.
    html_url = absolute_url("/board-packs/")
    title = board_pack_title(figures)
    body = board_pack_render(figures=figures, version=version, generated_at=now, html_url=html_url)
    pdf = board_pack_pdf(
        body=body,
        title=title,
        version=version,
        running_header=_running_header(figures),
        attachments=board_pack_attachments(figures),
        generated_at=now,
    )
    return BoardPack.objects.create(
        meeting=meeting,
        as_of=as_of,
        version=version,
        title=title,
        ask=figures["ask"],
        figures=figures,
        html=body,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        generated_at=now,
        generated_by=user,
    )


def board_pack_generate(
    *,
    meeting: Meeting | None = None,
    day: datetime.date | None = None,
    user=None,
    new_version: bool = True,
) -> Generated:
    """Make the pack for `meeting` (or an ad-hoc pack for `day`), frozen: figures, HTML and PDF stored.

    new_version=False (the scheduled task): a meeting that already has a pack keeps it, and nothing is
    made. Atomic: the meeting's row is locked while its version is chosen and the pack written, and the
    (meeting, version) unique constraint turns any race the lock cannot stop (SQLite) into "already made".
    """
    now = timezone.now()
    as_of = day or timezone.localdate()
    try:
        with transaction.atomic():
            if meeting is not None:
                meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
                if not new_version:
                    existing = _latest(meeting)
                    if existing is not None:
                        return Generated(existing, created=False)
            version = _next_version(meeting=meeting, as_of=as_of)
            pack = _write_pack(meeting=meeting, as_of=as_of, version=version, now=now, user=user)
    except IntegrityError:
        # Another process made this meeting's pack (same version) in the meantime.
        if meeting is None:
            raise
        return Generated(_latest(meeting), created=False)
    logger.info("Board pack %s generated: %s, version %d", pack.pk, pack.title, version)
    return Generated(pack, created=True)


def meetings_due_a_pack(*, today: datetime.date) -> list[Meeting]:
    """Meetings from today to BOARD_PACK_DAYS_BEFORE days ahead that have no pack yet. A window rather
    than one exact day, so a day the scheduler missed is caught up the next day."""
    until = today + datetime.timedelta(days=settings.BOARD_PACK_DAYS_BEFORE)
    return list(
        Meeting.objects.filter(date__gte=today, date__lte=until, board_packs__isnull=True)
        .select_related("committee")
        .order_by("date", "pk")
    )


# --- Telling people -------------------------------------------------------------------------------


def board_pack_recipients(pack: BoardPack) -> list:
    """Board members and, for a meeting's pack, the members of its committee: active, with an e-mail."""
    User = get_user_model()
    people = User.objects.filter(is_active=True).exclude(email="")
    board = people.filter(groups__name=Role.BOARD.label)
    if pack.meeting_id:
        people = board | people.filter(committees__meetings=pack.meeting_id)
    else:
        people = board
    return list(people.distinct().order_by("pk"))


def board_pack_notify(*, pack: BoardPack) -> int:
    """E-mail each recipient the pack's links, once (reports.notices: a retried task skips who has it)."""
    html_url = absolute_url(pack.get_absolute_url())
    pdf_url = absolute_url(pack.get_pdf_url())
    messages = []
    for person in board_pack_recipients(pack):
        body = render_to_string(
            "reports/email/board_pack.txt",
            {"person": person, "pack": pack, "html_url": html_url, "pdf_url": pdf_url, "trust": trust_profile()},
        )
        messages.append((person, EmailMessage(subject=pack.title, body=body, to=[person.email])))
    return send_once(messages, notice=f"board-pack:{pack.pk}", period=f"v{pack.version}")


def board_packs_generate_due(*, today: datetime.date | None = None) -> list[int]:
    """The scheduled run: a pack for each meeting due one, and its e-mails. The ids of the packs made."""
    today = today or timezone.localdate()
    made = []
    for meeting in meetings_due_a_pack(today=today):
        generated = board_pack_generate(meeting=meeting, day=today, new_version=False)
        if generated.created:
            made.append(generated.pack.pk)
    # Outside the packs' transactions (send_once's rule); every pack made today is told of, including
    # one whose e-mails failed part-way in an earlier attempt of this task (the ledger skips who has it).
    for pack in BoardPack.objects.filter(as_of=today, meeting__isnull=False).defer("html", "pdf"):
        board_pack_notify(pack=pack)
    return made
