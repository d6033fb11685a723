"""The improvement tracker project (its trust is data: the trust profile): settings, URLs, the Celery app and roles."""

from .celery import app as celery_app

__all__ = ("celery_app",)
