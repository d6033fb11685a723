"""Background work for accounts: the daily leavers run."""

from celery import shared_task

from secamb_journey.accounts.services import identity_deactivate_leavers


@shared_task(name="secamb_journey.accounts.tasks.deactivate_leavers", soft_time_limit=240, time_limit=300)
def deactivate_leavers() -> dict:
    """Idempotent: an account already switched off is skipped, so a second run the same day does nothing."""
    run = identity_deactivate_leavers()
    return {"inactive": run.inactive, "disabled": run.disabled}
