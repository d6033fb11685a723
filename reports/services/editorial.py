"""Editing, publishing and withdrawing an update, and the one Markdown renderer every view of a narrative uses.

Each service runs inside one transaction and takes the acting person for the history.
"""

import datetime
import re

import markdown
import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from reports.models import PublishedUpdate, UpdateStatus

# --- Markdown --------------------------------------------------------------------------------------

NARRATIVE_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "a", "blockquote", "code"}


def render_markdown(text: str) -> SafeString:
    """The narrative as sanitised HTML: the one renderer behind the preview, the public page and the feed.

    Raw HTML in the source is never passed through: Python-Markdown's HTML handling is switched off, so
    `<script>` arrives as visible text, and nh3 then keeps only the tags and link schemes listed here.
    """
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text or "")
    # The page already has its h1 (the headline): a "# heading" in the narrative becomes an h2.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    clean = nh3.clean(
        html,
        tags=NARRATIVE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 -- sanitised by nh3 on the line above


def _require(user, permission: str, message: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(message)


def _locked(update: PublishedUpdate) -> PublishedUpdate:
    return PublishedUpdate.objects.select_for_update().get(pk=update.pk)


def _who(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def _stale_edit_message(update: PublishedUpdate, expected_version: int) -> str:
    """Name the change the editor's save would overwrite: who made it, when, and which parts it touched."""
    records = list(update.history.filter(version__gt=expected_version).order_by("history_date", "history_id"))
    base = update.history.filter(version=expected_version).order_by("-history_date", "-history_id").first()
    changed = []
    if base is None or base.headline != update.headline:
        changed.append(f"the headline (now “{update.headline}”)")
    if base is None or base.narrative != update.narrative:
        changed.append("the narrative")
    if update.status != UpdateStatus.DRAFT:
        changed.append(f"its status (now {update.get_status_display().lower()})")
    last = records[-1] if records else None
    who = _who(last.history_user) if last else "someone"
    when = f" at {timezone.localtime(last.history_date):%H:%M on %-d %B}" if last else ""
    what = " and ".join(changed) or "this update"
    return (
        f"{who} changed {what}{when}, after you opened this page. Your changes have not been saved, so "
        "theirs are not lost: open the update again, read their version, then make your changes."
    )


def update_edit(
    *, update: PublishedUpdate, editor, headline: str, narrative: str, expected_version: int
) -> PublishedUpdate:
    """Change a draft's headline and narrative. Refused after publication, and refused when someone else
    saved since the editor opened the page (`expected_version`), naming what would have been overwritten.
    """
    _require(editor, "reports.change_publishedupdate", "You cannot edit public updates.")
    headline = (headline or "").strip()
    errors = {}
    if not headline:
        errors["headline"] = "Enter a headline."
    elif len(headline) > PublishedUpdate.HEADLINE_MAX_LENGTH:
        errors["headline"] = f"Headline must be {PublishedUpdate.HEADLINE_MAX_LENGTH:,} characters or fewer."
    if len(narrative or "") > PublishedUpdate.NARRATIVE_MAX_LENGTH:
        errors["narrative"] = f"Narrative must be {PublishedUpdate.NARRATIVE_MAX_LENGTH:,} characters or fewer."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update = _locked(update)
        if update.status != UpdateStatus.DRAFT:
            raise ValidationError(
                f"This update was {update.get_status_display().lower()} and can no longer be edited: "
                "what the public read must not change after publication."
            )
        if update.version != expected_version:
            raise ValidationError(_stale_edit_message(update, expected_version), code="stale")
        update.headline = headline
        update.narrative = narrative or ""
        update.version += 1
        update._history_user = editor
        update._change_reason = "Headline and narrative edited"
        update.save()
    return update


def update_publish(*, update: PublishedUpdate, publisher, at: datetime.datetime | None = None) -> PublishedUpdate:
    """Publish a draft: it appears on the public site and in the feed, and its figures stay as frozen.

    `publisher` is the person publishing (they need reports.publish_publishedupdate), or None for an
    operator at the command line (`generate_update --publish`), whose authority is their shell access.
    """
    if publisher is not None:
        _require(publisher, "reports.publish_publishedupdate", "Only a communications editor can publish an update.")
    with transaction.atomic():
        update = _locked(update)
        if update.status != UpdateStatus.DRAFT:
            raise ValidationError(f"This update is already {update.get_status_display().lower()}.")
        if not update.headline.strip():
            raise ValidationError("Give the update a headline before publishing it.")
        update.status = UpdateStatus.PUBLISHED
        update.published_at = at or timezone.now()
        update.published_by = publisher
        update.version += 1
        update._history_user = publisher
        update._change_reason = "Published" if publisher else "Published from the command line"
        update.save()  # moves the public content generation on, in this transaction (reports.public_cache)
    return update


def update_withdraw(*, update: PublishedUpdate, editor, note: str, at: datetime.datetime | None = None):
    """Take a published update off the public site, leaving a public note that says why."""
    _require(editor, "reports.publish_publishedupdate", "Only a communications editor can withdraw an update.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter a note for the public saying why this update was withdrawn."})
    if len(note) > PublishedUpdate.WITHDRAWAL_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": f"Note must be {PublishedUpdate.WITHDRAWAL_NOTE_MAX_LENGTH:,} characters or fewer."}
        )
    with transaction.atomic():
        update = _locked(update)
        if update.status != UpdateStatus.PUBLISHED:
            raise ValidationError("Only a published update can be withdrawn.")
        update.status = UpdateStatus.WITHDRAWN
        update.withdrawn_at = at or timezone.now()
        update.withdrawn_by = editor
        update.withdrawal_note = note
        update.version += 1
        update._history_user = editor
        update._change_reason = "Withdrawn"
        update.save()  # moves the public content generation on, in this transaction (reports.public_cache)
    return update
