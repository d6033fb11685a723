"""The Celery application, configured from Django settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import import_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base")

app = Celery("secamb_journey")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def filesystem_broker_folders() -> list[Path]:
    """The folders kombu's filesystem broker reads and writes, when that is the broker in use.

    kombu does not create its message folders and fails on the first message if they are missing,
    so every process that may touch the broker (worker, beat, a web request enqueuing work) makes sure
    they exist first.
    """
    if not str(app.conf.broker_url or "").startswith("filesystem:"):
        return []
    options = app.conf.broker_transport_options or {}
    keys = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    return [Path(options[key]) for key in keys if options.get(key)]


def ensure_filesystem_broker_folders() -> None:
    for folder in filesystem_broker_folders():
        folder.mkdir(parents=True, exist_ok=True)


@import_modules.connect
def _prepare_broker(sender=None, **kwargs):
    # Fired when a worker or beat starts, before it opens the broker connection.
    ensure_filesystem_broker_folders()
