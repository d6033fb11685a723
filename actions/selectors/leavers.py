"""Leavers' actions: the open actions whose owner's account is switched off.

An account is switched off by the daily leavers run (secamb_journey/accounts) or by an administrator;
nothing of the leaver's is deleted.
"""

from django.db.models import QuerySet

from actions.figures_cache import figures_cached
from actions.models import Action


def actions_needing_new_owner() -> QuerySet:
    """Open actions owned by someone whose account is switched off: nobody can act on them until an
    improvement lead gives them a new owner. One query, whatever their number.
    """
    return (
        Action.objects.open()
        .filter(owner__is_active=False)
        .select_related("owner")
        .order_by("owner__last_name", "owner__first_name", "owner_id", "due_date", "reference")
    )


@figures_cached  # on every dashboard: a join of every open action to its owner (issue 15's profile)
def count_actions_needing_new_owner() -> int:
    return actions_needing_new_owner().order_by().count()
