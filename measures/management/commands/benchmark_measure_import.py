"""Time a measure values import and the measure pages it makes: `manage.py benchmark_measure_import`.

Prints figures, asserts nothing. It writes to the configured database (a measure `benchmark-import`,
created and then deleted with its values and their history), so point DATABASE_URL at a throwaway one:

  DEBUG=true DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
  DEBUG=true DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py benchmark_measure_import \
      --rows 2000 20000

One weekly measure gets N consecutive weeks of values. For each N: the preview (check_file), the first
confirm (every row new), the same file again (every row unchanged), a file with every value changed
(every row a correction), and the public and staff pages of the N-point measure (bytes and seconds).
"""

import datetime
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from measures import importing
from measures.models import Measure, MeasureValue
from measures.services import measure_save

SLUG = "benchmark-import"


def _values_file(rows: int, shift: float) -> bytes:
    # Weeks ending well before today: N weeks back from a Monday 2 years ago.
    last = datetime.date.today() - datetime.timedelta(days=730)
    last -= datetime.timedelta(days=last.weekday())
    first = last - datetime.timedelta(weeks=rows)
    lines = ["measure,period,value"]
    for week in range(rows):
        period = first + datetime.timedelta(weeks=week)
        lines.append(f"{SLUG},{period.isoformat()},{50 + (week % 17) * 0.5 + shift!r}")
    return ("\n".join(lines) + "\n").encode()


def _timed(call, **kwargs):
    started = time.perf_counter()
    result = call(**kwargs)
    return result, time.perf_counter() - started


class Command(BaseCommand):
    help = "Time a measure values import (preview, confirm, unchanged, corrections) and the measure's pages."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="+", default=[2000, 20000])

    def handle(self, *args, rows, **options):
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"database: {vendor}")
        for count in rows:
            self._clear()
            measure, _ = measure_save(
                slug=SLUG,
                data={"name": "Benchmark import", "improvement": "increase", "frequency": "weekly", "is_public": True},
            )
            first = _values_file(count, 0.0)
            _, preview_s = _timed(importing.check_file, content=first)
            _, new_s = _timed(importing.import_file, content=first)
            _, same_s = _timed(importing.import_file, content=first)
            changed = _values_file(count, 0.25)
            _, correct_s = _timed(importing.import_file, content=changed)
            stored = MeasureValue.objects.filter(measure=measure).count()
            history = MeasureValue.history.filter(measure_id=measure.pk).count()
            self.stdout.write(
                f"{count:>6} rows: preview {preview_s:6.1f} s, confirm new {new_s:6.1f} s, "
                f"unchanged {same_s:6.1f} s, corrections {correct_s:6.1f} s "
                f"({stored} values, {history} history rows)"
            )
            self._pages(measure)
            self._clear()

    def _pages(self, measure):
        host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
        user, _ = get_user_model().objects.get_or_create(username="benchmark-import", defaults={"is_superuser": True})
        client = Client(HTTP_HOST=host)
        with override_settings(SECURE_SSL_REDIRECT=False):
            for label, url, login in (
                ("public page", f"/performance/{measure.slug}/", False),
                ("staff page", measure.get_absolute_url(), True),
            ):
                if login:
                    client.force_login(user)
                response, seconds = _timed(client.get, path=url, secure=True)
                self.stdout.write(
                    f"        {label}: HTTP {response.status_code}, {len(response.content) / 1024:,.0f} KB, "
                    f"{seconds:.2f} s"
                )
        user.delete()

    def _clear(self):
        """The benchmark's measure gone with its values and their history, in one statement each (deleting
        them through the ORM sends a signal per value, and records each deletion: minutes at 20,000)."""
        ids = list(Measure.objects.filter(slug=SLUG).values_list("pk", flat=True))
        if not ids:
            return
        tables = [MeasureValue.history.model._meta.db_table, MeasureValue._meta.db_table]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE measure_id = %s", [ids[0]])  # noqa: S608 -- our own tables
        Measure.objects.filter(pk__in=ids).delete()
