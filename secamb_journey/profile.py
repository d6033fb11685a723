"""The trust profile as every page reads it: once per change of the public content, not once per request.

The profile's table is in the public generation's scope (secamb_journey.generations), so an edit in any
process is read by every process within the second that generation promises.
"""

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
