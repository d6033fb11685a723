"""The SECAmb Improvement Journey tracker project: settings, URLs, the Celery app and roles."""

from .celery import app as celery_app

__all__ = ("celery_app",)
