"""Where a board pack's time goes, part by part (docs/board-pack.md, issue 26).

On the bench's data set (var/bench/bench.sqlite3, built by `manage.py bench`): the figures, the HTML,
WeasyPrint's layout and the writing of the PDF (tags, attachments), each with its wall-clock and CPU
seconds (CPU moves far less with the load of a shared machine), and the pages. Nothing is stored.

    .venv/bin/python -m loadtest.board_pack_parts
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(label: str, compute):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu, wall = usage.ru_utime + usage.ru_stime, time.perf_counter()
    result = compute()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu
    print(f"{label:10} wall {time.perf_counter() - wall:6.1f} s   CPU {cpu:6.1f} s   load {os.getloadavg()[0]:.1f}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=str(ROOT / "var" / "bench" / "bench.sqlite3"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base")
    os.environ.update(DATABASE_URL=f"sqlite:///{args.database}", DEBUG="true", LOG_LEVEL="WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from reports.selectors.board_pack import board_pack_figures
    from reports.services import board_pack as service
    from secamb_journey.site_url import absolute_url

    weasyprint, *_ = service.board_pack_weasyprint()  # loaded once per process: not a cost of a pack
    now = timezone.now()
    figures = timed("figures", lambda: board_pack_figures(today=timezone.localdate(), now=now))
    body = timed("html", lambda: service.board_pack_render(figures=figures, version=1, generated_at=now, html_url="/"))
    document = service.board_pack_document(body=body, title="Profile", version=1, running_header="Profile")
    html = weasyprint.HTML(string=document, base_url=absolute_url("/"), url_fetcher=service.local_static_fetcher())
    rendered = timed("layout", lambda: html.render(pdf_variant="pdf/ua-1"))
    attached = service.board_pack_attached(service.board_pack_attachments(figures), generated_at=now)
    pdf = timed("writing", lambda: rendered.write_pdf(pdf_variant="pdf/ua-1", attachments=attached))
    print(f"pages {len(rendered.pages)}, {len(pdf):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
