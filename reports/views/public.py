"""Public pages, no sign-in: the home page, published updates, the feed and open data."""

import csv

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from reports.models import PublishedUpdate
from reports.plan import governance_csv_cells, update_reopened
from reports.public_cache import public_cache, rendered_page
from reports.selectors.public import (
    OPEN_DATA_FIELDS,
    PUBLIC_UPDATES_PER_PAGE,
    FeedEntry,
    home_page_content,
    open_data_actions,
    open_data_figures,
    open_data_update,
    public_feed_entries,
    public_update_for_slug,
    public_updates,
    public_withdrawal_notices,
    published_correction_of,
)
from reports.selectors.updates import (
    UPDATE_LIST_SHOWN,
    UPDATE_SECTION_PER_PAGE,
    UPDATE_SECTIONS,
    group_highlights,
    update_figures,
    update_section_items,
)
from reports.services.editorial import render_markdown
from secamb_journey.periods import period_words
from secamb_journey.profile import open_data_file_name, trust_profile
from secamb_journey.site_url import absolute_url
from secamb_journey.text import XmlSafeAtom1Feed, clean_text, clean_value


@require_safe
@public_cache
def home(request):
    # Cached for anonymous visitors like open data, so the pillars' progress it shows is at most
    # PUBLIC_CACHE_SECONDS behind the live record (signed-in staff always see it live). Counting every
    # public action takes tens of milliseconds at 10,000 actions: uncached, a rush of readers after a
    # news story would be a rush of full scans (issue 8's benchmark: `manage.py bench`).
    trust = trust_profile()
    # The trust's words, in Markdown, through the one sanitising renderer of published updates.
    trust_words = {name: render_markdown(getattr(trust, name)) for name in ("introduction", "purpose", "strategy")}
    return render(request, "reports/home.html", {**home_page_content(), "trust_words": trust_words})


