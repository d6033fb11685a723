"""What `{% cell %}` costs against a hand-written responsive cell: prints µs a cell, best of five renders.

DJANGO_SETTINGS_MODULE=secamb_journey.settings.test .venv/bin/python -m benchmarks.table_cells
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.test")
django.setup()

from django.template import Context, Template  # noqa: E402 -- after setup, which the engine needs

COLUMNS = [("Action", "a"), ("Status", "b"), ("Due", "c"), ("Originally due", "d")]
ROWS = [{"a": f"MD-{i:02}", "b": "On track", "c": "1 May 2027", "d": "Same"} for i in range(500)]
HAND = (
    '<td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">{} </span>'
    "{{{{ r.{} }}}}</td>"
)
TAG = '{{% cell "{}" %}}{{{{ r.{} }}}}{{% endcell %}}'


def best_of_five(source: str) -> float:
    template = Template("{% load nhsuk %}{% for r in rows %}<tr>" + source + "</tr>{% endfor %}")
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        template.render(Context({"rows": ROWS}))
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    cells = len(ROWS) * len(COLUMNS)
    for name, pattern in (("hand-written", HAND), ("{% cell %}", TAG)):
        seconds = best_of_five("".join(pattern.format(heading, key) for heading, key in COLUMNS))
        print(f"{name}: {seconds * 1000:.1f} ms for {cells} cells, {seconds * 1e6 / cells:.1f} µs a cell")


if __name__ == "__main__":
    main()
