"""The trust profile as every page reads it: once per change of the public content, not once per request.

The profile's table is in the public generation's scope (secamb_journey.generations), so an edit in any
process is read by every process within the second that generation promises.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from secamb_journey import generations
from secamb_journey.models import TrustProfile

_read: tuple[str, TrustProfile] | None = None


def trust_profile() -> TrustProfile:
    """The profile as of the public generation this process last read (an unsaved empty one before any)."""
    global _read
    token = generations.current("public")
    remembered = _read
    if token is not None and remembered is not None and remembered[0] == token:
        return remembered[1]
    profile = TrustProfile.current()
    if token is not None:
        _read = (token, profile)
    return profile


def open_data_file_name(what: str) -> str:
    """A download's file name from the trust's short name and the programme's: `<short>-<programme>-actions.csv`."""
    trust = trust_profile()
    return "-".join(part for part in (slugify(trust.short_name), slugify(trust.programme_name), what) if part) + ".csv"


# --- Editing it on the trust profile page (reports.views.trust_profile) -----------------------------------

CHANGE = "secamb_journey.change_trustprofile"
REASON_NEEDED = "Say what you changed and why: it is kept in the profile's history."
# The words a communications editor keeps up to date. The ODS code is not among them: it is the NHS's
# identifier for the organisation, not wording, and changes only when the organisation does (a merger,
# another trust's profile), which is an administrator's job (the admin, or load_trust_profile).
EDITABLE_FIELDS = (
    "full_name",
    "short_name",
    "logo_name",
    "logo_descriptor",
    "service_name",
    "programme_name",
    "contact_email",
    "access_email",
    "introduction",
    "purpose",
    "strategy",
)
# What an administrator may change in the admin: every word, and the ODS code.
ADMIN_FIELDS = (*EDITABLE_FIELDS, "ods_code")


class StaleProfileEdit(ValidationError):
    """The profile was saved (here, in the admin or by the loader) after the editor opened it.
    `current` is the profile as it is now; `changed` the fields changed meanwhile (empty if the history cannot say)."""

    def __init__(self, message, *, current: TrustProfile, changed: list[str]):
        super().__init__(message, code="stale")
        self.current = current
        self.changed = changed


def profile_version(profile: TrustProfile) -> str:
    """What the page carries to say which version the editor read: the time of its last save, which every
    path that saves it (this page, the admin, the loader) moves."""
    return profile.updated_at.isoformat() if profile.updated_at else ""


# What the editor is told to do when refused: the editorial page shows the current words above the form.
EDITOR_ADVICE = (
    "Nothing you typed is lost, and nothing of theirs was overwritten: your words are still in the form, and theirs"
    " are shown above it. Combine the two, then save again."
)


def stale_profile_edit(current: TrustProfile, read: str, *, advice: str = EDITOR_ADVICE) -> StaleProfileEdit:
    """The refusal of a save of the profile as read at version `read`: who changed what, when, and `advice`."""
    try:
        since = datetime.datetime.fromisoformat(read)
    except ValueError:
        since = None
    # The history row of the version read is the first written after it was saved; later rows are the changes.
    records = (
        list(current.history.filter(history_date__gte=since).select_related("history_user").order_by("history_date"))
        if since
        else []
    )
    last = records[-1] if len(records) > 1 else None
    changed = []
    if last:
        delta = last.diff_against(records[0], included_fields=ADMIN_FIELDS)
        changed = [name for name in ADMIN_FIELDS if name in delta.changed_fields]
    who = (last.history_user.get_full_name() or last.history_user.get_username()) if last and last.history_user else ""
    when = f" at {timezone.localtime(last.history_date):%H:%M on %-d %B}" if last else ""
    labels = [str(TrustProfile._meta.get_field(name).verbose_name) for name in changed]
    what = f" ({', '.join(labels)})" if labels else ""
    return StaleProfileEdit(
        f"{who or 'Someone'} changed the trust profile{when}, after you opened this page{what}. {advice}",
        current=current,
        changed=changed,
    )


def trust_profile_edit(
    *, editor, data: dict, read: str, reason: str, fields=EDITABLE_FIELDS, advice: str = EDITOR_ADVICE
) -> TrustProfile:
    """Change the profile's words (`fields` in `data`: EDITABLE_FIELDS, or every field for the admin) as read
    at version `read` (profile_version).

    Checked by the model's own validators, as in the admin and the loader (full_clean). Refused with a
    StaleProfileEdit if anyone saved the profile since `read`: the check and the write happen under a row
    lock, so two saves at once cannot both pass it. Nothing changed: nothing saved, no history row.
    """
    if editor is None or not editor.has_perm(CHANGE):
        raise PermissionDenied("Only a communications editor or an administrator can change the trust profile.")
    reason = (reason or "").strip()
    with transaction.atomic():
        profile = TrustProfile.objects.select_for_update().filter(pk=TrustProfile.SINGLETON).first()
        if profile is None:
            raise ValidationError("There is no trust profile yet: an administrator loads one first.")
        if profile_version(profile) != read:
            raise stale_profile_edit(profile, read, advice=advice)
        changed = [name for name in fields if name in data and data[name] != getattr(profile, name)]
        if not changed:
            return profile
        if not reason:
            raise ValidationError({"reason": REASON_NEEDED})
        for name in changed:
            setattr(profile, name, data[name])
        profile.full_clean()
        profile._history_user = editor  # django-simple-history's documented way to name who changed it
        profile._change_reason = reason[:100]
        profile.save()  # moves the public generation: every page shows it within a second
    return profile
