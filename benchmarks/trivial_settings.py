"""The settings of the bench's trivial gunicorn: the framework's floor as issue 15 measures it.

The product's settings, but only SecurityMiddleware and CommonMiddleware, and only /bench/trivial/ (a
view that returns a fixed string, benchmarks.measure). `manage.py bench` serves it from gunicorn
with 2 workers in the same run as the product, and judges each public page's requests per second
against it. Never used by the product.
"""

from secamb_journey.settings.base import *  # noqa: F403

ROOT_URLCONF = "benchmarks.measure"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
