"""The board pack's figures: every section as plain JSON, read from the same selectors as the dashboard.

The pack stores what this returns (BoardPack.figures) and renders only from it, so the pack a board
was sent can be compared, figure by figure, with the next one ("what changed since the previous pack").
Counts come from reports.selectors.dashboard.dashboard_overview and reports.governance_figures, the
functions /dashboard/ shows, so the pack and the dashboard agree on the same day's data.

A fixed number of queries whatever the number of actions: the appendix is one query over every action
(joined to its pillar and owner), and the exception lists are cut from it in Python.
"""

import datetime

from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions import changes
from actions.choices import ActionType, Status
from actions.figures import Audience, Figures, figures, figures_open_data
from actions.models import Action, ActionReopening, CommitteeDecision, Decision
from actions.models.states import days_overdue, is_overdue_on
from measures.charts import PACK_VARIANT, spc_svg
from measures.selectors import format_number, measures_summary
from reports.governance_figures import dashboard_governance
from reports.models import BoardPackAsk
from reports.selectors.board import since_moment
from reports.selectors.dashboard import programme_slices
from secamb_journey.site_url import absolute_url

# Each exception list shows this many rows (the most overdue first) and says how many there are in all;
# the appendix lists every action, so nothing is hidden, and a pack at 10,000 actions stays readable.
EXCEPTION_LIST_LIMIT = 25
# The exit criteria's chart figures, attached to the PDF (reports.services.board_pack).
EXIT_CRITERIA_CSV_NAME = "exit-criteria-figures.csv"

SECTIONS = (
    ("summary", "Summary"),
    ("exceptions", "Exception report"),
    ("cqc", "CQC compliance"),
    ("measures", "Measures"),
    ("ratification", "Actions awaiting ratification"),
    ("changes", "What changed since the previous pack"),
    ("appendix", "Appendix: every action"),
)


def _date(value: datetime.date | None) -> str:
    """Dates as a board paper writes them (1 March 2026): the figures are for reading, not computing."""
    return f"{value:%-d %B %Y}" if value else ""


def _action_url_prefix() -> str:
    # /actions/<reference>/ is the interface contract (DESIGN.md): one reverse, not one per action.
    return absolute_url(reverse("actions:detail", args=["REF"])).removesuffix("REF/")


def _appendix(*, today: datetime.date) -> list[dict]:
    """Every action, by pillar then reference, in one query."""
    prefix = _action_url_prefix()
    status_labels = dict(Status.choices)
    type_labels = dict(ActionType.choices)
    rows = (
        Action.objects.order_by("pillar__number", "reference")
        .values_list(
            "reference",
            "title",
            "pillar__number",
            "pillar__name",
            "action_type",
            "status",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "due_date",
            "percent_complete",
        )
        .iterator(chunk_size=2000)
    )
    appendix = []
    for ref, title, p_number, p_name, a_type, status, first, last, username, due, percent in rows:
        appendix.append(
            {
                "reference": ref,
                "title": title,
                "pillar": f"{p_number}. {p_name}",
                "type": type_labels.get(a_type, a_type),
                "status": status,
                "status_label": status_labels.get(status, status),
                "owner": f"{first} {last}".strip() or username,
                "due": _date(due),
                "due_iso": due.isoformat(),
                "overdue": is_overdue_on(status=status, due_date=due, day=today),
                "days_overdue": days_overdue(status=status, due_date=due, day=today),
                "percent": percent,
                "url": f"{prefix}{ref}/",
            }
        )
    return appendix


def _cut(rows: list[dict]) -> dict:
    return {"rows": rows[:EXCEPTION_LIST_LIMIT], "total": len(rows)}


def _revision_rows(revisions, *, prefix: str) -> list[dict]:
    return [
        {
            "reference": r.action.reference,
            "title": r.action.title,
            "url": f"{prefix}{r.action.reference}/",
            "previous_due": _date(r.previous_due_date),
            "new_due": _date(r.new_due_date),
            "days": r.days_moved,
            "reason": r.reason,
            "decided_on": _date(r.decided_on),
        }
        for r in revisions.select_related("action").order_by("-decided_on", "action__reference", "-pk")
    ]


def _since_rows(*, since: datetime.datetime, today: datetime.date) -> dict:
    """What happened since the last committee meeting (board.since_moment, as on the dashboard). A revision
    that moved a date later is a slip; one that moved it earlier is "brought forward", listed apart
    (actions.changes): never a negative slip.
    """
    prefix = _action_url_prefix()
    slipped = _revision_rows(changes.slips_since(since.date()), prefix=prefix)
    brought_forward = _revision_rows(changes.brought_forward_revisions_since(since.date()), prefix=prefix)
    reopened = [
        {
            "reference": r.action.reference,
            "title": r.action.title,
            "url": f"{prefix}{r.action.reference}/",
            "on": _date(timezone.localdate(r.reopened_at)),
            "reason": r.reason,
            "status_label": Status(r.status).label,
        }
        for r in ActionReopening.objects.filter(reopened_at__gte=since)
        .select_related("action")
        .order_by("-reopened_at", "-id")
    ]
    returned = [
        {
            "reference": d.action.reference,
            "title": d.action.title,
            "url": f"{prefix}{d.action.reference}/",
            "meeting": str(d.meeting),
            "reason": d.reason,
            "minute": d.minute_reference,
        }
        for d in CommitteeDecision.objects.filter(decision=Decision.RETURNED, recorded_at__gte=since)
        .select_related("action", "meeting__committee")
        .order_by("-recorded_at", "-id")
    ]
    return {
        "slipped": _cut(slipped),
        "brought_forward": _cut(brought_forward),
        "reopened": _cut(reopened),
        "returned": _cut(returned),
    }


