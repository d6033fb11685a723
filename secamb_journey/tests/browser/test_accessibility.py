"""axe-core finds no WCAG 2.2 A or AA failure on any kind of page, as each persona sees it, forms
showing their errors included. The pages are conftest.PAGES.
"""

import re

import pytest

from .conftest import PAGES, REFLOW_PAGES, axe_violations, describe, open_case

pytestmark = pytest.mark.browser


VIEWPORTS = {"phone": {"width": 375, "height": 812}, "laptop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("case", [p.param for p in PAGES])
def test_page_has_no_wcag_violations(page_as, world, case, size):
    page = open_case(page_as, world, case, viewport=VIEWPORTS[size])
    violations = axe_violations(page)
    assert not violations, f"{case.name} at {size} ({page.url}):\n{describe(violations)}"
    assert not page.script_errors, f"{case.name}: errors in the browser console: {page.script_errors}"


def test_accessibility_statement_counts_the_pages_these_tests_check(client, db):
    """The statement's "How we tested" figure is this suite's page list: adding a page updates both."""
    html = client.get("/accessibility/").content.decode()
    shown = re.search(r'class="app-tested-page-count">(\d+)<', html)
    assert shown and int(shown.group(1)) == len(PAGES), f"the statement says {shown and shown.group(1)} pages"
    reflow = re.search(r'class="app-reflow-page-count">(\d+)<', html)
    assert reflow and int(reflow.group(1)) == len(REFLOW_PAGES), f"it says {reflow and reflow.group(1)} kinds at 320 px"
