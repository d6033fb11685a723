"""Checks of the services the app depends on, for /healthz and for operators."""

from celery import current_app
from django.db import connection


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 -- any failure means "down"; the message says which
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    app = current_app._get_current_object()
    transport = app.conf.broker_url.split("://", 1)[0]
    if app.conf.task_always_eager:
        return {"ok": True, "transport": "eager"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as error:  # noqa: BLE001 -- any failure means "down"; the message says which
        return {"ok": False, "transport": transport, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "transport": transport}
