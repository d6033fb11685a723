"""Issue 26: each NHS.UK component the site uses has one markup, in its include or nhsuk tag, so a change
to the component (a class, an accessibility attribute) is made once. A template that writes one of these
components' classes itself, outside the component's own include, fails here: use the include or tag named.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRECTORIES = {".venv", "node_modules", ".git", "var", "static", "staticfiles"}

# A class that marks the component (any class starting with it: its elements and modifiers too), the one
# template allowed to write it (None: only the nhsuk tags, in Python) and what to use instead.
COMPONENTS = {
    "nhsuk-summary-list": (None, "{% summary_list %} and {% summary_row %}"),
    "nhsuk-tag": (None, "{% nhsuk_tag %} (or {% status_tag %} for an action status)"),
    "nhsuk-details": (None, "{% details %}"),
    "nhsuk-inset-text": ("templates/includes/inset_text.html", "{% inset_text %} or includes/inset_text.html"),
    "nhsuk-warning-callout": (
        "templates/includes/warning_callout.html",
        "{% warning_callout %} or includes/warning_callout.html",
    ),
    "nhsuk-card--warning": (
        "templates/includes/warning_callout.html",
        "{% warning_callout %} or includes/warning_callout.html",
    ),
    "nhsuk-back-link": ("templates/includes/back_link.html", "includes/back_link.html"),
    "nhsuk-breadcrumb": ("templates/includes/breadcrumbs.html", "{% breadcrumbs %}"),
    "nhsuk-pagination": ("templates/includes/pagination.html", "{% pagination %}"),
    "nhsuk-scroll": (None, "{% scroll %}"),
}
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def templates(root: Path):
    for path in sorted(root.rglob("templates/**/*.html")):
        relative = path.relative_to(root)
        if not SKIPPED_DIRECTORIES.intersection(relative.parts):
            yield relative, path.read_text(encoding="utf-8")


def hand_written(root: Path) -> list[str]:
    """'path:line: class (use ...)' for each component class written outside its include."""
    found = []
    for relative, text in templates(root):
        for match in CLASS_ATTRIBUTE.finditer(text):
            for css_class in match.group(1).split():
                for component, (home, use) in COMPONENTS.items():
                    if css_class.startswith(component) and relative.as_posix() != home:
                        line = text.count("\n", 0, match.start()) + 1
                        found.append(f"{relative}:{line}: {css_class} (use {use})")
    return found


def test_no_template_hand_writes_a_component():
    assert hand_written(ROOT) == []


def test_the_scan_finds_a_hand_written_component(tmp_path):
    page = tmp_path / "app" / "templates" / "app" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('<p>Hi</p>\n<div class="nhsuk-inset-text app-x">\n<dl class="nhsuk-summary-list"></dl>\n')
    assert hand_written(tmp_path) == [
        "app/templates/app/page.html:2: nhsuk-inset-text (use {% inset_text %} or includes/inset_text.html)",
        "app/templates/app/page.html:3: nhsuk-summary-list (use {% summary_list %} and {% summary_row %})",
    ]
