"""Settings for the test suite: the base settings with fast hashing, eager tasks and throwaway files."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client's host: public pages are cached only for requests addressed to SITE_URL's host.
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# One fixed scratch folder per machine (each test also gets its own MEDIA_ROOT from conftest.py).
_SCRATCH = os.path.join(tempfile.gettempdir(), "secamb-test")
os.environ.setdefault("MEDIA_ROOT", os.path.join(_SCRATCH, "media"))
os.environ.setdefault("CELERY_DATA_DIR", os.path.join(_SCRATCH, "celery"))
# pytest-xdist workers (gw0, gw1, ...) share the one Redis that scripts/with-services.sh starts: each
# takes the database numbered after REDIS_URL's plus its own number, so that one worker clearing its
# cache between tests never empties another's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _redis = urlsplit(os.environ["REDIS_URL"])
    _database = int(_redis.path.strip("/") or 0) + int(_worker.removeprefix("gw"))
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_database}"))

from .base import *  # noqa: E402,F403 -- a settings module extends the base by star-import

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
SECURE_HSTS_SECONDS = 0
