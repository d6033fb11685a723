"""Redacting published words (issue 28, finding 8): a patient's name typed by mistake into a reason.

Due-date revision, reopening and committee-return reasons are shown on /plan/, in open data and on the
staff pages; public highlights of progress entries on /plan/ and in published updates; and the reasons
of reopenings and the highlights are frozen into published updates. An administrator (the
`actions.redact_text` permission, given to no role: a superuser has it, or it is granted to a named
person in the admin) may replace such words with "Removed on <date>: <reason>". In one transaction:

- the record's text is replaced;
- the action's history is cleaned: a change reason that quoted the words ("Due date revised: ...",
  "Reopened: ...") says the replacement instead, so the history display never shows them;
- a reopening's words also leave the due-date revision agreed with it ("Reopened: <reason>") and the
  progress-log entry the reopening wrote ("Reopened by <lead>: <reason>", staff only);
- every published update (and its history) that froze the words has them replaced in its figures: the
  one change ever made to a published update, recorded as a redaction of that update;
- one actions.Redaction row per record changed: who, when, why and the SHA-256 of the words removed,
  never the words;
- the public content generation moves (its database triggers, secamb_journey.generations, see every
  write), so every process's cached public pages, /plan/ and open data among them, are rendered afresh
  within a second.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from actions.models import (
    ActionReopening,
    CommitteeDecision,
    DueDateRevision,
    ProgressUpdate,
    RedactedField,
    Redaction,
)
from reports.models import PublishedUpdate

REDACT_PERMISSION = "actions.redact_text"
REASON_MAX_LENGTH = 500

# What an administrator may redact: the model and its field, by RedactedField.
REDACTABLE = {
    RedactedField.REVISION_REASON: (DueDateRevision, "reason"),
    RedactedField.REOPENING_REASON: (ActionReopening, "reason"),
    RedactedField.DECISION_REASON: (CommitteeDecision, "reason"),
    RedactedField.HIGHLIGHT: (ProgressUpdate, "public_highlight"),
}

# A history change reason is cut to 100 characters: a quoted text cut short is still found when at
# least this much of its start is there (and always when the whole text is shorter).
_SHORTEST_CUT_QUOTE = 12
_CHANGE_REASON_LENGTH = 100


def may_redact(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REDACT_PERMISSION)


def redaction_text(*, reason: str, on) -> str:
    return f"Removed on {date_format(on, 'j F Y')}: {reason}"


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def redactable_record(*, field: str, record_id: int):
    """The record an administrator may redact the `field` of, or DoesNotExist / KeyError / ValueError."""
    model, _ = REDACTABLE[RedactedField(field)]
    return model.objects.select_related("action").get(pk=record_id)


def redactable_text(record, *, field: str) -> str:
    return getattr(record, REDACTABLE[RedactedField(field)][1])


def _checked(*, record, field: str, reason: str, by, now) -> tuple[RedactedField, str, str]:
    """The field, the reason and the words that replace the redacted ones; or PermissionDenied or
    ValidationError saying why this redaction may not be made."""
    if not may_redact(by):
        raise PermissionDenied("Only an administrator may redact published words.")
    field = RedactedField(field)
    if field not in REDACTABLE or not isinstance(record, REDACTABLE[field][0]):
        raise ValidationError("These words cannot be redacted here.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the words are removed (it is shown in their place)."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Reason must be {REASON_MAX_LENGTH:,} characters or fewer."})
    replacement = redaction_text(reason=reason, on=timezone.localdate(now))
    model, attribute = REDACTABLE[field]
    limit = model._meta.get_field(attribute).max_length
    if limit is not None and len(replacement) > limit:
        room = limit - len(redaction_text(reason="", on=timezone.localdate(now)))
        raise ValidationError({"reason": f"Reason must be {room:,} characters or fewer here."})
    return field, reason, replacement


def redaction_apply(*, record, field: str, reason: str, by) -> list[Redaction]:
    """Replace the words of `record`'s `field` (a RedactedField) with "Removed on <date>: <reason>"
    everywhere they were published. Returns the Redaction rows written (the record's first)."""
    now = timezone.now()
    field, reason, replacement = _checked(record=record, field=field, reason=reason, by=by, now=now)
    attribute = REDACTABLE[field][1]
    with transaction.atomic():
        record = type(record).objects.select_for_update().select_related("action").get(pk=record.pk)
        original = getattr(record, attribute)
        if not original:
            raise ValidationError("There are no words to redact.")
        if original.startswith("Removed on "):
            raise ValidationError("These words have already been redacted.")
        done = [
            _replace(
                record,
                field=field,
                attribute=attribute,
                original=original,
                replacement=replacement,
                reason=reason,
                by=by,
                at=now,
                action=record.action,
            )
        ]
        if field == RedactedField.REOPENING_REASON:
            # The due-date revision agreed with the reopening quotes its reason.
            companion = DueDateRevision.objects.select_for_update().filter(
                action=record.action, reason=f"Reopened: {original}"
            )
            for revision in companion:
                done.append(
                    _replace(
                        revision,
                        field=RedactedField.REVISION_REASON,
                        attribute="reason",
                        original=revision.reason,
                        replacement=f"Reopened: {replacement}",
                        reason=reason,
                        by=by,
                        at=now,
                        action=revision.action,
                    )
                )
        _clean_action_history(record.action, original=original, replacement=replacement)
        _clean_progress_log(record.action, original=original, replacement=replacement)
        done += _clean_published_updates(original=original, replacement=replacement, reason=reason, by=by, at=now)
    return done


def _replace(record, *, field, attribute, original, replacement, reason, by, at, value=None, action=None) -> Redaction:
    """Write `value` (by default the replacement words) over the record's `attribute`, and say so in a
    Redaction row. `action`: the action the record belongs to, if any."""
    type(record).objects.filter(pk=record.pk).update(**{attribute: replacement if value is None else value})
    return Redaction.objects.create(
        field=field,
        record_id=record.pk,
        action=action,
        reason=reason,
        original_sha256=sha256_of(original),
        replacement=replacement,
        redacted_by=by,
        redacted_at=at,
    )


def scrubbed(text: str, *, original: str, replacement: str) -> str | None:
    """`text` with `original` replaced, also where a 100-character change reason cut it short; None when
    `text` does not quote it."""
    if original in text:
        return text.replace(original, replacement)
    if len(text) < _CHANGE_REASON_LENGTH:
        return None
    for start in range(len(text)):
        tail = text[start:]
        if len(tail) < min(_SHORTEST_CUT_QUOTE, len(original)):
            return None
        if original.startswith(tail):
            return (text[:start] + replacement)[:_CHANGE_REASON_LENGTH]
    return None


def _clean_action_history(action, *, original: str, replacement: str) -> None:
    for record in action.history.exclude(history_change_reason__isnull=True).exclude(history_change_reason=""):
        cleaned = scrubbed(record.history_change_reason, original=original, replacement=replacement)
        if cleaned is not None:
            type(record).objects.filter(pk=record.pk).update(history_change_reason=cleaned)


def _clean_progress_log(action, *, original: str, replacement: str) -> None:
    """The staff timeline's entry a service wrote quoting the words ("Reopened by <lead>: <reason>"): the
    one change made to the append-only log (which keeps no history of its own), for words that must go."""
    for entry in action.progress_updates.filter(narrative__contains=original):
        type(entry).objects.filter(pk=entry.pk).update(narrative=entry.narrative.replace(original, replacement))


def _scrub_json(value, *, original: str, replacement: str):
    if isinstance(value, str):
        return value.replace(original, replacement)
    if isinstance(value, list):
        return [_scrub_json(item, original=original, replacement=replacement) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, original=original, replacement=replacement) for key, item in value.items()}
    return value


def _clean_published_updates(*, original, replacement, reason, by, at) -> list[Redaction]:
    """The one change ever made to a frozen update: the words leave its figures, and its history's."""
    done = []
    for update in PublishedUpdate.objects.select_for_update().order_by("pk"):
        figures = _scrub_json(update.figures, original=original, replacement=replacement)
        if figures == update.figures:
            continue
        # .update(), not save(): the update's status, dates and version stay as they were.
        done.append(
            _replace(
                update,
                field=RedactedField.UPDATE_FIGURES,
                attribute="figures",
                value=figures,
                original=original,
                replacement=replacement,
                reason=reason,
                by=by,
                at=at,
            )
        )
    for record in PublishedUpdate.history.all():
        figures = _scrub_json(record.figures, original=original, replacement=replacement)
        if figures != record.figures:
            type(record).objects.filter(pk=record.pk).update(figures=figures)
    return done
