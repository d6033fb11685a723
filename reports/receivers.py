"""Receivers of the actions app's signals (actions.signals), connected in ReportsConfig.ready."""

from django.contrib import messages
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from actions.signals import made_internal
from reports.selectors.updates import published_updates_naming
from reports.services.periods import period_label


@receiver(made_internal)
def say_which_published_updates_still_name(sender, *, action, request, **kwargs) -> None:
    """An action made internal leaves the live pages at once, but published updates are frozen (what the
    public read that month): tell the lead which still name it, and how to take it off them.
    """
    updates = published_updates_naming(action.reference)
    if not updates:
        return
    links = format_html_join(
        ", ",
        '<a href="{}">{} ({})</a>',
        ((reverse("reports:editorial_update", args=[u.slug]), period_label(u.period), u.slug) for u in updates),
    )
    messages.warning(
        request,
        format_html(
            "{} is now internal, but published updates are frozen, so it stays on {}: {}. To take it off "
            "an update, withdraw it and publish a correction from the update's page.",
            action.reference,
            "this published update" if len(updates) == 1 else f"these {len(updates)} published updates",
            links,
        ),
    )
