"""Settings for the short load test CI runs (secamb_journey/tests/test_loadtest.py): the product's own
(secamb_journey.settings.base, as `make loadtest` runs it), except that static files are not collected.
The load generator asks for pages, never for static files, and collecting and compressing the static
files for the production storage takes longer than the whole short run; run.sh skips collectstatic with
these settings.
"""

from secamb_journey.settings.base import *  # noqa: F403
from secamb_journey.settings.base import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
