"""Background work for measures: importing a large values file (measures.importing.import_run)."""

from celery import shared_task

from measures import importing


# A 20,000-row file takes seconds to a few minutes: longer limits than the default (240 s / 300 s). A task
# stopped at the soft limit records the run as failed, nothing saved; a worker lost mid-run leaves the
# message for another (acks late), which imports the file afresh: the first's transaction never committed.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1200, time_limit=1260)
def import_measures_file(run_id: int) -> None:
    importing.import_run(run_id)
