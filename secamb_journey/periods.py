"""Periods as people say them: "November 2026", "July to September 2026", "the week starting 5 January 2026".

Machine forms (2026-11, 2026-Q3, 2026-01-05) stay in open data, URLs and imports; everything a person reads
or hears goes through period_words (the `period_words` template filter), so there is one way to say a period.
"""

import datetime
import re

MONTHS = "January February March April May June July August September October November December".split()
_MACHINE = re.compile(r"^(\d{4})-(?:(\d{2})(?:-(\d{2}))?|Q([1-4]))$", re.IGNORECASE)


def _month(number: int, short: bool) -> str:
    name = MONTHS[number - 1]
    return name[:3] if short else name


def period_words(value, frequency: str = "monthly", *, short: bool = False) -> str:
    """A period in words: its machine form ("2026-11", "2026-Q3", or a week's Monday "2026-01-05"), or the
    date it starts on with the measure's `frequency` (monthly, quarterly or weekly).
    `short`: the three-letter months a chart's axis has room for ("Nov 2026", "Jul to Sep 2026").
    Anything else comes back as it came, so a page never fails on an odd value.
    """
    if isinstance(value, datetime.date):
        if frequency == "weekly":
            value = value.isoformat()
        elif frequency == "quarterly":
            value = f"{value.year}-Q{(value.month - 1) // 3 + 1}"
        else:
            return f"{_month(value.month, short)} {value.year}"
    match = _MACHINE.match(str(value or "").strip())
    if not match:
        return "" if value is None else str(value)
    year, month, day, quarter = match.groups()
    if quarter:
        first = (int(quarter) - 1) * 3 + 1
        return f"{_month(first, short)} to {_month(first + 2, short)} {year}"
    if day:
        start = f"{int(day)} {_month(int(month), short)} {year}"
        return start if short else f"the week starting {start}"
    if not 1 <= int(month) <= 12:
        return str(value)
    return f"{_month(int(month), short)} {year}"


def period_span(first, last) -> str:
    """From one period to another, as people say it: "June 2024 to November 2026"; quarters by their months,
    "October 2023 to September 2026" (never "October to December 2023 to July to September 2026").
    """
    start, end = _MACHINE.match(str(first or "").strip()), _MACHINE.match(str(last or "").strip())
    if str(first) == str(last):
        return period_words(first)
    if start and end and start.group(4) and end.group(4):
        first_month, last_month = (int(start.group(4)) - 1) * 3 + 1, int(end.group(4)) * 3
        return f"{_month(first_month, False)} {start.group(1)} to {_month(last_month, False)} {end.group(1)}"
    return f"{period_words(first)} to {period_words(last)}"
