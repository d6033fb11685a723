"""Who may sign an action off (assure, agree a revision, ratify, review its sustainability) and when: the
four-eyes rule and the governance rules, read by the services that sign off, the work queue that lists
what a lead may sign off, and the action page's buttons.
"""

from django.utils import timezone
from django.utils.formats import date_format

from actions.choices import Status
from actions.models import Action, Evidence, EvidenceKind, ProgressUpdate
from actions.models.states import status_is_done


def current_cycle_start(action: Action):
    """When the action last left complete or assured (it was reopened), or None if it never has.

    Read from the action's history, so it holds whichever writer reopened it (a progress entry, an
    import, the admin, a history revert).
    """
    start = None
    was_done = False
    for status, history_date in action.history.order_by("history_date", "history_id").values_list(
        "status", "history_date"
    ):
        is_done = status_is_done(status)
        if was_done and not is_done:
            start = history_date
        was_done = is_done
    return start


def action_signoff_problem(*, action: Action, user) -> str | None:
    """Why `user` is not independent enough to sign this action off (four eyes), or None.

    Whoever signs off (assures, ratifies, reviews sustainability) must not have owned the action,
    logged it as complete, or attached its evidence since it was last reopened (since it was created
    if it never has been). Handing the action to a colleague after completing it does not make its
    completer a second pair of eyes.
    """
    if user.pk == action.owner_id:
        return "You own this action, so another improvement lead must sign it off."
    since = current_cycle_start(action)
    history = action.history.all()
    progress = ProgressUpdate.objects.filter(action=action, author_id=user.pk, status=Status.COMPLETE)
    evidence = Evidence.objects.filter(action=action, uploaded_by_id=user.pk)
    owned_at_reopening = False
    if since is not None:
        # Whoever owned it when it was reopened owned it in this cycle too.
        owner_then = (
            action.history.filter(history_date__lte=since)
            .order_by("-history_date", "-history_id")
            .values_list("owner_id", flat=True)
            .first()
        )
        owned_at_reopening = owner_then == user.pk
        history = history.filter(history_date__gte=since)
        progress = progress.filter(created_at__gte=since)
        evidence = evidence.filter(uploaded_at__gte=since)
    if owned_at_reopening or history.filter(owner_id=user.pk).exists():
        return "You have owned this action since it was last reopened, so another improvement lead must sign it off."
    if progress.exists():
        return "You logged this action as complete, so another improvement lead must sign it off."
    if evidence.exists():
        return "You attached evidence to this action, so another improvement lead must sign it off."
    return None


def action_assurance_refusal(*, action: Action, user) -> str | None:
    """Why `user` may not sign this action off as assured now, or None. The view shows the button only
    when this is None; action_assure refuses with the same words.
    """
    return action.assurance_refusal(user) or action_signoff_problem(action=action, user=user)


def action_governance_problem(action: Action, user) -> str | None:
    """Why `user` may not sign off governance of `action` (agree a due-date revision, record a committee
    decision, review sustainability), or None if they may: an improvement lead independent of it by
    the one four-eyes rule, action_signoff_problem (issue 18).
    """
    if not user.is_authenticated or not user.has_perm("actions.assure_action"):
        return "Only an improvement lead can do this."
    return action_signoff_problem(action=action, user=user)


def due_date_change_problem(action: Action) -> str | None:
    """Why `action`'s due date may not change at all now, or None. The one rule for every way of moving
    a due date: a revision asked for or set on the revision pages, the edit page, the admin and the
    import. Work that is done has no date still to meet; reopening it (action_reopen) is how a done
    action gets a new due date, with the work it needs.
    """
    if action.is_done:
        return "This action's work is done, so its due date no longer changes."
    return None


def action_sustainability_problem(action: Action, user, *, today=None) -> str | None:
    """Why `user` may not review `action`'s sustainability now, or None."""
    problem = action_governance_problem(action, user)
    if problem:
        return problem
    if action.is_embedded:
        return "This action is already embedded."
    if not action.is_awaiting_review:
        return "Only an assured action ratified by a committee can be reviewed for sustainability."
    today = today or timezone.localdate()
    if not action.is_review_due_on(today):
        return (
            "The sustainability review is due on "
            f"{date_format(action.sustainability_review_due, 'j F Y')}: it cannot be done before then."
        )
    if not action.evidence.filter(kind=EvidenceKind.SUSTAINABILITY, uploaded_at__gte=action.ratified_at).exists():
        return "Attach evidence of sustained change (since ratification) before the sustainability review."
    return None
