"""Issue 26: each NHS.UK component the site uses has one markup, in its include or nhsuk tag, so a change
to the component (a class, an accessibility attribute) is made once. A template that writes one of these
components' classes itself, outside the component's own include, fails here: use the include or tag named.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRECTORIES = {".venv", "node_modules", ".git", "var", "static", "staticfiles"}

# A class that marks the component (any class starting with it, its elements and modifiers too: the longest
# prefix that matches decides), the templates allowed to write it (none: only the nhsuk tags, in Python; None:
# any template) and what to use instead.
WARNING = ("templates/includes/warning_callout.html",)
# The board pack's PDF keeps NHS.UK's deprecated responsive table, which its print style sheet is written for.
BOARD_PACK_PDF = (
    "reports/templates/reports/board_pack/pack.html",
    "reports/templates/reports/board_pack/compliance_table.html",
)
COMPONENTS = {
    "nhsuk-summary-list": ((), "{% summary_list %} and {% summary_row %}"),
    "nhsuk-tag": ((), "{% nhsuk_tag %} (or {% status_tag %} for an action status)"),
    "nhsuk-details": ((), "{% details %}"),
    "nhsuk-scroll": ((), "{% scroll %}"),
    "nhsuk-card": (WARNING, "{% card %}"),
    "nhsuk-card-group": (None, ""),  # the list cards sit in, and what a card says: anyone's to write
    "nhsuk-card__description": (None, ""),
    "nhsuk-card__content": (WARNING, "{% card %}"),
    "nhsuk-card__heading": (WARNING, "{% card %}"),
    "nhsuk-card__link": ((), "{% card href=... %}"),
    "nhsuk-card--warning": (WARNING, "{% warning_callout %} or includes/warning_callout.html"),
    "nhsuk-warning-callout": (WARNING, "{% warning_callout %} or includes/warning_callout.html"),
    "nhsuk-inset-text": (("templates/includes/inset_text.html",), "{% inset_text %} or includes/inset_text.html"),
    "nhsuk-back-link": (("templates/includes/back_link.html",), "includes/back_link.html"),
    "nhsuk-breadcrumb": (("templates/includes/breadcrumbs.html",), "{% breadcrumbs %}"),
    "nhsuk-pagination": (("templates/includes/pagination.html",), "{% pagination %}"),
    "nhsuk-table__heading": ((), "{% cell %} in a {% table responsive=True %}"),
    "nhsuk-table-responsive": (BOARD_PACK_PDF, "{% table responsive=True %} and {% cell %}"),
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
                component = max((c for c in COMPONENTS if css_class.startswith(c)), key=len, default=None)
                homes = COMPONENTS[component][0] if component else None
                if homes is None or relative.as_posix() in homes:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {css_class} (use {COMPONENTS[component][1]})")
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


def render(source: str, **context) -> str:
    return Template("{% load nhsuk %}" + source).render(Context(context))


def test_a_responsive_table_labels_each_cell_and_keeps_its_roles():
    html = render(
        '{% table "Packs" responsive=True hidden_caption=True %}'
        '{% table_head "Type" "Actions" numeric="2-" responsive=True %}'
        '<tbody class="nhsuk-table__body"><tr class="nhsuk-table__row" role="row">'
        '{% cell "Type" header=True %}Must-do{% endcell %}{% cell "Actions" numeric=True %}{{ n }}{% endcell %}'
        "</tr></tbody>{% endtable %}",
        n="<3>",
    )
    assert html == (
        '<table class="nhsuk-table nhsuk-table--responsive" role="table">'
        '<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Packs</caption>'
        '<thead class="nhsuk-table__head" role="rowgroup"><tr class="nhsuk-table__row" role="row">'
        '<th scope="col" class="nhsuk-table__header" role="columnheader">Type</th>'
        '<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric" role="columnheader">Actions</th>'
        '</tr></thead><tbody class="nhsuk-table__body"><tr class="nhsuk-table__row" role="row">'
        '<th scope="row" class="nhsuk-table__header" role="rowheader">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Type </span>Must-do</th>'
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Actions </span>&lt;3&gt;</td>'
        "</tr></tbody></table>"
    )


def test_a_table_with_no_rows_is_its_empty_text():
    source = '{% table "Packs" rows=packs empty="No pack yet." %}{% for p in packs %}{{ p }}{% endfor %}{% endtable %}'
    assert render(source, packs=[]) == "<p>No pack yet.</p>"
    assert render(source) == "<p>No pack yet.</p>"  # a missing list is as empty as {% if packs %} says
    assert render(source, packs=["A"]).startswith('<table class="nhsuk-table"><caption class="nhsuk-table__caption">')


def test_a_plain_table_has_no_roles_and_numbers_the_columns_it_is_told():
    html = render(
        "{% capture as words %}{{ n }} rows{% endcapture %}"
        '{% table words compact=True caption_size="s" classes="app-x" %}'
        '{% table_head "Month" labels "Note" numeric="2-3" %}{% endtable %}',
        n=2,
        labels=["A & B", "C"],
    )
    assert html == (
        '<table class="nhsuk-table nhsuk-table--compact app-x"><caption class="nhsuk-table__caption '
        'nhsuk-table__caption--s">2 rows</caption><thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        '<th scope="col" class="nhsuk-table__header">Month</th>'
        '<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">A &amp; B</th>'
        '<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">C</th>'
        '<th scope="col" class="nhsuk-table__header">Note</th></tr></thead></table>'
    )