@require_safe
@public_cache
def update_list(request):
    page = Paginator(public_updates(), PUBLIC_UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    rendered_page(request, number=page.number)
    return render(
        request,
        "reports/updates/list.html",
        {
            "page_obj": page,
            "updates": page.object_list,
            # Withdrawn updates are listed by month with their note, never their content.
            "withdrawals": public_withdrawal_notices() if page.number == 1 else [],
        },
    )


def update_page_context(update: PublishedUpdate, *, preview: bool = False) -> dict:
    """What /updates/<slug>/ shows; the editorial preview renders the same template from the same context.

    The month's lists show their first UPDATE_LIST_SHOWN entries with a link to the whole list, except in
    the preview, whose draft has no public pages to link to (so an editor sees every entry).
    """
    figures = update_figures(update)
    lists = {}
    for section in UPDATE_SECTIONS:
        items = update_section_items(figures, section)
        shown = items if preview else items[:UPDATE_LIST_SHOWN]
        lists[section] = {"shown": shown, "total": len(items), "more": len(shown) < len(items)}
    lists["highlights"]["shown"] = group_highlights(lists["highlights"]["shown"])
    return {
        "update": update,
        "figures": figures,
        "lists": lists,
        "narrative_html": render_markdown(update.narrative),
        "preview": preview,
        "reopened": update_reopened(update),
    }


def _update_or_404(slug: str, missing: str):
    """The published or withdrawn update at this address, or a 404 saying `missing`."""
    update = public_update_for_slug(slug)
    if update is None:
        raise Http404(missing)
    return update


@require_safe
@public_cache
def update_detail(request, slug):
    update = _update_or_404(slug, "No published update has that address.")
    if not update.is_published:
        # Withdrawn: the public note only, answering 404 as the update is no longer published.
        notice = {
            "period": update.period,
            "withdrawn_at": update.withdrawn_at,
            "note": update.withdrawal_note,
            "correction": published_correction_of(update),
        }
        return render(request, "reports/updates/withdrawn.html", {"notice": notice}, status=404)
    return render(request, "reports/updates/detail.html", update_page_context(update))


@require_safe
@public_cache
def update_section(request, slug, section):
    """One of an update's lists in full (completed, assured, highlights), paged: from its frozen figures."""
    update = public_update_for_slug(slug)
    if section not in UPDATE_SECTIONS or update is None or not update.is_published:
        raise Http404("No published update has that list.")
    items = update_section_items(update_figures(update), section)
    page = Paginator(items, UPDATE_SECTION_PER_PAGE).get_page(request.GET.get("page"))
    rendered_page(request, number=page.number)
    entries = group_highlights(page.object_list) if section == "highlights" else page.object_list
    return render(
        request,
        "reports/updates/section.html",
        {"update": update, "section": UPDATE_SECTIONS[section], "page_obj": page, "entries": entries},
    )


class UpdatesFeed(Feed):
    """Published updates as an Atom feed: what a feed reader at /updates/feed/ follows. A withdrawal is an
    entry of its own (the month, the date and the public note, never the withdrawn words), and the corrected
    update another, so subscribers learn of both.
    """

    # Every address in the feed (its links, its id, each entry's link and id) is absolute from SITE_URL:
    # Django would otherwise complete them with the request's Host header (secamb_journey.site_url).
    feed_type = XmlSafeAtom1Feed  # and survives any character stored in a headline or narrative
    item_limit = 20

    # The trust's names are its profile's (data): read per request, as the profile can change at any time.
    def title(self):
        trust = trust_profile()
        return f"{trust.short_name} {trust.programme_name}: progress updates".strip()

    def subtitle(self):
        trust = trust_profile()
        return (
            f"Regular public updates from {trust.full_name} on progress against its CQC warning notices, "
            f"must-do and should-do actions and its {trust.programme_name}."
        )

    def author_name(self):
        return trust_profile().full_name

    def items(self):
        return public_feed_entries(self.item_limit)

    def link(self):
        return absolute_url("/updates/")

    def feed_url(self):
        return absolute_url("/updates/feed/")

    def item_link(self, item: FeedEntry):
        return absolute_url(item.update.get_absolute_url())

    def item_guid(self, item: FeedEntry):
        # The withdrawal's id is not the update's: a feed reader treats it as news, not as an edit.
        return self.item_link(item) + ("#withdrawn" if item.withdrawal else "")

    def item_title(self, item: FeedEntry):
        if item.withdrawal:
            return f"Withdrawn: our progress update for {period_words(item.update.period)}"
        if item.update.corrects_id:
            return f"Corrected: {item.update.headline}"
        return item.update.headline

    def item_description(self, item: FeedEntry):
        update = item.update
        if item.withdrawal:
            when = date_format(timezone.localtime(update.withdrawn_at), "j F Y")
            return format_html(
                "<p>We withdrew our progress update for {} on {}.</p><p>Why: {}</p>",
                period_words(update.period),
                when,
                update.withdrawal_note,
            )
        # The same sanitised HTML as the page; the figures are on the page the entry links to.
        html = render_markdown(update.narrative)
        if update.corrects_id:
            html = format_html(
                "<p>This corrected update replaces our update for {} that we withdrew.</p>{}",
                period_words(update.period),
                html,
            )
        return html

    def item_pubdate(self, item: FeedEntry):
        return item.at

    def item_updateddate(self, item: FeedEntry):
        return item.at


updates_feed = require_safe(public_cache(UpdatesFeed()))


@require_safe
@public_cache
def open_data(request):
    return render(request, "reports/open_data.html", {"fields": OPEN_DATA_FIELDS})


def _csv_safe(value) -> str:
    """Text a spreadsheet will not run as a formula (a title typed as "=HYPERLINK(...)", say)."""
    text = clean_text(str(value))
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
@public_cache
def open_data_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{open_data_file_name("actions")}"'
    writer = csv.writer(response)
    names = [name for name, _ in OPEN_DATA_FIELDS]
    writer.writerow(names)
    for row in open_data_actions():
        row = {**row, "themes": "; ".join(row["themes"]), "due_date": row["due_date"].isoformat()}
        row = governance_csv_cells(row)
        writer.writerow([_csv_safe(row[name]) for name in names])
    return response


def _clean_deep(value):
    """clean_value through lists and dicts too (a due-date revision's reason is text inside a list)."""
    if isinstance(value, list):
        return [_clean_deep(item) for item in value]
    if isinstance(value, dict):
        return {name: _clean_deep(item) for name, item in value.items()}
    return clean_value(value)


@require_safe
@public_cache
def open_data_json(request):
    actions = [
        {**{name: _clean_deep(value) for name, value in row.items()}, "due_date": row["due_date"].isoformat()}
        for row in open_data_actions()
    ]
    return JsonResponse(
        {
            "publisher": trust_profile().full_name,
            "description": f"Public actions of the {trust_profile().programme_name} and their current status.",
            "documentation": absolute_url("/open-data/"),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "actions": actions,
        }
    )


def _as_at_problem(text: str | None, today) -> tuple[object, str | None]:
    """The day ?as_at= asks for (default today), or why it cannot be answered."""
    if not text:
        return today, None
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        return None, f"as_at must be a date written YYYY-MM-DD, for example {today.isoformat()} (not {text!r})."
    if day > today:
        return None, f"as_at must be today ({today.isoformat()}) or earlier: figures are not known in advance."
    return day, None


@require_safe
def open_data_figures_json(request):
    # Not in the public pages' cache: its key ignores query strings (so made-up ones cannot flood it),
    # and each ?as_at= is its own answer. Counting a day's figures is one pass over the history.
    day, problem = _as_at_problem(request.GET.get("as_at"), timezone.localdate())
    if problem:
        return JsonResponse({"error": problem}, status=400)
    return JsonResponse(_clean_deep(open_data_figures(as_at=day)))


@require_safe
@public_cache
def open_data_update_json(request, slug):
    update = _update_or_404(slug, "No published or withdrawn update has that address.")
    return JsonResponse(_clean_deep(open_data_update(update)))
