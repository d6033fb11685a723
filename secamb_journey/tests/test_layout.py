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


APPS = ("pillars", "themes", "actions", "measures", "reports", "secamb_journey")


def _unexplained_function_imports(path: Path) -> list[int]:
    """Lines of imports inside a function with no comment saying why: on the line, or above the block of
    imports it belongs to (issue 26: an import hidden in a function usually hides a cycle)."""
    lines = path.read_text().splitlines()
    found = []
    for function in ast.walk(ast.parse("\n".join(lines), filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom) or "#" in lines[node.lineno - 1]:
                continue
            above = node.lineno - 2
            while above >= 0 and (not lines[above].strip() or lines[above].lstrip().startswith(("import ", "from "))):
                above -= 1
            if above < 0 or not lines[above].lstrip().startswith("#"):
                found.append(node.lineno)
    return found


def test_an_import_inside_a_function_says_why_it_is_there():
    root = PLUMBING.parent
    offenders = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            if lines := _unexplained_function_imports(path):
                offenders[relative] = lines
    assert offenders == {}


def test_the_function_import_check_sees_an_unexplained_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def explained():\n    # Loaded late: it is slow to import.\n    import json\n\n    return json\n\n\n"
        "def unexplained():\n    import csv\n\n    return csv\n"
    )
    assert _unexplained_function_imports(sample) == [9]