def _awaiting(*, meeting) -> list[dict]:
    """The committee's decisions to make: what is on this meeting's agenda (every meeting's, ad hoc)."""
    prefix = _action_url_prefix()
    decisions = CommitteeDecision.objects.filter(decision=Decision.PENDING)
    if meeting is not None:
        decisions = decisions.filter(meeting=meeting)
    return [
        {
            "reference": d.action.reference,
            "title": d.action.title,
            "url": f"{prefix}{d.action.reference}/",
            "owner": d.action.owner.get_full_name() or d.action.owner.get_username(),
            "assured_on": _date(timezone.localdate(d.action.assured_at)) if d.action.assured_at else "",
            "meeting": str(d.meeting),
        }
        for d in decisions.select_related("action__owner", "meeting__committee").order_by(
            "meeting__date", "action__reference"
        )
    ]


def _measures() -> dict:
    rows, charts = [], []
    for mc in measures_summary(public_only=False):
        m = mc.measure
        unit = f" {m.unit}" if m.unit else ""
        latest = mc.latest
        rows.append(
            {
                "name": m.name,
                "url": absolute_url(m.get_absolute_url()),
                "latest": f"{format_number(latest.value, places=2)}{unit}"
                if latest
                else (mc.problem or "No values yet"),
                "period": latest.period_words if latest else "",
                "target": f"{format_number(mc.target, places=2)}{unit}" if mc.target is not None else "None",
                "variation_icon": mc.variation_icon,
                "variation_words": mc.variation_words,
                "assurance_icon": mc.assurance_icon,
                "assurance_words": mc.assurance_words,
                "exit_criterion": m.exit_criterion,
                "illustrative": m.illustrative,
                "provisional": mc.provisional,
            }
        )
        if m.exit_criterion:
            charts.append(_chart(mc))
    return {"rows": rows, "charts": charts}


def _chart(mc) -> dict:
    """An exit criterion's SPC chart as vector graphics, rendered now and kept (the pack never redraws it
    from later data), and its figures, which the PDF carries as an attached spreadsheet."""
    m = mc.measure
    context = {"svgs": [spc_svg(mc, PACK_VARIANT)], "mc": mc, "id": f"spc-{m.slug}"}
    context |= {"figures_attached": EXIT_CRITERIA_CSV_NAME}
    return {
        "name": m.name,
        "url": absolute_url(m.get_absolute_url()),
        "svg": render_to_string("measures/includes/spc_chart.html", context),
        "points": [
            [
                p.period_text,
                *(format_number(v, places=2) if v is not None else "" for v in (p.value, *_limits(p.point))),
                f"{p.point_type_words} ({p.rule_words})" if p.rule_words else p.point_type_words,
            ]
            for p in ([] if mc.problem else mc.points)
        ],
    }


def _limits(point) -> tuple:
    return point.mean, point.lower, point.upper


def _headline(overview: dict, governance: dict, counted: Figures) -> list[list]:
    """[key, label, value]: the figures "what changed" sets side by side with the previous pack's."""
    overall = counted.overall
    rows = [
        ["total", "Actions", overall.total],
        ["percent_done", "Complete or assured (%)", overall.percent_done],
        *[[f"status:{s.value}", s.label, n] for s, n in overall.rows()],
        ["overdue", "Overdue", overall.overdue],
        ["stale", "No recent progress", overview["overall"].figures.stale],
        ["slipped", "Due date slipped", governance["slipped"]["count"]],
        ["awaiting_ratification", "Assured, awaiting ratification", governance["awaiting_ratification"]],
        ["reopened_open", "Reopened and still open", governance["reopened_open"]],
    ]
    for card in overview["pillar_cards"]:
        rows.append(
            [
                f"pillar:{card.obj.number}",
                f"{card.label}: complete or assured (%)",
                counted.pillar(card.obj.pk).percent_done,
            ]
        )
    for s in overview["cqc"]:
        rows.append([f"type:{s.obj.value}", f"{s.label}: overdue", counted.action_type(s.obj).overdue])
    return rows


def _changes(headline: list[list], previous: dict | None) -> list[dict]:
    then = {key: value for key, _label, value in (previous or {}).get("headline", [])}
    return [
        {"label": label, "then": then.get(key), "now": value, "change": value - then[key] if key in then else None}
        for key, label, value in headline
    ]


