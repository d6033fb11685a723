"""The layout keeps its promises (DESIGN.md, "Shape"): dependencies point one way, and secamb_journey/
is plumbing that imports nothing from reports."""

import ast
from pathlib import Path

import secamb_journey

PLUMBING = Path(secamb_journey.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _plumbing_files():
    for path in sorted(PLUMBING.rglob("*.py")):
        relative = path.relative_to(PLUMBING).as_posix()
        if relative.startswith(("tests/", "migrations/")):
            continue
        yield relative, path


def test_secamb_journey_imports_nothing_from_reports():
    offenders = {
        relative: sorted(m for m in _imported_modules(path) if m == "reports" or m.startswith("reports."))
        for relative, path in _plumbing_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_an_import_of_reports(tmp_path):
    # The check above would pass on an empty list of files: make sure it does see imports.
    sample = tmp_path / "sample.py"
    sample.write_text("from reports.selectors import home_page_content\nimport reports.models\n")
    assert _imported_modules(sample) == {"reports.selectors", "reports.models"}
    assert len(list(_plumbing_files())) > 10
