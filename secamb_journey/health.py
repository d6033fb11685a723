"""Checks of the services the app depends on, for /healthz and for operators.

Each check says only whether the service answered (and which kind it is): /healthz is public, and an
exception's text can name the database host, user or broker address. The details go to the log.
"""

import logging

from django.db import connection

from secamb_journey.celery import app
from secamb_journey.stored_files import storage_kind, storage_present

logger = logging.getLogger(__name__)


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 -- any failure means "down"; the log has the details
        logger.exception("Health check: the database did not answer")
        return {"ok": False, "vendor": connection.vendor}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    transport = app.conf.broker_url.split("://", 1)[0]
    if app.conf.task_always_eager:
        return {"ok": True, "transport": "eager"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:  # noqa: BLE001 -- any failure means "down"; the log has the details
        logger.exception("Health check: the broker (%s) did not answer", transport)
        return {"ok": False, "transport": transport}
    return {"ok": True, "transport": transport}


def storage_state() -> dict:
    """Stored files (secamb_journey.storage_settings): the local disk, or the Azure container or S3 bucket,
    there and answering."""
    kind = storage_kind()
    try:
        present = storage_present()
    except Exception:  # noqa: BLE001 -- any failure means "down"; the log has the details
        logger.exception("Health check: the file storage (%s) did not answer", kind)
        return {"ok": False, "backend": kind}
    if not present:
        logger.error(
            "Health check: the file storage's (%s) container or bucket is missing: manage.py ensure_storage", kind
        )
    return {"ok": present, "backend": kind}