def _asks(*, awaiting: int, off_track: int, overdue: int, slipped: int) -> tuple[str, list[list]]:
    asks = []
    if awaiting:
        asks.append(
            [
                BoardPackAsk.APPROVE.value,
                f"Approve: decide on the {awaiting} assured action{pluralize(awaiting)} put to this meeting "
                "for ratification.",
            ]
        )
    if off_track or overdue or slipped:
        asks.append(
            [
                BoardPackAsk.DISCUSS.value,
                f"Discuss: the exception report ({off_track} off track, {overdue} overdue, "
                f"{slipped} slipped since the last meeting).",
            ]
        )
    asks.append([BoardPackAsk.NOTE.value, "Note: the programme's progress, CQC compliance and measures."])
    return asks[0][0], asks


def _meeting(meeting) -> dict | None:
    if meeting is None:
        return None
    return {
        "name": str(meeting),
        "committee": meeting.committee.name,
        "date": _date(meeting.date),
        "url": absolute_url(meeting.get_absolute_url()),
    }


def _summary(counted, overview: dict, public_total: int) -> dict:
    overall = counted.overall
    furthest = overview["furthest_behind"]
    return {
        "total": overall.total,
        "public_total": public_total,
        "percent_done": overall.percent_done,
        "open": overall.open,
        "overdue": overall.overdue,
        "stale": overview["overall"].figures.stale,
        "due_soon": overview["overall"].figures.due_soon,
        "by_status": [[s.value, s.label, n] for s, n in overall.rows()],
        "pillars": [
            {
                "name": card.label,
                "total": counted.pillar(card.obj.pk).total,
                "percent_done": counted.pillar(card.obj.pk).percent_done,
                "overdue": counted.pillar(card.obj.pk).overdue,
                "off_track": counted.pillar(card.obj.pk).by_status[Status.OFF_TRACK],
                "url": absolute_url(card.url),
            }
            for card in overview["pillar_cards"]
        ],
        "furthest_behind": {"name": furthest.label, "percent_done": furthest.counts.percent_done} if furthest else None,
        "stale_after_days": overview["stale_after_days"],
        "dashboard_url": absolute_url(reverse("reports:dashboard")),
    }


def _cqc(counted, overview: dict, governance: dict) -> dict:
    def rows(key):
        return [
            {"label": r.label, "total": r.total, "done": r.done, "open": r.open, "overdue": r.overdue}
            for r in governance[key]
        ]

    return {
        "types": [
            {
                "label": s.label,
                "total": counted.action_type(s.obj).total,
                "done": counted.action_type(s.obj).done,
                "percent_done": counted.action_type(s.obj).percent_done,
                "overdue": counted.action_type(s.obj).overdue,
            }
            for s in overview["cqc"]
        ],
        "by_regulation": rows("by_regulation"),
        "by_key_question": rows("by_key_question"),
    }


def board_pack_figures(*, meeting=None, today=None, now=None, previous: dict | None = None) -> dict:
    """Every figure and row the pack shows, as JSON. `previous`: the previous pack's figures (or None),
    for "what changed". The exception report counts from the dashboard's "since" (board.since_moment).
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    since_day, since_meeting = since_moment(today=today)
    since = datetime.datetime.combine(since_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    overview = programme_slices(today=today, now=now)
    governance = dashboard_governance(today=today, now=now)["governance"]
    # The pack's counts are frozen from the one figures function (actions.figures), as an update's are.
    counted = figures(as_at=today, audience=Audience.BOARD)
    public_total = figures(as_at=today, audience=Audience.PUBLIC).overall.total
    appendix = _appendix(today=today)
    off_track = [a for a in appendix if a["status"] == Status.OFF_TRACK]
    overdue = sorted((a for a in appendix if a["overdue"]), key=lambda a: (a["due_iso"], a["reference"]))
    since_rows = _since_rows(since=since, today=today)
    awaiting = _awaiting(meeting=meeting)
    headline = _headline(overview, governance, counted)
    ask, asks = _asks(
        awaiting=len(awaiting),
        off_track=len(off_track),
        overdue=len(overdue),
        slipped=since_rows["slipped"]["total"],
    )
    return {
        "today": _date(today),
        "today_iso": today.isoformat(),
        "since": _date(since_day),
        # Which moment "since" is, in words, as the dashboard says it.
        "since_what": f"{since_meeting.committee.name}, {_date(since_meeting.date)}" if since_meeting else "",
        "first_pack": previous is None,
        "meeting": _meeting(meeting),
        "ask": ask,
        "asks": asks,
        "sections": [list(s) for s in SECTIONS],
        "figures": figures_open_data(counted),
        "summary": _summary(counted, overview, public_total),
        "exceptions": {"off_track": _cut(off_track), "overdue": _cut(overdue), **since_rows},
        "cqc": _cqc(counted, overview, governance),
        "measures": _measures(),
        "ratification": {
            "rows": awaiting,
            "awaiting_ratification": governance["awaiting_ratification"],
            "awaiting_decision": governance["awaiting_decision"],
        },
        "headline": headline,
        "changes": _changes(headline, previous),
        "appendix": appendix,
        "register_url": absolute_url(reverse("actions:register")),
    }
